import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { withinResponseInterval } from '../../src/policy/index.js';

describe('response interval (domain-rules §7)', () => {
  it('ignores presses before N ms have passed since the accepted rating, and takes the one at N ms', () => {
    expect(withinResponseInterval(10_000, 14_999, 5_000)).toBe(true);
    expect(withinResponseInterval(10_000, 15_000, 5_000)).toBe(false);
  });

  it('applies to nothing before the first accepted rating', () => {
    expect(withinResponseInterval(null, 0, 5_000)).toBe(false);
  });

  it('is switched off by an interval of 0', () => {
    expect(withinResponseInterval(10_000, 10_000, 0)).toBe(false);
  });

  it('still ignores an immediate repeat when the clock has stepped back a little, but not for longer than N', () => {
    expect(withinResponseInterval(10_000, 9_000, 5_000)).toBe(true);
    expect(withinResponseInterval(10_000, 4_000, 5_000)).toBe(false);
  });

  it('never holds a press for longer than the interval, whatever the times', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.nat({ max: 60_000 }),
        (last, offset, interval) => {
          if (withinResponseInterval(last, last + offset, interval))
            expect(Math.abs(offset)).toBeLessThan(interval);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
