export * from './crc16.js';
export * from './rp1-codec.js';
export * from './rp1-messages.js';
export * from './pad-driver.js';
export * from './keyboard-map.js';
