/**
 * Threat (domain-rules §6): someone with access to the device's disk edits, deletes or inserts a rating in
 * the SQLite file (triggers dropped and put back), or rolls the whole file back to an older copy, to change
 * a window's numbers.
 * Defences: src/store/chain.ts + ratings-repo.ts verify (SM3 chain over every record, columns checked against
 * the hashed text; E2201 at start-up), src/store/high-water.ts (the `.hw` side file; E2204 on rollback),
 * src/store/store.ts (reported in chainStatus and the audit trail, never repaired), the province-side chain
 * check (dev-tools/province-sim/ledger.ts chainBreaks()).
 * Attack: against the real kiosk process; the kiosk must detect it at start (health degraded, diagnostics
 * code), keep taking ratings, leave the tampered row as it is, and the province must see the break.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linkCall } from '../support/kiosk-process.js';
import type { ChainBreak } from '../../dev-tools/province-sim/ledger.js';
import { adminGet, queryDb, until } from '../support/security/kiosk.js';
import { ratingRig, tamper, type RatingRig } from '../support/security/rating-rig.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

/** The shared rating rig (a real kiosk, a province on a held port), disposed after the file. */
async function rig(prefix: string): Promise<RatingRig> {
  const r = await ratingRig(prefix);
  cleanups.push(() => r.dispose());
  return r;
}

async function expectDetectedAtStart(r: RatingRig, code: string): Promise<Record<string, unknown>> {
  const health = await linkCall(r.sec.info, 'GET', '/v1/health', undefined, null);
  expect(health.json).toMatchObject({ status: 'degraded' });
  const diagnostics = await adminGet(r.sec.info, '/v1/diagnostics');
  const chain = (diagnostics.json as { chain: Record<string, unknown> }).chain;
  expect(chain).toMatchObject({ ok: false, code });
  const audit = queryDb<{ action: string; detail: string }>(
    r.sec.dataDir,
    `SELECT action, detail FROM audit WHERE actor = 'store'`,
  );
  expect(audit.some((a) => a.detail.includes(code))).toBe(true);
  return chain;
}

const row = (dataDir: string, seq: number) =>
  queryDb<{ record_json: string; hash: string; prev_hash: string }>(
    dataDir,
    'SELECT record_json, hash, prev_hash FROM ratings WHERE seq = ?',
    seq,
  )[0];

const hasBreak = (breaks: ChainBreak[], kind: ChainBreak['kind'], seq?: number) =>
  breaks.some(
    (b) => b.kind === kind && (seq === undefined || ('seq' in b ? b.seq === seq : b.missing.includes(seq))),
  );

describe('integrity of the rating history', () => {
  it('an edited rating is detected at start (E2201) and by the province, the kiosk keeps rating, and the row is never rewritten', async () => {
    const r = await rig('hcp-sec-edit-');
    for (let i = 0; i < 3; i += 1) await r.rate();
    await r.sec.kiosk.stop();
    tamper(r.sec.dataDir, (db) => {
      // 满意 → 非常满意 in the hashed text and the column, hash left as it was.
      db.prepare(
        `UPDATE ratings SET level = 'very_satisfied', record_json = replace(record_json, '"satisfaction":"4"', '"satisfaction":"5"') WHERE seq = 2`,
      ).run();
    });
    const tampered = row(r.sec.dataDir, 2);
    expect(tampered?.record_json).toContain('"satisfaction":"5"');
    await r.sec.restart();
    expect(await expectDetectedAtStart(r, 'E2201')).toMatchObject({ brokenAt: 2 });
    await r.rate();
    await r.provinceUp();
    await r.delivered(4);
    expect(hasBreak(r.province!.chainBreaks(), 'hash', 2)).toBe(true);
    await r.sec.restart();
    expect(row(r.sec.dataDir, 2)).toEqual(tampered);
    await expectDetectedAtStart(r, 'E2201');
  }, 60_000);

  it('a deleted rating is detected at start (E2201) and by the province as a gap', async () => {
    const r = await rig('hcp-sec-delete-');
    for (let i = 0; i < 3; i += 1) await r.rate();
    await r.sec.kiosk.stop();
    tamper(r.sec.dataDir, (db) => {
      db.prepare('DELETE FROM outbox_pending WHERE seq = 2').run();
      db.prepare('DELETE FROM ratings WHERE seq = 2').run();
    });
    await r.sec.restart();
    expect(await expectDetectedAtStart(r, 'E2201')).toMatchObject({ brokenAt: 2 });
    await r.rate();
    await r.provinceUp();
    await r.delivered(3);
    expect(hasBreak(r.province!.chainBreaks(), 'gap', 2)).toBe(true);
    expect(row(r.sec.dataDir, 2)).toBeUndefined();
  }, 60_000);

  it('an inserted rating is detected at start (E2201) and by the province', async () => {
    const r = await rig('hcp-sec-insert-');
    for (let i = 0; i < 2; i += 1) await r.rate();
    await r.sec.kiosk.stop();
    tamper(r.sec.dataDir, (db) => {
      const last = db.prepare('SELECT * FROM ratings WHERE seq = 2').get() as Record<string, unknown>;
      const record = JSON.parse(String(last.record_json)) as Record<string, unknown>;
      const forged = {
        ...record,
        seq: 3,
        prevHash: last.hash,
        ratingId: '01900000-0000-7000-8000-000000000003',
        projectNo: 'FORGED-1',
        satisfaction: '1',
        // A code of the province's own catalogue: the forger makes a record that passes the province's field
        // checks (a builtin-1 code would be refused with BAD_CODE), so that only the chain can tell.
        evalDetail: '501',
        catalogueVersion: 'hi-2026.1',
      };
      db.prepare(
        `INSERT INTO ratings (seq, rating_id, service_id, level, bad, is_default, record_json, prev_hash, hash, created_at, source)
         VALUES (3, ?, NULL, 'very_dissatisfied', 1, 0, ?, ?, ?, ?, 'touch')`,
      ).run(forged.ratingId, JSON.stringify(forged), last.hash, 'f'.repeat(64), Date.now());
      db.prepare(`INSERT INTO outbox_pending (bad, seq) VALUES (1, 3)`).run();
    });
    const forgedRow = row(r.sec.dataDir, 3);
    await r.sec.restart();
    expect(await expectDetectedAtStart(r, 'E2201')).toMatchObject({ brokenAt: 3 });
    await r.rate();
    await r.provinceUp();
    await r.delivered(3);
    expect(hasBreak(r.province!.chainBreaks(), 'hash', 3)).toBe(true);
    expect(row(r.sec.dataDir, 3)).toEqual(forgedRow);
  }, 60_000);

  it('rolling the database back to an older copy is detected at start (E2204) and by the province as a reused seq', async () => {
    const r = await rig('hcp-sec-rollback-');
    await r.provinceUp();
    for (let i = 0; i < 2; i += 1) await r.rate();
    await r.delivered(2);
    await r.sec.kiosk.stop();
    const db = path.join(r.sec.dataDir, 'kiosk.sqlite');
    const copies = ['', '-wal', '-shm'].filter((s) => fs.existsSync(db + s));
    for (const s of copies) fs.copyFileSync(db + s, `${db}${s}.old`);
    await r.sec.restart();
    for (let i = 0; i < 2; i += 1) await r.rate();
    await r.delivered(4);
    await r.sec.kiosk.stop();
    for (const s of ['', '-wal', '-shm']) fs.rmSync(db + s, { force: true });
    for (const s of copies) fs.copyFileSync(`${db}${s}.old`, db + s);
    await r.sec.restart();
    expect(await expectDetectedAtStart(r, 'E2204')).toMatchObject({ lastSeq: 2 });
    await r.rate();
    await linkCall(r.sec.info, 'POST', '/v1/sync/now', {}, r.sec.info.adminToken);
    await until(
      'the reused seq at the province',
      () => hasBreak(r.province!.chainBreaks(), 'seq-reused', 3),
      15_000,
    );
  }, 60_000);
});
