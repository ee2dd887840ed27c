export * from './identity.js';
export * from './mask.js';
export * from './sam-codec.js';
export * from './text-block.js';
export * from './reader-driver.js';
