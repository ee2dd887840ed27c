/**
 * Threat (issue 18 item 4): a LAN attacker who is blocked for guessing the link token sends one failure from
 * each of thousands of other addresses, so the failure table forgets the block and the blocked address gets
 * fresh guesses. Defence: src/link/throttle.ts never drops an entry that still counts (a block or a failure
 * within the window); addresses that find the table full share one overflow entry, and an address tracked
 * later starts from the overflow's count.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFailureThrottle } from '../../src/link/throttle.js';

const T0 = 1_700_000_000_000;

describe('throttle bypass by eviction', () => {
  it('a blocked address stays blocked after one failure from each of 4 200 other addresses', () => {
    const throttle = createFailureThrottle();
    for (let i = 0; i <= 20; i += 1) throttle.recordFailure('10.0.0.66', T0);
    expect(throttle.check('10.0.0.66', T0).blocked).toBe(true);
    for (let i = 0; i < 4200; i += 1) throttle.recordFailure(`10.1.${i >> 8}.${i & 255}`, T0 + 1000);
    expect(throttle.check('10.0.0.66', T0 + 2000)).toEqual({ blocked: true, retryAfterSec: 58 });
    expect(throttle.size()).toBeLessThanOrEqual(4096);
  });

  it('no address ever gets more than the limit of unrefused guesses within a window, and memory stays bounded, whatever the mix of addresses', () => {
    const limit = 3;
    const windowMs = 60_000;
    const maxAddresses = 4;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 20_000 })), {
          minLength: 1,
          maxLength: 600,
        }),
        (steps) => {
          const throttle = createFailureThrottle({ limit, windowMs, blockMs: windowMs, maxAddresses });
          /** Per address: times at which a wrong guess was let through to the token check and not refused. */
          const unrefused = new Map<number, number[]>();
          let now = T0;
          for (const [address, dt] of steps) {
            now += dt;
            const key = `10.0.0.${address}`;
            // The server's order: check first (a blocked caller's token is never compared), then count.
            if (throttle.check(key, now).blocked) continue;
            if (throttle.recordFailure(key, now).blocked) continue;
            const times = [...(unrefused.get(address) ?? []), now];
            unrefused.set(address, times);
            const inWindow = times.filter((t) => t > now - windowMs).length;
            expect(inWindow).toBeLessThanOrEqual(limit);
            expect(throttle.size()).toBeLessThanOrEqual(maxAddresses);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
