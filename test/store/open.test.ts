import Database from 'better-sqlite3';
import { copyFileSync, existsSync, writeFileSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_ERRORS } from '../../src/shared/errors/store.js';
import { migrate, userVersion } from '../../src/store/migrate.js';
import { migration0001 } from '../../src/store/migrations/0001-initial.js';
import { migration0002 } from '../../src/store/migrations/0002-report-indexes.js';
import { migration0003 } from '../../src/store/migrations/0003-pii-erase-indexes.js';
import { migration0004 } from '../../src/store/migrations/0004-outbox-age-index.js';
import { migration0005 } from '../../src/store/migrations/0005-lean-commit.js';
import { LATEST_VERSION, MIGRATIONS } from '../../src/store/migrations/index.js';
import { openStore } from '../../src/store/store.js';
import { fingerprint, open, PII_KEY, rateNewService, tempDir, type TempDir } from './helpers.js';

let t: TempDir;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

function objectNames(db: Database.Database): string[] {
  return db
    .prepare<[], { name: string }>(`SELECT name FROM sqlite_master ORDER BY name`)
    .all()
    .map((r) => r.name);
}

describe('migrations', () => {
  it('are numbered 1, 2, … with no gaps in the one registry', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it('0001 creates every table with its append-only triggers and sets user_version 1', () => {
    const db = new Database(t.dbPath);
    migrate(db, [migration0001]);
    expect(userVersion(db)).toBe(1);
    const names = objectNames(db);
    for (const table of [
      'meta',
      'services',
      'ratings',
      'outbox',
      'suppressed_presses',
      'abandoned',
      'pad_events',
      'audit',
      'catalogue_cache',
    ]) {
      expect(names).toContain(table);
    }
    expect(names).toEqual(
      expect.arrayContaining([
        'ratings_no_update',
        'ratings_no_delete',
        'audit_no_update',
        'outbox_delivered_final',
      ]),
    );
    db.close();
  });

  it('0002 adds the report indexes to a version-1 database and keeps its rows', () => {
    const db = new Database(t.dbPath);
    migrate(db, [migration0001]);
    db.prepare(`INSERT INTO audit (at, actor, action, detail) VALUES (1, 'test', 'before-0002', '{}')`).run();
    expect(migrate(db, [migration0001, migration0002])).toEqual([2]);
    expect(userVersion(db)).toBe(2);
    expect(objectNames(db)).toEqual(expect.arrayContaining(['suppressed_presses_at', 'abandoned_at']));
    expect(db.prepare('SELECT count(*) AS n FROM audit').get()).toEqual({ n: 1 });
    db.close();
  });

  it('0003 adds the partial PII-erase indexes to a version-2 database, and the erase statements use them', () => {
    const db = new Database(t.dbPath);
    migrate(db, [migration0001, migration0002]);
    db.prepare(`INSERT INTO audit (at, actor, action, detail) VALUES (1, 'test', 'before-0003', '{}')`).run();
    expect(migrate(db, [migration0001, migration0002, migration0003])).toEqual([3]);
    expect(objectNames(db)).toEqual(
      expect.arrayContaining(['ratings_pii', 'services_citizen', 'services_digest_left']),
    );
    const plan = (sql: string) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>)
        .map((r) => r.detail)
        .join(' | ');
    expect(
      plan(`UPDATE ratings SET pii_enc = NULL WHERE pii_enc IS NOT NULL AND EXISTS
        (SELECT 1 FROM outbox o WHERE o.seq = ratings.seq AND o.state = 'delivered' AND o.delivered_at <= 1)`),
    ).toContain('USING INDEX ratings_pii');
    expect(db.prepare('SELECT count(*) AS n FROM audit').get()).toEqual({ n: 1 });
    db.close();
  });

  it('0004 indexes the age of pending outbox rows, so the oldest unsent record is a seek, not a scan', () => {
    const db = new Database(t.dbPath);
    migrate(db, [migration0001, migration0002, migration0003]);
    expect(migrate(db, [migration0001, migration0002, migration0003, migration0004])).toEqual([4]);
    const plan = (
      db
        .prepare(`EXPLAIN QUERY PLAN SELECT min(created_at) FROM outbox WHERE state = 'pending'`)
        .all() as Array<{ detail: string }>
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toContain('outbox_pending_age');
    db.close();
  });

  it('0005 moves every outbox row of a version-4 database into the queue tables with its state, counts and codes', () => {
    const db = new Database(t.dbPath);
    const upTo4 = [migration0001, migration0002, migration0003, migration0004];
    migrate(db, upTo4);
    const rating = db.prepare(
      `INSERT INTO ratings (seq, rating_id, level, bad, is_default, record_json, prev_hash, hash, pii_enc,
         citizen_digest, created_at, source) VALUES (?, ?, ?, ?, 0, '{}', 'p', 'h', ?, ?, ?, 'pad')`,
    );
    const outbox = db.prepare(
      `INSERT INTO outbox (seq, bad, state, created_at, attempts, last_code, delivered_at, dead_code, dead_message, dead_at)
       VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?)`,
    );
    // seq 1 delivered, PII already erased; 2 delivered, PII still there; 3 dead after 2 attempts; 4 and 5 pending.
    rating.run(1, 'r1', 'satisfied', 0, null, null, 10);
    rating.run(2, 'r2', 'satisfied', 0, 'v1.x', 'd2', 20);
    rating.run(3, 'r3', 'very_dissatisfied', 1, null, null, 30);
    rating.run(4, 'r4', 'satisfied', 0, null, null, 40);
    rating.run(5, 'r5', 'dissatisfied', 1, null, null, 50);
    outbox.run(1, 0, 'delivered', 1, null, 100, null, null, null);
    outbox.run(2, 0, 'delivered', 0, null, 200, null, null, null);
    outbox.run(3, 1, 'dead', 2, 'REJECTED', null, 'REJECTED', 'bad field', 300);
    outbox.run(4, 0, 'pending', 3, 'HTTP_503', null, null, null, null);
    outbox.run(5, 1, 'pending', 0, null, null, null, null, null);

    expect(migrate(db, [...upTo4, migration0005])).toEqual([5]);
    const all = (sql: string) => db.prepare(sql).all();
    expect(all('SELECT bad, seq FROM outbox_pending ORDER BY bad DESC, seq')).toEqual([
      { bad: 1, seq: 5 },
      { bad: 0, seq: 4 },
    ]);
    expect(all('SELECT id, seq, delivered_at, status FROM deliveries ORDER BY id')).toEqual([
      { id: 1, seq: 1, delivered_at: 100, status: 'accepted' },
      { id: 2, seq: 2, delivered_at: 200, status: 'accepted' },
    ]);
    expect(all('SELECT seq, code, message, at, resent_at FROM outbox_dead')).toEqual([
      { seq: 3, code: 'REJECTED', message: 'bad field', at: 300, resent_at: null },
    ]);
    expect(all('SELECT seq, attempts, last_code FROM outbox_attempts ORDER BY seq')).toEqual([
      { seq: 1, attempts: 1, last_code: null },
      { seq: 3, attempts: 2, last_code: 'REJECTED' },
      { seq: 4, attempts: 3, last_code: 'HTTP_503' },
    ]);
    // The erase resumes at the first delivery whose rating still holds PII (seq 2 is delivery 2).
    expect(all('SELECT name, value FROM marks ORDER BY name')).toEqual([
      { name: 'erase.digest', value: 1 },
      { name: 'erase.pii', value: 1 },
      { name: 'index.time', value: 5 },
    ]);
    expect(all('SELECT seq FROM ratings_by_time ORDER BY created_at')).toHaveLength(5);
    expect(all('SELECT seq, state FROM outbox ORDER BY seq')).toEqual([
      { seq: 1, state: 'delivered' },
      { seq: 2, state: 'delivered' },
      { seq: 3, state: 'dead' },
      { seq: 4, state: 'pending' },
      { seq: 5, state: 'pending' },
    ]);
    // The queue is read in key order: no sort of the backlog per batch (drain benchmark).
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT p.seq, r.record_json, a.attempts FROM outbox_pending p
           JOIN ratings r ON r.seq = p.seq LEFT JOIN outbox_attempts a ON a.seq = p.seq
           ORDER BY p.bad DESC, p.seq LIMIT 100`,
        )
        .all() as Array<{ detail: string }>
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).not.toContain('TEMP B-TREE');
    const erasePlan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN UPDATE services SET citizen_enc = NULL
           WHERE outcome = 'abandoned' AND citizen_enc IS NOT NULL AND closed_at <= 1 AND rating_seq IS NULL`,
        )
        .all() as Array<{ detail: string }>
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(erasePlan).toContain('services_abandoned_identity');
    expect(objectNames(db)).not.toEqual(expect.arrayContaining(['ratings_pii']));
    expect(objectNames(db)).not.toContain('outbox_pending_age');
    db.close();
  });

  it('roll a failing migration back, leave the previous version and report E2104', () => {
    const db = new Database(t.dbPath);
    migrate(db, [migration0001]);
    const broken = {
      version: 2,
      name: 'broken',
      up: (d: Database.Database) => d.exec('CREATE TABLE half (x); SELECT * FROM missing_table'),
    };
    expect(() => migrate(db, [migration0001, broken])).toThrow(
      expect.objectContaining({ code: STORE_ERRORS.migrationFailed.code }),
    );
    expect(userVersion(db)).toBe(1);
    expect(objectNames(db)).not.toContain('half');
    db.close();
  });
});

describe('openStore', () => {
  it('creates a new database with WAL, synchronous=FULL and foreign keys on, at the latest version', () => {
    const store = open(t.dbPath);
    store.close();
    const db = new Database(t.dbPath, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(userVersion(db)).toBe(LATEST_VERSION);
    db.close();
    const again = openStore({ path: t.dbPath, piiKey: PII_KEY });
    expect(again.chainStatus().ok).toBe(true);
    again.close();
  });

  it('refuses a database from a newer kiosk with E2101 and leaves the file byte-identical with no -wal/-shm', () => {
    const store = open(t.dbPath);
    rateNewService(store, 'satisfied');
    store.close();
    const raw = new Database(t.dbPath);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    const before = fingerprint(t.dbPath);
    expect(before).toMatchObject({ wal: false, shm: false });
    expect(() => open(t.dbPath)).toThrow(expect.objectContaining({ code: STORE_ERRORS.newerVersion.code }));
    expect(fingerprint(t.dbPath)).toEqual(before);
  });

  it('refuses a file that is not SQLite with E2102 and leaves it byte-identical with no -wal/-shm', () => {
    writeFileSync(t.dbPath, Buffer.alloc(8192, 0x41));
    const before = fingerprint(t.dbPath);
    expect(() => open(t.dbPath)).toThrow(expect.objectContaining({ code: STORE_ERRORS.corrupt.code }));
    expect(fingerprint(t.dbPath)).toEqual(before);
  });

  it('refuses a damaged SQLite file with E2102 and leaves it byte-identical with no -wal/-shm', () => {
    const store = open(t.dbPath);
    for (let i = 0; i < 50; i++) rateNewService(store, 'satisfied');
    store.close();
    const raw = new Database(t.dbPath, { readonly: true });
    const { rootpage } = raw
      .prepare<[], { rootpage: number }>(`SELECT rootpage FROM sqlite_master WHERE name = 'ratings'`)
      .get()!;
    raw.close();
    const bytes = readFileSync(t.dbPath);
    bytes.fill(0x55, (rootpage - 1) * 4096, (rootpage - 1) * 4096 + 64); // scribble over the ratings b-tree header
    writeFileSync(t.dbPath, bytes);
    const before = fingerprint(t.dbPath);
    expect(() => open(t.dbPath)).toThrow(expect.objectContaining({ code: STORE_ERRORS.corrupt.code }));
    expect(fingerprint(t.dbPath)).toEqual(before);
  });

  it('refuses another application’s SQLite database with E2102', () => {
    const raw = new Database(t.dbPath);
    raw.pragma('application_id = 1234');
    raw.exec('CREATE TABLE other (x)');
    raw.close();
    expect(() => open(t.dbPath)).toThrow(expect.objectContaining({ code: 'E2102' }));
  });

  it('opens a database whose last writes are still in its -wal file after a crash', () => {
    const store = open(t.dbPath);
    rateNewService(store, 'satisfied');
    // Simulate a crash: copy db + wal while the store is open, without the checkpoint that close() does.
    copyFileSync(t.dbPath, `${t.dir}/copy.db`);
    copyFileSync(`${t.dbPath}-wal`, `${t.dir}/copy.db-wal`);
    store.close();
    const reopened = open(`${t.dir}/copy.db`);
    expect(reopened.counts().ratings).toBe(1);
    expect(reopened.chainStatus().ok).toBe(true);
    reopened.close();
  });

  it('checkpoints the WAL on close so the database is one file again', () => {
    const store = open(t.dbPath);
    rateNewService(store, 'basic');
    store.close();
    expect(existsSync(`${t.dbPath}-wal`)).toBe(false);
  });
});

describe('opening a closed store', () => {
  it('frees the in-memory copy its pre-flight check makes of the file at once, not at some later garbage collection', async () => {
    open(t.dbPath).close();
    const filler = new Database(t.dbPath);
    filler.exec('CREATE TABLE bench_filler (b BLOB)');
    const insert = filler.prepare('INSERT INTO bench_filler VALUES (?)');
    for (let i = 0; i < 320; i++) insert.run(Buffer.alloc(64 * 1024, i));
    filler.close(); // clean close: no -wal, so the pre-flight check inspects a copy of the bytes
    expect(existsSync(`${t.dbPath}-wal`)).toBe(false);
    const size = readFileSync(t.dbPath).length;
    expect(size).toBeGreaterThan(20_000_000);

    const before = process.memoryUsage().arrayBuffers;
    const store = open(t.dbPath);
    let held = process.memoryUsage().arrayBuffers - before;
    for (let i = 0; i < 50 && held > size / 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      held = process.memoryUsage().arrayBuffers - before;
    }
    store.close();
    expect(held).toBeLessThan(size / 4);
  });
});
