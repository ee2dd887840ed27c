import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  displayMustStayOn,
  isOpenAt,
  minutesUntilOpen,
  shanghaiClock,
  startDisplayKeeper,
  type OpeningPeriod,
} from '../../src/ops/opening-hours.js';

/** Epoch ms of a Beijing wall-clock time. */
const bj = (iso: string): number => Date.parse(`${iso}+08:00`);
// 2025-06-02 is a Monday.
const weekdays: OpeningPeriod[] = [{ days: [1, 2, 3, 4, 5], open: '08:30', close: '17:30' }];

const hhmm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
const period = fc.record({
  days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
  open: hhmm,
  close: hhmm,
});
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
const minutesOf = (text: string): number => Number(text.slice(0, 2)) * 60 + Number(text.slice(3));

describe('opening hours in Beijing time', () => {
  it('reads the weekday and minute in UTC+8 whatever the instant', () => {
    expect(shanghaiClock(bj('2025-06-02T00:00'))).toEqual({ isoDay: 1, minute: 0 });
    expect(shanghaiClock(bj('2025-06-08T23:59'))).toEqual({ isoDay: 7, minute: 1439 });
    // 16:30 UTC on Sunday is 00:30 on Monday in Beijing.
    expect(shanghaiClock(Date.UTC(2025, 5, 8, 16, 30))).toEqual({ isoDay: 1, minute: 30 });
  });

  it('is open from open time up to but not including close time on the listed days only', () => {
    expect(isOpenAt(weekdays, bj('2025-06-02T08:29'))).toBe(false);
    expect(isOpenAt(weekdays, bj('2025-06-02T08:30'))).toBe(true);
    expect(isOpenAt(weekdays, bj('2025-06-02T17:29'))).toBe(true);
    expect(isOpenAt(weekdays, bj('2025-06-02T17:30'))).toBe(false);
    expect(isOpenAt(weekdays, bj('2025-06-07T10:00'))).toBe(false);
  });

  it('runs a period whose close is before its open across midnight, Sunday into Monday', () => {
    const night: OpeningPeriod[] = [{ days: [7], open: '22:00', close: '02:00' }];
    expect(isOpenAt(night, bj('2025-06-08T23:00'))).toBe(true);
    expect(isOpenAt(night, bj('2025-06-09T01:59'))).toBe(true);
    expect(isOpenAt(night, bj('2025-06-09T02:00'))).toBe(false);
    expect(isOpenAt(night, bj('2025-06-02T01:00'))).toBe(true);
    expect(isOpenAt(night, bj('2025-06-08T01:00'))).toBe(false);
  });

  it('counts the minutes until the next opening and is zero while open', () => {
    expect(minutesUntilOpen(weekdays, bj('2025-06-02T08:00'))).toBe(30);
    expect(minutesUntilOpen(weekdays, bj('2025-06-02T09:00'))).toBe(0);
    expect(minutesUntilOpen(weekdays, bj('2025-06-06T17:30'))).toBe(3 * 24 * 60 - 9 * 60);
    expect(minutesUntilOpen([], bj('2025-06-02T08:00'))).toBeNull();
  });

  it('keeps the display on always when no opening hours are configured', () => {
    expect(isOpenAt([], bj('2025-06-02T10:00'))).toBe(false);
    expect(displayMustStayOn([], bj('2025-06-02T03:00'))).toBe(true);
    expect(displayMustStayOn(weekdays, bj('2025-06-02T03:00'))).toBe(false);
  });

  it('property: a single-day period is open exactly when the Beijing clock is in [open, open + length)', () => {
    fc.assert(
      fc.property(period, instant, (p, t) => {
        const open = minutesOf(p.open);
        const length = (minutesOf(p.close) - open + 1440) % 1440 || 1440;
        const { isoDay, minute } = shanghaiClock(t);
        const today = p.days.includes(isoDay) && minute >= open && minute < open + length;
        const yesterday = ((isoDay + 5) % 7) + 1;
        const fromYesterday = p.days.includes(yesterday) && minute + 1440 < open + length;
        expect(isOpenAt([p], t)).toBe(today || fromYesterday);
      }),
    );
  });

  it('property: open for a union of periods means open for one of them', () => {
    fc.assert(
      fc.property(fc.array(period, { maxLength: 4 }), instant, (hours, t) => {
        expect(isOpenAt(hours, t)).toBe(hours.some((p) => isOpenAt([p], t)));
      }),
    );
  });

  it('property: minutesUntilOpen says when the hall opens, and it is closed until then', () => {
    fc.assert(
      fc.property(fc.array(period, { minLength: 1, maxLength: 3 }), instant, (hours, t) => {
        const until = minutesUntilOpen(hours, t);
        expect(until).not.toBeNull();
        const startOfMinute = t - (t % 60_000);
        if (until === 0) {
          expect(isOpenAt(hours, t)).toBe(true);
        } else {
          expect(isOpenAt(hours, startOfMinute + (until ?? 0) * 60_000)).toBe(true);
          expect(isOpenAt(hours, startOfMinute + ((until ?? 0) - 1) * 60_000)).toBe(false);
        }
      }),
    );
  });

  it('property: the answer depends on the week only (same result seven days later)', () => {
    fc.assert(
      fc.property(fc.array(period, { maxLength: 3 }), instant, (hours, t) => {
        expect(isOpenAt(hours, t + 7 * 86_400_000)).toBe(isOpenAt(hours, t));
      }),
    );
  });
});

describe('the display keeper', () => {
  it('holds the display-sleep blocker while open and releases it after closing', () => {
    let now = bj('2025-06-02T08:00');
    let started = new Set<number>();
    let next = 1;
    const blocker = {
      start: vi.fn(() => {
        started.add(next);
        return next++;
      }),
      stop: vi.fn((id: number) => started.delete(id)),
      isStarted: (id: number) => started.has(id),
    };
    const keeper = startDisplayKeeper({
      powerSaveBlocker: blocker,
      hours: weekdays,
      now: () => now,
      setInterval: () => ({}),
      clearInterval: () => undefined,
    });
    expect(blocker.start).not.toHaveBeenCalled();
    now = bj('2025-06-02T08:30');
    expect(keeper.tick()).toBe(true);
    expect(keeper.tick()).toBe(true);
    expect(blocker.start).toHaveBeenCalledTimes(1);
    expect(blocker.start).toHaveBeenCalledWith('prevent-display-sleep');
    now = bj('2025-06-02T17:30');
    expect(keeper.tick()).toBe(false);
    expect(blocker.stop).toHaveBeenCalledWith(1);
    now = bj('2025-06-03T09:00');
    keeper.tick();
    keeper.stop();
    expect(started.size).toBe(0);
    started = new Set();
  });
});
