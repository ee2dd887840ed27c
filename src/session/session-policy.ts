/**
 * The engine's policy from the provisioned configuration (`session` section of src/config/schema.ts),
 * which speaks in seconds; the engine works in epoch milliseconds.
 */
import type { KioskConfig } from '../config/schema.js';
import type { SessionPolicy } from './types.js';

export function sessionPolicyFromConfig(session: KioskConfig['session']): SessionPolicy {
  return {
    timeoutMs: session.timeoutSec * 1000,
    reasonTimeoutMs: session.reasonTimeoutSec * 1000,
    responseIntervalMs: session.responseIntervalSec * 1000,
    tooFastMs: session.tooFastMs,
    idBurstPerDay: session.idBurstPerDay,
  };
}
