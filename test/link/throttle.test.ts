/** The failed-token throttle on its own (window-link.md: more than 20 failures a minute → 429 for a minute). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFailureThrottle } from '../../src/link/index.js';

const T0 = 1_700_000_000_000;

describe('failure throttle', () => {
  it('lets 20 failures within a minute pass and blocks on the 21st, for a minute', () => {
    const throttle = createFailureThrottle();
    for (let i = 0; i < 20; i += 1)
      expect(throttle.recordFailure('10.0.0.5', T0 + i * 1000)).toEqual({ blocked: false });
    expect(throttle.check('10.0.0.5', T0 + 20_000)).toEqual({ blocked: false });
    expect(throttle.recordFailure('10.0.0.5', T0 + 20_000)).toEqual({ blocked: true, retryAfterSec: 60 });
    expect(throttle.check('10.0.0.5', T0 + 50_000)).toEqual({ blocked: true, retryAfterSec: 30 });
    expect(throttle.check('10.0.0.5', T0 + 79_999)).toEqual({ blocked: true, retryAfterSec: 1 });
    expect(throttle.check('10.0.0.5', T0 + 80_000)).toEqual({ blocked: false });
  });

  it('starts the address afresh once its block has run out', () => {
    const throttle = createFailureThrottle();
    for (let i = 0; i <= 20; i += 1) throttle.recordFailure('a', T0);
    expect(throttle.check('a', T0 + 60_000)).toEqual({ blocked: false });
    for (let i = 0; i < 20; i += 1) expect(throttle.recordFailure('a', T0 + 60_000).blocked).toBe(false);
    expect(throttle.recordFailure('a', T0 + 60_000).blocked).toBe(true);
  });

  it('does not extend a block when failures keep coming during it', () => {
    const throttle = createFailureThrottle();
    for (let i = 0; i <= 20; i += 1) throttle.recordFailure('a', T0);
    expect(throttle.recordFailure('a', T0 + 30_000)).toEqual({ blocked: true, retryAfterSec: 30 });
    expect(throttle.check('a', T0 + 60_000)).toEqual({ blocked: false });
  });

  it('forgets failures older than a minute (sliding window)', () => {
    const throttle = createFailureThrottle();
    for (let i = 0; i < 40; i += 1) expect(throttle.recordFailure('a', T0 + i * 3001).blocked).toBe(false);
  });

  it('counts each address separately', () => {
    const throttle = createFailureThrottle();
    for (let i = 0; i <= 20; i += 1) throttle.recordFailure('a', T0);
    expect(throttle.check('a', T0).blocked).toBe(true);
    expect(throttle.check('b', T0).blocked).toBe(false);
    expect(throttle.recordFailure('b', T0).blocked).toBe(false);
  });

  it('tracks at most maxAddresses, dropping only entries whose failures have all expired', () => {
    const throttle = createFailureThrottle({ maxAddresses: 3 });
    throttle.recordFailure('old', T0);
    throttle.recordFailure('b', T0 + 61_000);
    throttle.recordFailure('c', T0 + 61_000);
    throttle.recordFailure('d', T0 + 61_000);
    expect(throttle.size()).toBe(3);
    for (let i = 0; i < 20; i += 1) throttle.recordFailure('b', T0 + 61_000);
    throttle.recordFailure('e', T0 + 61_000);
    expect(throttle.size()).toBe(3);
    // 'old' (stale) made room for 'd'; 'e' found only live entries and was counted in the overflow entry.
    expect(throttle.recordFailure('b', T0 + 61_000).blocked).toBe(true);
  });

  it('never holds more than maxAddresses, and blocks only after 21 failures within some minute of the last one', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 5000 })), {
          maxLength: 400,
        }),
        (steps) => {
          const throttle = createFailureThrottle({ maxAddresses: 5 });
          const history = new Map<number, number[]>();
          let now = T0;
          for (const [address, dt] of steps) {
            now += dt;
            const times = [...(history.get(address) ?? []), now];
            history.set(address, times);
            const verdict = throttle.recordFailure(String(address), now);
            if (verdict.blocked) {
              expect(verdict.retryAfterSec).toBeLessThanOrEqual(60);
              // The blocking failure lies within the last minute and had 20 others in the minute before it.
              const cause = times.some(
                (t) => t > now - 60_000 && times.filter((u) => u > t - 60_000 && u <= t).length > 20,
              );
              expect(cause).toBe(true);
            }
            expect(throttle.size()).toBeLessThanOrEqual(5);
          }
        },
      ),
    );
  });
});
