export { FLAGS, isTooFast, isIdBurst, sessionFlags } from './flags.js';
export type { Flag, FlagFacts, FlagLimits } from './flags.js';
export { withinResponseInterval } from './response-interval.js';
