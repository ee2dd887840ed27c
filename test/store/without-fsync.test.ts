import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withoutFsync } from '../../src/store/context.js';
import { tempDir, type TempDir } from './helpers.js';

let t: TempDir;
let db: Database.Database;
beforeEach(() => {
  t = tempDir();
  db = new Database(t.dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (v INTEGER)');
});
afterEach(() => {
  db.close();
  t.cleanup();
});

const level = () => db.pragma('synchronous', { simple: true });

describe('writes without their own fsync', () => {
  it('run at synchronous NORMAL, commit, return their result, and leave the connection at FULL', () => {
    const seen = withoutFsync(db, () => {
      db.prepare('INSERT INTO t VALUES (1)').run();
      return level();
    });
    expect(seen).toBe(1); // NORMAL
    expect(level()).toBe(2); // FULL again for the next rating
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
  });

  it('leave the connection at FULL when the write throws, and the throw reaches the caller', () => {
    const failing = db.transaction(() => {
      db.prepare('INSERT INTO t VALUES (2)').run();
      throw new Error('step failed');
    });
    expect(() => withoutFsync(db, () => failing())).toThrow('step failed');
    expect(level()).toBe(2);
    expect(db.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
  });
});
