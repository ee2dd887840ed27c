import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FLAGS, isIdBurst, isTooFast, sessionFlags } from '../../src/policy/index.js';

const LIMITS = { tooFastMs: 300, idBurstPerDay: 10 };

describe('too-fast (domain-rules §7)', () => {
  it('flags a press 299 ms after opening and not one at 300 ms', () => {
    expect(isTooFast(1_000, 1_299, 300)).toBe(true);
    expect(isTooFast(1_000, 1_300, 300)).toBe(false);
  });

  it('never flags anything when tooFastMs is 0', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (openedAt, delay) => !isTooFast(openedAt, openedAt + delay, 0)),
    );
  });
});

describe('id-burst (domain-rules §7: more than N services a day)', () => {
  it('flags the rating after N earlier ones today, not the N-th', () => {
    expect(isIdBurst(10, 10)).toBe(true);
    expect(isIdBurst(9, 10)).toBe(false);
  });

  it('never flags an anonymous session', () => {
    expect(isIdBurst(null, 1)).toBe(false);
  });
});

describe('sessionFlags', () => {
  it('lists too-fast before id-burst, so equal sessions give equal records', () => {
    expect(sessionFlags({ openedAt: 0, firstPressAt: 10, citizenRatingsToday: 10 }, LIMITS)).toEqual([
      FLAGS.tooFast,
      FLAGS.idBurst,
    ]);
  });

  it('gives no too-fast flag before any press', () => {
    expect(sessionFlags({ openedAt: 0, firstPressAt: null, citizenRatingsToday: null }, LIMITS)).toEqual([]);
  });

  it('gives each flag exactly when its own rule says so, for any facts', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 10_000 }),
        fc.option(fc.nat({ max: 10_000 })),
        fc.option(fc.nat({ max: 30 })),
        (openedAt, delay, ratingsToday) => {
          const firstPressAt = delay === null ? null : openedAt + delay;
          const flags = sessionFlags({ openedAt, firstPressAt, citizenRatingsToday: ratingsToday }, LIMITS);
          expect(flags.includes(FLAGS.tooFast)).toBe(delay !== null && delay < LIMITS.tooFastMs);
          expect(flags.includes(FLAGS.idBurst)).toBe(
            ratingsToday !== null && ratingsToday >= LIMITS.idBurstPerDay,
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
