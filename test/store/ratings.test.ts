import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_ERRORS } from '../../src/shared/errors/store.js';
import { GENESIS_PREV_HASH } from '../../src/shared/province-record.js';
import { recordHash } from '../../src/store/chain.js';
import type { KioskStore } from '../../src/store/types.js';
import {
  draft,
  ID_NUMBER,
  NAME,
  newService,
  open,
  rateNewService,
  tempDir,
  type TempDir,
} from './helpers.js';

let t: TempDir;
let store: KioskStore;
beforeEach(() => {
  t = tempDir();
  store = open(t.dbPath);
});
afterEach(() => {
  store.close();
  t.cleanup();
});

describe('commitRating', () => {
  it('appends seq 1, 2, … each linked to the previous hash, with a pending outbox row and the service rated', () => {
    const a = rateNewService(store, 'satisfied');
    const b = rateNewService(store, 'very_dissatisfied', 1_700_000_002_000);
    expect([a.seq, b.seq]).toEqual([1, 2]);
    const first = store.getRating(1)!;
    expect(first.record.prevHash).toBe(GENESIS_PREV_HASH);
    expect(first.record.hash).toBe(recordHash(GENESIS_PREV_HASH, first.record));
    expect(store.getRating(2)!.record.prevHash).toBe(a.hash);
    expect(store.lastLink()).toEqual({ seq: 2, hash: b.hash });
    expect(store.stats().depth).toBe(2);
    expect(store.getService(a.serviceId)).toMatchObject({ outcome: 'rated', closedAt: 1_700_000_001_000 });
    expect(store.verifyChain(1).ok).toBe(true);
  });

  it('refuses a second rating for the same service with E2203 and writes nothing (一次一评)', () => {
    const { serviceId } = rateNewService(store, 'satisfied');
    const before = store.counts();
    expect(() =>
      store.commitRating({
        serviceId,
        level: 'basic',
        draft: draft('basic'),
        source: 'pad',
        sessionId: null,
        at: 5,
      }),
    ).toThrow(expect.objectContaining({ code: STORE_ERRORS.duplicateRating.code }));
    expect(store.counts()).toEqual(before);
    expect(store.lastLink().seq).toBe(1);
  });

  it('refuses a replayed pad event with E2203 and writes nothing, and remembers the event it accepted', () => {
    const pad = { padSerial: 'RP1-0001', eventCounter: 41 };
    const s1 = store.insertService(newService());
    store.commitRating({
      serviceId: s1.id,
      level: 'satisfied',
      draft: draft('satisfied'),
      source: 'pad',
      sessionId: null,
      at: 1,
      padEvent: pad,
    });
    expect(store.padEventSeen('RP1-0001', 41)).toBe(true);
    expect(store.padEventSeen('RP1-0001', 42)).toBe(false);
    const s2 = store.insertService(newService());
    const before = store.counts();
    expect(() =>
      store.commitRating({
        serviceId: s2.id,
        level: 'basic',
        draft: draft('basic'),
        source: 'pad',
        sessionId: null,
        at: 2,
        padEvent: pad,
      }),
    ).toThrow(expect.objectContaining({ code: 'E2203' }));
    expect(store.counts()).toEqual(before);
    expect(store.getService(s2.id)!.outcome).toBeNull();
  });

  it('refuses a rating for an unknown service with E2207 and a level that disagrees with satisfaction with E2205', () => {
    expect(() =>
      store.commitRating({
        serviceId: 999,
        level: 'basic',
        draft: draft('basic'),
        source: 'pad',
        sessionId: null,
        at: 1,
      }),
    ).toThrow(expect.objectContaining({ code: STORE_ERRORS.unknownService.code }));
    expect(() =>
      store.commitRating({
        serviceId: null,
        level: 'basic',
        draft: draft('satisfied'),
        source: 'pad',
        sessionId: null,
        at: 1,
      }),
    ).toThrow(expect.objectContaining({ code: STORE_ERRORS.invalidRecord.code }));
    expect(store.counts().ratings).toBe(0);
  });

  it('keeps ID number and name out of the rating row (sealed once, in its service) and decrypts them back in getRating and nextBatch', () => {
    const { seq } = rateNewService(store, 'satisfied', 1, {
      certKey: ID_NUMBER,
      userName: NAME,
      userPageType: '111',
    });
    const raw = new Database(t.dbPath, { readonly: true });
    const row = raw
      .prepare<[number], { record_json: string; pii_enc: string | null; citizen_enc: string }>(
        `SELECT r.record_json, r.pii_enc, s.citizen_enc FROM ratings r JOIN services s ON s.rating_seq = r.seq
         WHERE r.seq = ?`,
      )
      .get(seq)!;
    raw.close();
    expect(row.record_json).not.toContain(ID_NUMBER);
    expect(row.record_json).not.toContain(NAME);
    expect(row.pii_enc).toBeNull();
    expect(row.citizen_enc).toMatch(/^v1\./);
    expect(store.getRating(seq)!.record).toMatchObject({
      certKey: ID_NUMBER,
      userName: NAME,
      userPageType: '111',
    });
    expect(store.nextBatch(1)[0]!.record).toMatchObject({ certKey: ID_NUMBER, userName: NAME });
  });

  it('never writes the ID number or the name in clear to the database file or its WAL', () => {
    const s = store.insertService(
      newService({
        citizen: { certKey: ID_NUMBER, userName: NAME, userProp: '1', certType: 'id-card' as const },
      }),
    );
    store.commitRating({
      serviceId: s.id,
      level: 'basic',
      draft: draft('basic'),
      source: 'pad',
      sessionId: null,
      at: 1,
    });
    const bytes = Buffer.concat([readFileSync(t.dbPath), readFileSync(`${t.dbPath}-wal`)]);
    for (const secret of [ID_NUMBER, NAME]) {
      expect(bytes.includes(Buffer.from(secret, 'utf8'))).toBe(false);
      expect(bytes.includes(Buffer.from(secret, 'utf16le'))).toBe(false);
    }
  });

  it('returns undefined for a seq that does not exist', () => {
    expect(store.getRating(1)).toBeUndefined();
  });
});

describe('append-only triggers', () => {
  function raw(): Database.Database {
    return new Database(t.dbPath);
  }

  it('refuse UPDATE and DELETE of ratings through raw SQL', () => {
    rateNewService(store, 'satisfied');
    const db = raw();
    expect(() => db.prepare(`UPDATE ratings SET level = 'basic' WHERE seq = 1`).run()).toThrow(/E2202/);
    expect(() => db.prepare(`UPDATE ratings SET record_json = '{}' WHERE seq = 1`).run()).toThrow(/E2202/);
    expect(() => db.prepare(`UPDATE ratings SET pii_enc = 'v1.x' WHERE seq = 1`).run()).toThrow(/E2202/);
    expect(() => db.prepare('DELETE FROM ratings WHERE seq = 1').run()).toThrow(/E2202/);
    db.close();
  });

  it('refuse a second rating for a service and a change of a service’s rating even through raw SQL (E2203)', () => {
    const { serviceId } = rateNewService(store, 'satisfied');
    const db = raw();
    const copy = db.prepare('SELECT * FROM ratings WHERE seq = 1').get() as Record<string, unknown>;
    expect(() =>
      db
        .prepare(
          `INSERT INTO ratings (seq, rating_id, service_id, level, bad, is_default, record_json, prev_hash, hash,
             created_at, source) VALUES (2, 'x', ?, 'satisfied', 0, 0, ?, ?, ?, 1, 'pad')`,
        )
        .run(serviceId, copy.record_json, copy.hash, copy.hash),
    ).toThrow(/E2203/);
    expect(() => db.prepare('UPDATE services SET rating_seq = 7 WHERE id = ?').run(serviceId)).toThrow(
      /E2203/,
    );
    expect(db.prepare('SELECT count(*) AS n FROM ratings').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT rating_seq, outcome FROM services WHERE id = ?').get(serviceId)).toEqual({
      rating_seq: 1,
      outcome: 'rated',
    });
    db.close();
  });

  it('allow only the PII erase: pii_enc set to NULL', () => {
    rateNewService(store, 'satisfied', 1, { certKey: ID_NUMBER, userName: NAME });
    const db = raw();
    expect(db.prepare('UPDATE ratings SET pii_enc = NULL WHERE seq = 1').run().changes).toBe(1);
    db.close();
  });

  it('refuse UPDATE and DELETE on suppressed presses, abandoned sessions, pad events, audit, deliveries; DELETE on services and on a queued record that was neither delivered nor made dead', () => {
    const s = store.insertService(newService());
    store.recordAbandoned({
      serviceId: s.id,
      sessionId: s.sessionId,
      level: 'dissatisfied',
      at: 1,
      flags: [],
      catalogueVersion: 'v1',
    });
    store.recordSuppressed({
      at: 1,
      level: 'basic',
      source: 'pad',
      reason: 'no-session',
      sessionId: null,
      flags: [],
      padEvent: { padSerial: 'p', eventCounter: 1 },
    });
    store.audit({ at: 1, actor: 'test', action: 'x', detail: {} });
    rateNewService(store, 'basic');
    const db = raw();
    for (const table of ['suppressed_presses', 'abandoned', 'audit', 'pad_events']) {
      expect(() => db.prepare(`UPDATE ${table} SET at = 2`).run()).toThrow(/E2202/);
      expect(() => db.prepare(`DELETE FROM ${table}`).run()).toThrow(/E2202/);
    }
    // A queued record cannot vanish: it leaves the queue only as a delivery or a dead letter.
    expect(() => db.prepare('DELETE FROM outbox_pending').run()).toThrow(/E2202/);
    expect(() => db.prepare('DELETE FROM services').run()).toThrow(/E2202/);
    db.prepare(`INSERT INTO deliveries (seq, delivered_at, status) VALUES (1, 1, 'accepted')`).run();
    db.prepare('DELETE FROM outbox_pending WHERE seq = 1').run();
    expect(() => db.prepare(`UPDATE deliveries SET delivered_at = 2`).run()).toThrow(/E2202/);
    expect(() => db.prepare(`DELETE FROM deliveries`).run()).toThrow(/E2202/);
    db.close();
  });
});
