/**
 * 0006: `UNIQUE(rating_id)` again (issue 15 item 8). Migration 0005 dropped it to win a benchmark ratio, but
 * `ratingId` is the province's idempotency key (province-profile.md "Uniqueness"): two records with one id
 * would be one rating at the province and the second answered `duplicate`, i.e. counted as delivered and
 * lost. The database refuses it now, whatever the code above it does. UUIDv7 ids grow with time, so the index
 * is appended at its right edge (about one page per commit; bench/store-commit.ts, target ≤ 2× a bare insert).
 *
 * Ratings stored while the index was missing are kept as they are (nothing stored is ever lost): should any
 * two of them share an id, the index covers the ratings after the last of those, so the step still succeeds.
 */
import type { Migration } from './types.js';

export const migration0006: Migration = {
  version: 6,
  name: 'unique-rating-id',
  up(db) {
    const clash = db
      .prepare<[], { last: number | null }>(
        `SELECT max(seq) AS last FROM ratings
         WHERE rating_id IN (SELECT rating_id FROM ratings GROUP BY rating_id HAVING count(*) > 1)`,
      )
      .get();
    const after = Math.trunc(clash?.last ?? 0);
    // DDL takes no bound parameters; `after` is an integer read from this database.
    db.exec(
      after === 0
        ? 'CREATE UNIQUE INDEX ratings_rating_id ON ratings (rating_id);'
        : `CREATE UNIQUE INDEX ratings_rating_id ON ratings (rating_id) WHERE seq > ${after};`,
    );
  },
};
