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
  // An index row counts only as an exact copy of its rating's (created_at, seq) and only up to the mark, so a
  // planted, duplicated or re-targeted row (issue 18 item 2) never moves or adds a rating; a deleted one is
  // put back at open (rederiveTimeIndex).
  const IN_PERIOD = `(SELECT r.level, r.is_default FROM ratings_by_time t
       JOIN ratings r ON r.seq = t.seq AND r.created_at = t.created_at
       WHERE t.created_at >= @from AND t.created_at < @to
         AND t.seq <= (SELECT value FROM marks WHERE name = '${TIME_MARK}')
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
  // The index against what it is derived from (open-time check): rows that copy no rating, and ratings up to
  // the mark without their row. Each side is one index seek per row.
  const plantedRows = db.prepare<[], { n: number }>(
    `SELECT count(*) AS n FROM ratings_by_time t
     WHERE NOT EXISTS (SELECT 1 FROM ratings r WHERE r.seq = t.seq AND r.created_at = t.created_at)`,
  );
  const missingRows = db.prepare<[number], { n: number }>(
    `SELECT count(*) AS n FROM ratings r WHERE r.seq <= ?
       AND NOT EXISTS (SELECT 1 FROM ratings_by_time t WHERE t.created_at = r.created_at AND t.seq = r.seq)`,
  );
  const dropPlanted = db.prepare(
    `DELETE FROM ratings_by_time
     WHERE NOT EXISTS (SELECT 1 FROM ratings r WHERE r.seq = ratings_by_time.seq AND r.created_at = ratings_by_time.created_at)`,
  );
  const putBack = db.prepare(
    `INSERT OR IGNORE INTO ratings_by_time (created_at, seq) SELECT created_at, seq FROM ratings WHERE seq <= ?`,
  );
  const rederive = db.transaction((): { planted: number; missing: number; mark: number } | null => {
    const top = lastSeq.get()!.seq ?? 0;
    // A mark past the last rating (edited) would hide the ratings that follow it: brought back within range.
    let mark = marks.get(TIME_MARK);
    const markWasOff = mark > top || mark < 0;
    if (markWasOff) mark = Math.max(0, Math.min(mark, top));
    const planted = plantedRows.get()!.n;
    const missing = missingRows.get(mark)!.n;
    if (planted === 0 && missing === 0 && !markWasOff) return null;
    dropPlanted.run();
    putBack.run(mark);
    if (markWasOff) marks.set(TIME_MARK, mark);
    return { planted, missing, mark };
  });
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
    /**
     * Open-time check of the derived index (domain-rules §6: statistics are derived, never edited): re-derives
     * it when a row copies no rating or a rating up to the mark lacks its row; answers what was found, or null.
     */
    rederiveTimeIndex: () => rederive.immediate(),
  };
}
