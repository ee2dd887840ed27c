import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  defaultDueAt,
  runDefaultRatings,
  startDefaultRatingJob,
  type DefaultRating,
} from '../../src/sync/defaults.js';
import type { DefaultCandidate, DefaultRatingPort } from '../../src/sync/outbox-port.js';
import { SimScheduler } from './support/sim-scheduler.js';

const DAY = 86_400_000;
/** Epoch ms of a Shanghai wall-clock time. */
const sh = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) =>
  Date.UTC(y, mo - 1, d, h - 8, mi, s, ms);

describe('The 7-natural-day default due time (domain-rules §4)', () => {
  it('applies from 00:00 of D+8 Shanghai for a service at the last day of a month', () => {
    expect(defaultDueAt(sh(2026, 1, 31, 15, 20))).toBe(sh(2026, 2, 8));
    expect(defaultDueAt(sh(2026, 2, 28, 9))).toBe(sh(2026, 3, 8));
    expect(defaultDueAt(sh(2028, 2, 29, 9))).toBe(sh(2028, 3, 8));
  });

  it('applies across a year end', () => {
    expect(defaultDueAt(sh(2026, 12, 31, 10))).toBe(sh(2027, 1, 8));
    expect(defaultDueAt(sh(2026, 12, 25, 16))).toBe(sh(2027, 1, 2));
  });

  it('gives a service at 23:59:59 and one at 00:00:00 the next day different due days', () => {
    expect(defaultDueAt(sh(2026, 11, 26, 23, 59, 59, 999))).toBe(sh(2026, 12, 4));
    expect(defaultDueAt(sh(2026, 11, 27, 0, 0, 0))).toBe(sh(2026, 12, 5));
  });

  it('counts Shanghai days even when the UTC date differs (a service at 07:30 Shanghai is still the previous UTC day)', () => {
    expect(defaultDueAt(sh(2026, 10, 1, 7, 30))).toBe(sh(2026, 10, 9));
  });

  it('always leaves more than 7 days and at most 8 days between the service and its default', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (completedAt) => {
        const gap = defaultDueAt(completedAt) - completedAt;
        expect(gap > 7 * DAY && gap <= 8 * DAY).toBe(true);
        expect((defaultDueAt(completedAt) + 8 * 3_600_000) % DAY).toBe(0);
      }),
      { numRuns: 2_000 },
    );
  });
});

function port(candidates: DefaultCandidate[]): DefaultRatingPort & { asked: number[] } {
  const asked: number[] = [];
  return {
    asked,
    defaultCandidates: (before, limit) => {
      asked.push(before);
      return candidates.filter((c) => c.completedAt < before).slice(0, limit);
    },
  };
}

const candidate = (serviceId: number, completedAt: number): DefaultCandidate => ({
  serviceId,
  ticketNo: `A${serviceId}`,
  projectNo: null,
  serviceNumber: '1',
  node: 'completed',
  taskCode: null,
  taskName: null,
  completedAt,
  staffId: 'S1',
  staffName: '李明',
});

describe('The default-rating job', () => {
  it('commits a basic default exactly at its due instant and not a millisecond before', () => {
    const due = sh(2026, 12, 4);
    const list = [candidate(1, sh(2026, 11, 26, 23, 59, 59))];
    const committed: DefaultRating[] = [];
    const remove = (r: DefaultRating) => {
      committed.push(r);
      list.splice(0, 1);
    };
    expect(runDefaultRatings(port(list), due - 1, remove, { catalogueVersion: 'v1' })).toBe(0);
    expect(runDefaultRatings(port(list), due, remove, { catalogueVersion: 'v1' })).toBe(1);
    expect(committed[0]).toMatchObject({
      level: 'basic',
      isDefault: true,
      assessedAt: due,
      reasons: [],
      catalogueVersion: 'v1',
    });
    // Its clerk and (no) identity are the write path's (test/rating-path/commit.test.ts).
    expect(committed[0]).not.toHaveProperty('citizen');
  });

  it('keeps going past a row whose commit fails and stops when no new candidate comes back', () => {
    const now = sh(2026, 12, 20);
    const list = [
      candidate(1, sh(2026, 11, 1)),
      candidate(2, sh(2026, 11, 2)),
      candidate(3, sh(2026, 11, 3)),
    ];
    const ok: number[] = [];
    const count = runDefaultRatings(
      port(list),
      now,
      (_r, c) => {
        if (c.serviceId === 2) throw new Error('disk full');
        ok.push(c.serviceId);
        list.splice(list.indexOf(c), 1); // the store's transaction makes it no longer a candidate
      },
      { catalogueVersion: 'v1', pageSize: 2 },
    );
    expect(count).toBe(2);
    expect(ok).toEqual([1, 3]);
  });

  it('runs at start and hourly, and never when the province applies defaults', async () => {
    const sim = new SimScheduler(sh(2026, 12, 3, 23, 30));
    const list = [candidate(1, sh(2026, 11, 26, 12))];
    const commits: number[] = [];
    const commit = (_r: DefaultRating, c: DefaultCandidate) => {
      commits.push(sim.now());
      list.splice(list.indexOf(c), 1);
    };
    const off = startDefaultRatingJob({
      port: port([...list]),
      commit,
      mode: 'province',
      catalogueVersion: () => 'v1',
      now: sim.now,
      timers: sim,
    });
    const job = startDefaultRatingJob({
      port: port(list),
      commit,
      mode: 'device',
      catalogueVersion: () => 'v1',
      now: sim.now,
      timers: sim,
    });
    expect(commits).toEqual([]);
    await sim.advance(3_600_000);
    expect(commits).toEqual([sh(2026, 12, 4, 0, 30)]);
    expect(off.runNow()).toBe(0);
    job.stop();
    off.stop();
  });
});
