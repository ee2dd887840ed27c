export * from './types.js';
export { initialSessionState, transition, nextDeadline } from './engine.js';
export { checkReasons } from './reasons.js';
export type { BadLevel, ReasonCheck } from './reasons.js';
export { sessionPolicyFromConfig } from './session-policy.js';
