/** Migration 0006: UNIQUE(rating_id) is back (issue 15 item 8), without losing a rating stored before it. */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_ERRORS } from '../../src/shared/errors/store.js';
import { migrate } from '../../src/store/migrate.js';
import { migration0006 } from '../../src/store/migrations/0006-unique-rating-id.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { draft, newService, open, rateNewService, tempDir, type TempDir } from './helpers.js';

let t: TempDir;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const before6 = MIGRATIONS.filter((m) => m.version < 6);

/** A version-5 ratings row (0005 has no index on rating_id). */
function insertRating(db: Database.Database, seq: number, ratingId: string): void {
  db.prepare(
    `INSERT INTO ratings (seq, rating_id, level, bad, is_default, record_json, prev_hash, hash, created_at, source)
     VALUES (?, ?, 'satisfied', 0, 0, '{}', 'p', 'h', ?, 'pad')`,
  ).run(seq, ratingId, seq * 10);
}

describe('migration 0006 (UNIQUE(rating_id))', () => {
  it('makes the database refuse a second rating with a ratingId already stored, with E2210, and keeps the first', () => {
    const store = open(t.dbPath);
    try {
      const first = rateNewService(store, 'satisfied');
      const service = store.insertService(newService());
      expect(() =>
        store.commitRating({
          serviceId: service.id,
          level: 'basic',
          draft: draft('basic', { ratingId: first.ratingId }),
          source: 'pad',
          sessionId: service.sessionId,
          at: 1_700_000_002_000,
        }),
      ).toThrow(expect.objectContaining({ code: STORE_ERRORS.duplicateRatingId.code }));
      expect(store.counts()).toMatchObject({ ratings: 1, outbox: 1 });
      expect(store.getService(service.id)).toMatchObject({ outcome: null });
    } finally {
      store.close();
    }
  });

  it('is refused by SQLite itself, whatever statement writes the row', () => {
    const db = new Database(t.dbPath);
    migrate(db, [...before6, migration0006]);
    insertRating(db, 1, 'r-1');
    expect(() => insertRating(db, 2, 'r-1')).toThrow(/UNIQUE constraint failed: ratings.rating_id/);
    db.close();
  });

  it('migrates a version-5 database that already holds two ratings with one id, keeps both and guards the rest', () => {
    const db = new Database(t.dbPath);
    migrate(db, before6);
    insertRating(db, 1, 'r-1');
    insertRating(db, 2, 'r-2');
    insertRating(db, 3, 'r-1');
    expect(migrate(db, [...before6, migration0006])).toEqual([6]);
    expect(db.prepare('SELECT seq FROM ratings ORDER BY seq').pluck().all()).toEqual([1, 2, 3]);
    insertRating(db, 4, 'r-4');
    expect(() => insertRating(db, 5, 'r-4')).toThrow(/UNIQUE constraint failed/);
    db.close();
  });
});
