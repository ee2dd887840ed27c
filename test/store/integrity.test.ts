import Database from 'better-sqlite3';
import { copyFileSync, rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_ERRORS } from '../../src/shared/errors/store.js';
import { canonicalRecord, recordHash } from '../../src/store/chain.js';
import { draft, open, rateNewService, tempDir, type TempDir } from './helpers.js';

let t: TempDir;
beforeEach(() => {
  t = tempDir();
  const store = open(t.dbPath);
  for (let i = 1; i <= 5; i++) rateNewService(store, 'satisfied', i);
  store.close();
});
afterEach(() => t.cleanup());

/** Edits the closed database the way an intruder would: triggers dropped, raw SQL. */
function tamper(sql: (db: Database.Database) => void): void {
  const db = new Database(t.dbPath);
  db.pragma('foreign_keys = OFF');
  db.exec('DROP TRIGGER ratings_no_update; DROP TRIGGER ratings_no_delete;');
  sql(db);
  db.close();
}

function auditActions(): string[] {
  const db = new Database(t.dbPath, { readonly: true });
  const rows = db.prepare<[], { action: string }>('SELECT action FROM audit').all();
  db.close();
  return rows.map((r) => r.action);
}

describe('chain verification at open', () => {
  it('reports an intact chain with its last link', () => {
    const store = open(t.dbPath);
    expect(store.chainStatus()).toMatchObject({ ok: true, lastSeq: 5, brokenAt: null, code: null });
    store.close();
  });

  it('detects an edited level column, reports E2201, still opens and never repairs', () => {
    tamper((db) => db.prepare(`UPDATE ratings SET level = 'very_satisfied' WHERE seq = 3`).run());
    const store = open(t.dbPath);
    expect(store.chainStatus()).toMatchObject({
      ok: false,
      brokenAt: 3,
      lastSeq: 5,
      code: STORE_ERRORS.chainBroken.code,
    });
    expect(store.getRating(3)!.level).toBe('very_satisfied');
    // The kiosk keeps running: new ratings still append.
    expect(rateNewService(store, 'basic').seq).toBe(6);
    store.close();
    expect(auditActions()).toEqual(['store.chain-broken']);
  });

  it('detects an edited record text whose satisfaction was changed', () => {
    tamper((db) =>
      db
        .prepare(
          `UPDATE ratings SET record_json = replace(record_json, '"satisfaction":"4"', '"satisfaction":"1"'), level = 'very_dissatisfied' WHERE seq = 2`,
        )
        .run(),
    );
    const store = open(t.dbPath);
    expect(store.chainStatus()).toMatchObject({ ok: false, brokenAt: 2, code: 'E2201' });
    store.close();
  });

  it('detects a deleted row', () => {
    tamper((db) => db.prepare('DELETE FROM ratings WHERE seq = 2').run());
    const store = open(t.dbPath);
    expect(store.chainStatus()).toMatchObject({ ok: false, brokenAt: 2, code: 'E2201' });
    store.close();
  });

  it('detects an inserted row even when the forger recomputed its hash', () => {
    tamper((db) => {
      for (let seq = 5; seq >= 3; seq--)
        db.prepare('UPDATE ratings SET seq = seq + 1 WHERE seq = ?').run(seq);
      const prev = db.prepare<[], { hash: string }>('SELECT hash FROM ratings WHERE seq = 2').get()!;
      const record = { ...draft('very_satisfied'), seq: 3, prevHash: prev.hash };
      db.prepare(
        `INSERT INTO ratings (seq, rating_id, level, bad, is_default, record_json, prev_hash, hash, created_at, source)
         VALUES (3, ?, 'very_satisfied', 0, 0, ?, ?, ?, 3, 'pad')`,
      ).run(record.ratingId, canonicalRecord(record), prev.hash, recordHash(prev.hash, record));
    });
    const store = open(t.dbPath);
    // The forged row names no service and a time its record does not: caught at its own seq.
    expect(store.chainStatus()).toMatchObject({ ok: false, brokenAt: 3, code: 'E2201' });
    store.close();
  });

  it('verifyChain re-checks on demand without changing the open-time status', () => {
    const store = open(t.dbPath);
    expect(store.verifyChain(99)).toMatchObject({ ok: true, lastSeq: 5, verifiedAt: 99 });
    store.close();
  });
});

describe('rollback detection', () => {
  it('reports E2204 when the database file is replaced by an older copy', () => {
    copyFileSync(t.dbPath, `${t.dir}/backup.db`); // 5 ratings
    const store = open(t.dbPath);
    rateNewService(store, 'satisfied');
    rateNewService(store, 'satisfied');
    store.close();
    copyFileSync(`${t.dir}/backup.db`, t.dbPath);
    const rolled = open(t.dbPath);
    expect(rolled.chainStatus()).toMatchObject({
      ok: false,
      lastSeq: 5,
      brokenAt: null,
      code: STORE_ERRORS.rolledBack.code,
    });
    rolled.close();
    expect(auditActions()).toContain('store.rolled-back');
  });

  it('reports E2204 when the last rows were deleted, which the chain alone cannot see', () => {
    tamper((db) => db.prepare('DELETE FROM ratings WHERE seq >= 4').run());
    const store = open(t.dbPath);
    expect(store.chainStatus()).toMatchObject({ ok: false, lastSeq: 3, code: 'E2204' });
    store.close();
  });

  it('trusts the database when the side file is missing, and recreates it', () => {
    rmSync(`${t.dbPath}.hw`);
    const store = open(t.dbPath);
    expect(store.chainStatus().ok).toBe(true);
    store.close();
    copyFileSync(t.dbPath, `${t.dir}/backup.db`);
    const s2 = open(t.dbPath);
    rateNewService(s2, 'basic');
    s2.close();
    copyFileSync(`${t.dir}/backup.db`, t.dbPath);
    const s3 = open(t.dbPath);
    expect(s3.chainStatus().code).toBe('E2204');
    s3.close();
  });
});
