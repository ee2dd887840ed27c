/**
 * Statistics computed from the records, never stored (domain-rules §6: there is no way to edit them).
 *
 * satisfactionRate = (非常满意 + 满意 + 基本满意) / all ratings in the period, default ratings included
 * (they are 基本满意 records the province counts too). This is the 满意率 common in 好差评 reports;
 * abandoned 差评 are not records, so they are reported beside it (`abandonedBad`), not inside it.
 */
import { LEVEL_KEYS, type LevelKey } from '../shared/levels.js';
import { withoutFsync, type StoreContext } from './context.js';
import { createMarks } from './marks.js';
import type { RatingsSummary, StoreCounts } from './types.js';

export const BAD_LEVELS_SQL = `('dissatisfied','very_dissatisfied')`;
const SATISFIED_LEVELS_SQL = `('very_satisfied','satisfied','basic')`;

/** The time index's mark (marks.ts): ratings up to this seq are in ratings_by_time. */
const TIME_MARK = 'index.time';

/** Ratings added to the time index per idle tick (about a millisecond; a kiosk adds a few per tick). */
const TIME_INDEX_STEP = 500;

interface Period {
  from: number;
  to: number;
}

export function createStatsRepo(ctx: StoreContext) {
  const { db } = ctx;
  // Ratings by time: ratings_by_time (filled by catchUpTimeIndex, off the press path) up to the mark, and
  // the few ratings after the mark read directly, so every figure is exact however far behind the index is.
  const IN_PERIOD = `(SELECT r.level, r.is_default FROM ratings_by_time t JOIN ratings r ON r.seq = t.seq
       WHERE t.created_at >= @from AND t.created_at < @to
     UNION ALL
     SELECT level, is_default FROM ratings
       WHERE seq > (SELECT value FROM marks WHERE name = '${TIME_MARK}') AND created_at >= @from AND created_at < @to)`;
  const byLevel = db.prepare<[Period], { level: LevelKey; n: number; defaults: number }>(
    `SELECT level, count(*) AS n, sum(is_default) AS defaults FROM ${IN_PERIOD} GROUP BY level`,
  );
  const suppressed = db.prepare<[number, number], { n: number }>(
    'SELECT count(*) AS n FROM suppressed_presses WHERE at >= ? AND at < ?',
  );
  const abandoned = db.prepare<[number, number], { n: number }>(
    `SELECT count(*) AS n FROM abandoned WHERE at >= ? AND at < ? AND level IN ${BAD_LEVELS_SQL}`,
  );
  const window = db.prepare<[Period], { total: number; good: number | null }>(
    `SELECT count(*) AS total, sum(level IN ${SATISFIED_LEVELS_SQL}) AS good FROM ${IN_PERIOD}
     WHERE is_default = 0`,
  );
  // The id-burst rule (domain-rules §7) by the keyed digest sealed in the rated services.
  const idCount = db.prepare<[string, number, number], { n: number }>(
    `SELECT count(*) AS n FROM services s JOIN ratings r ON r.seq = s.rating_seq
     WHERE s.citizen_digest = ? AND r.created_at >= ? AND r.created_at < ? AND r.is_default = 0`,
  );
  const counts = db.prepare<[], StoreCounts>(
    `SELECT (SELECT count(*) FROM ratings) AS ratings, (SELECT count(*) FROM outbox) AS outbox,
       (SELECT count(*) FROM suppressed_presses) AS suppressed, (SELECT count(*) FROM abandoned) AS abandoned,
       (SELECT count(*) FROM services) AS services`,
  );
  const marks = createMarks(db);
  const indexAfter = db.prepare(
    `INSERT INTO ratings_by_time (created_at, seq) SELECT created_at, seq FROM ratings WHERE seq > ? AND seq <= ?`,
  );
  const lastSeq = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM ratings');
  const catchUp = db.transaction((): number => {
    const from = marks.get(TIME_MARK);
    // Bounded: after a migration or a long backlog fill, the index catches up over several idle ticks
    // instead of holding the main thread (the queries are exact either way).
    const to = Math.min(lastSeq.get()!.seq ?? 0, from + TIME_INDEX_STEP);
    if (to <= from) return 0;
    indexAfter.run(from, to);
    marks.set(TIME_MARK, to);
    return to - from;
  });

  return {
    ratingsSummary(dayStart: number, dayEnd: number): RatingsSummary {
      const levelCounts = Object.fromEntries(LEVEL_KEYS.map((k) => [k, 0])) as Record<LevelKey, number>;
      let total = 0;
      let defaults = 0;
      for (const row of byLevel.all({ from: dayStart, to: dayEnd })) {
        levelCounts[row.level] = row.n;
        total += row.n;
        defaults += row.defaults;
      }
      const satisfied = levelCounts.very_satisfied + levelCounts.satisfied + levelCounts.basic;
      return {
        counts: levelCounts,
        total,
        satisfactionRate: total === 0 ? null : satisfied / total,
        suppressed: suppressed.get(dayStart, dayEnd)!.n,
        abandonedBad: abandoned.get(dayStart, dayEnd)!.n,
        defaults,
      };
    },
    /**
     * The window's recent ratings for the clerk card's stars (kiosk-api ClerkCard): citizen ratings only
     * (defaults arrive days later and say nothing about recent service); `good` = 基本满意 or better, the
     * same numerator as satisfactionRate.
     */
    windowSatisfaction(since: number): { total: number; good: number } {
      const row = window.get({ from: since, to: Number.MAX_SAFE_INTEGER })!;
      return { total: row.total, good: row.good ?? 0 };
    },
    /** Citizen ratings by one ID card in [dayStart, dayEnd) (domain-rules §7 id-burst), by keyed digest. */
    idRatingsOnDay(certKey: string, dayStart: number, dayEnd: number): number {
      return idCount.get(ctx.digest(certKey), dayStart, dayEnd)!.n;
    },
    counts(): StoreCounts {
      return counts.get()!;
    },
    /** Adds the ratings committed since the last call to ratings_by_time (idle maintenance); returns how many. */
    // Derived data without its own fsync: a step lost to a power cut is redone (its mark rolls back with it),
    // and during a backlog drain an fsync'd step every 5 s held the main thread up to 3 ms (drain benchmark).
    catchUpTimeIndex: (): number => withoutFsync(db, () => catchUp.immediate()),
  };
}
