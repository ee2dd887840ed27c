import { describe, expect, it } from 'vitest';
import { sessionPolicyFromConfig } from '../../src/session/index.js';

describe('sessionPolicyFromConfig', () => {
  it('turns the configured seconds into the milliseconds the engine works in', () => {
    const policy = sessionPolicyFromConfig({
      timeoutSec: 30,
      reasonTimeoutSec: 60,
      responseIntervalSec: 5,
      tooFastMs: 300,
      idBurstPerDay: 10,
      thanksSec: 4,
    });
    expect(policy).toEqual({
      timeoutMs: 30_000,
      reasonTimeoutMs: 60_000,
      responseIntervalMs: 5_000,
      tooFastMs: 300,
      idBurstPerDay: 10,
    });
  });
});
