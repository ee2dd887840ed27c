/**
 * 7-natural-day default rating (domain-rules §4, Haikou rule). Counting follows 民法典 Art. 201: the
 * day of service does not count; D+1 … D+7 (Asia/Shanghai calendar) are the period; the default applies
 * from 00:00 of D+8 Asia/Shanghai; calendar days, no holiday extension. `defaultRating: 'province'`
 * means the province applies defaults itself and the device never sends one.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type { DefaultCandidate, DefaultRatingPort } from './outbox-port.js';
import type { RatingForRecord } from './province/national-template/record.js';
import { realTimers, TimerSlot, type Timers } from './scheduler.js';
import { DAY_MS, shanghaiDayStart } from './time.js';
import { uuidv7, type RandomBytes } from './uuidv7.js';

/** Epoch ms from which a service completed at `completedAt` gets its default: 00:00 of D+8, Asia/Shanghai. */
export function defaultDueAt(completedAt: number): number {
  return shanghaiDayStart(completedAt) + 8 * DAY_MS;
}

/** Services completed before this instant (exclusive) are due at `now`. */
export function dueCompletedBefore(now: number): number {
  return shanghaiDayStart(now - 8 * DAY_MS) + DAY_MS;
}

/**
 * A default's own fields. Its clerk and its identity (none: domain-rules §4 ⟨r2⟩) are added by the rating
 * write path (src/rating-path/commit.ts `commitDefault`), the one place every record gets them.
 */
export type DefaultRating = Omit<RatingForRecord, 'staff' | 'citizen'>;

/** Commits one default rating (the store's rating transaction: rating + outbox row + chain link). */
export type DefaultRatingCommit = (rating: DefaultRating, candidate: DefaultCandidate) => void;

export interface DefaultRunOptions {
  /** Catalogue version recorded on the default (domain-rules §3: every rating records it). */
  catalogueVersion: string;
  randomBytes?: RandomBytes;
  pageSize?: number;
  log?: (event: string, details: Record<string, unknown>) => void;
}

const defaultRandom: RandomBytes = (n) => new Uint8Array(nodeRandomBytes(n));

/** The `basic` default for a candidate; `assessedAt` is the instant the default applied (00:00 D+8). */
export function defaultRatingFor(
  candidate: DefaultCandidate,
  now: number,
  catalogueVersion: string,
  random: RandomBytes,
): DefaultRating {
  return {
    ratingId: uuidv7(now, random),
    level: 'basic',
    reasons: [],
    text: '',
    catalogueVersion,
    assessedAt: defaultDueAt(candidate.completedAt),
    service: {
      ticketNo: candidate.ticketNo,
      projectNo: candidate.projectNo,
      taskCode: candidate.taskCode,
      taskName: candidate.taskName,
      serviceNumber: candidate.serviceNumber,
      node: candidate.node,
      completedAt: candidate.completedAt,
    },
    flags: [],
    isDefault: true,
  };
}

/** Commits a default for every candidate due at `now`; returns how many were committed. */
export function runDefaultRatings(
  port: DefaultRatingPort,
  now: number,
  commit: DefaultRatingCommit,
  options: DefaultRunOptions,
): number {
  const random = options.randomBytes ?? defaultRandom;
  const pageSize = options.pageSize ?? 200;
  const seen = new Set<number>();
  let committed = 0;
  for (;;) {
    const page = port
      .defaultCandidates(dueCompletedBefore(now), pageSize)
      .filter((c) => !seen.has(c.serviceId));
    if (page.length === 0) return committed;
    for (const candidate of page) {
      seen.add(candidate.serviceId);
      if (defaultDueAt(candidate.completedAt) > now) continue;
      try {
        commit(defaultRatingFor(candidate, now, options.catalogueVersion, random), candidate);
        committed += 1;
      } catch (error) {
        // One bad row must not stop the others; it is tried again on the next hourly run.
        options.log?.('sync.default-commit-failed', { serviceId: candidate.serviceId, error: String(error) });
      }
    }
  }
}

export interface DefaultRatingJobOptions extends Omit<DefaultRunOptions, 'catalogueVersion'> {
  port: DefaultRatingPort;
  commit: DefaultRatingCommit;
  /** config.province.defaultRating. */
  mode: 'device' | 'province';
  catalogueVersion: () => string;
  /** Called after a run that committed something (wire to the outbox worker's notify()). */
  onCommitted?: (count: number) => void;
  now?: () => number;
  timers?: Timers;
  intervalMs?: number;
}

/** Runs at start and then hourly; with `mode: 'province'` it never runs. */
export function startDefaultRatingJob(options: DefaultRatingJobOptions): { runNow(): number; stop(): void } {
  const now = options.now ?? Date.now;
  const slot = new TimerSlot(options.timers ?? realTimers);
  const interval = options.intervalMs ?? 3_600_000;
  const runNow = (): number => {
    if (options.mode === 'province') return 0;
    let count = 0;
    try {
      count = runDefaultRatings(options.port, now(), options.commit, {
        ...options,
        catalogueVersion: options.catalogueVersion(),
      });
    } catch (error) {
      options.log?.('sync.default-run-failed', { error: String(error) });
    }
    if (count > 0) options.onCommitted?.(count);
    return count;
  };
  const tick = () => {
    runNow();
    slot.arm(tick, interval);
  };
  if (options.mode === 'device') tick();
  return { runNow, stop: () => slot.clear() };
}
