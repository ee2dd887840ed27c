/** Migration 0008: ratings_by_time is derived from ratings (issue 18 item 2); the store re-derives an edited one. */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { open, rateNewService, tempDir, type TempDir } from './helpers.js';

let t: TempDir;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

/** Two ratings, indexed, in a closed file. */
function twoIndexedRatings(): void {
  const store = open(t.dbPath);
  rateNewService(store, 'satisfied', 1_700_000_001_000);
  rateNewService(store, 'basic', 1_700_000_002_000);
  store.catchUpTimeIndex();
  store.close();
}

describe('migration 0008 (ratings_by_time derived)', () => {
  it('refuses to update a row, to insert one that copies no rating, and to delete one that does', () => {
    twoIndexedRatings();
    const db = new Database(t.dbPath);
    try {
      expect(() => db.exec('UPDATE ratings_by_time SET created_at = created_at - 86400000')).toThrow(/E2202/);
      expect(() => db.exec('INSERT INTO ratings_by_time (created_at, seq) VALUES (1, 1)')).toThrow(/E2202/);
      expect(() =>
        db.exec('INSERT INTO ratings_by_time (created_at, seq) VALUES (1700000001000, 9)'),
      ).toThrow(/E2202/);
      expect(() => db.exec('DELETE FROM ratings_by_time WHERE seq = 1')).toThrow(/E2202/);
      expect(db.prepare('SELECT count(*) AS n FROM ratings_by_time').get()).toEqual({ n: 2 });
    } finally {
      db.close();
    }
  });

  it('migrates a version-7 file with its index rows kept', () => {
    const db = new Database(t.dbPath);
    try {
      migrate(
        db,
        MIGRATIONS.filter((m) => m.version < 8),
      );
      db.exec(`INSERT INTO ratings_by_time (created_at, seq) VALUES (5, 1)`); // no trigger yet
      migrate(db, MIGRATIONS);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
      expect(db.prepare('SELECT created_at, seq FROM ratings_by_time').all()).toEqual([
        { created_at: 5, seq: 1 },
      ]);
    } finally {
      db.close();
    }
  });

  it('a row planted with the triggers dropped is removed at open, a deleted one put back, and E2230 reported', () => {
    twoIndexedRatings();
    const db = new Database(t.dbPath);
    const triggers = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ratings_by_time'`)
      .all() as Array<{ name: string; sql: string }>;
    for (const tr of triggers) db.exec(`DROP TRIGGER "${tr.name}"`);
    db.exec(`DELETE FROM ratings_by_time WHERE seq = 2`);
    db.exec(`INSERT INTO ratings_by_time (created_at, seq) VALUES (1700000001001, 1)`);
    for (const tr of triggers) db.exec(tr.sql);
    db.close();
    const store = open(t.dbPath);
    try {
      expect(store.findings()).toEqual([
        { code: 'E2230', detail: { code: 'E2230', planted: 1, missing: 1, mark: 2 } },
      ]);
      expect(store.ratingsSummary(1_699_999_000_000, 1_700_001_000_000).total).toBe(2);
    } finally {
      store.close();
    }
    const again = open(t.dbPath);
    expect(again.findings()).toEqual([]);
    again.close();
  });
});
