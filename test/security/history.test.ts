/**
 * Threats (issue 18 item 2): someone with the data directory edits the statistics' index or a rating's columns
 * outside the hashed record, or lowers the rollback mark beside a rolled-back database, and health stays `ok`.
 * Defences: src/store/migrations/0008-derived-stats.ts + src/store/stats-repo.ts (ratings_by_time is derived:
 * read joined on both columns, re-derived at open, E2230), src/store/record-check.ts `rowMatchesRecord` (every
 * column that reaches the record: created_at, service_id, session_id, a default's source; E2201),
 * src/store/high-water.ts + src/store/store.ts (the mark is sealed with a key derived from the device's sealed
 * key; a missing, unsealed or forged mark is E2231).
 * Attack: against the real kiosk process, which is stopped while the files are edited (triggers dropped and
 * put back, as in integrity.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linkCall } from '../support/kiosk-process.js';
import { adminGet, queryDb, until } from '../support/security/kiosk.js';
import { ratingRig, tamper, type RatingRig } from '../support/security/rating-rig.js';

const rigs: RatingRig[] = [];
afterAll(async () => {
  for (const r of rigs) await r.dispose().catch(() => undefined);
});

const DAY = 86_400_000;
const shanghaiDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

async function summary(r: RatingRig, ms: number): Promise<{ total: number }> {
  const answer = await adminGet(r.sec.info, `/v1/ratings/summary?date=${shanghaiDate(ms)}`);
  expect(answer.status).toBe(200);
  return answer.json as { total: number };
}

async function health(r: RatingRig): Promise<string> {
  const answer = await linkCall(r.sec.info, 'GET', '/v1/health', undefined, null);
  return (answer.json as { status: string }).status;
}

async function integrityCodes(r: RatingRig): Promise<string[]> {
  const d = (await adminGet(r.sec.info, '/v1/diagnostics')).json as { integrity: Array<{ code: string }> };
  return d.integrity.map((p) => p.code);
}

async function chain(r: RatingRig): Promise<{ ok: boolean; code: string | null; brokenAt: number | null }> {
  const d = (await adminGet(r.sec.info, '/v1/diagnostics')).json as {
    chain: { ok: boolean; code: string | null; brokenAt: number | null };
  };
  return d.chain;
}

describe('statistics and history edited outside the kiosk', () => {
  it('duplicated, re-targeted and planted rows in ratings_by_time change no day figure; the index is re-derived at start with E2230', async () => {
    const r = await ratingRig('hcp-sec-stats-');
    rigs.push(r);
    for (let i = 0; i < 4; i += 1) await r.rate();
    await until(
      'the time index to hold the 4 ratings',
      () => queryDb(r.sec.dataDir, 'SELECT seq FROM ratings_by_time').length === 4,
    );
    const now = Date.now();
    expect((await summary(r, now)).total).toBe(4);
    await r.sec.stop();
    tamper(r.sec.dataDir, (db) => {
      const rows = db.prepare('SELECT seq, created_at FROM ratings_by_time ORDER BY seq').all() as Array<{
        seq: number;
        created_at: number;
      }>;
      // Duplicate seq 1 a millisecond later, move seq 2 to the day before, plant a row for a rating that does not exist.
      db.prepare('INSERT INTO ratings_by_time (created_at, seq) VALUES (?, ?)').run(
        rows[0]!.created_at + 1,
        1,
      );
      db.prepare('UPDATE ratings_by_time SET created_at = ? WHERE seq = 2').run(rows[1]!.created_at - DAY);
      db.prepare('INSERT INTO ratings_by_time (created_at, seq) VALUES (?, ?)').run(rows[2]!.created_at, 99);
    });
    await r.sec.restart();
    expect((await summary(r, now)).total).toBe(4);
    expect((await summary(r, now - DAY)).total).toBe(0);
    expect(await integrityCodes(r)).toContain('E2230');
    expect(await health(r)).toBe('degraded');
    const audit = queryDb<{ detail: string }>(
      r.sec.dataDir,
      `SELECT detail FROM audit WHERE action = 'store.index-rederived'`,
    );
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail)).toMatchObject({ code: 'E2230', planted: 3, missing: 1 });
    // Re-derived: every row copies a rating again.
    expect(
      queryDb(
        r.sec.dataDir,
        `SELECT t.seq FROM ratings_by_time t LEFT JOIN ratings x ON x.seq = t.seq AND x.created_at = t.created_at WHERE x.seq IS NULL`,
      ),
    ).toEqual([]);
  }, 120_000);

  it('editing created_at, service_id or session_id of a stored rating, or making a live rating a default, is caught as E2201 at its seq', async () => {
    const r = await ratingRig('hcp-sec-columns-');
    rigs.push(r);
    for (let i = 0; i < 5; i += 1) await r.rate();
    const edits: Array<[number, string]> = [
      [1, 'UPDATE ratings SET created_at = created_at - 86400000 WHERE seq = 1'],
      [2, 'UPDATE ratings SET service_id = (SELECT service_id FROM ratings WHERE seq = 3) WHERE seq = 2'],
      [3, `UPDATE ratings SET session_id = (SELECT session_id FROM ratings WHERE seq = 4) WHERE seq = 3`],
      [4, `UPDATE ratings SET source = 'default', session_id = NULL WHERE seq = 4`],
    ];
    for (const [seq, sql] of edits) {
      await r.sec.stop();
      const before = queryDb<Record<string, unknown>>(
        r.sec.dataDir,
        'SELECT * FROM ratings WHERE seq = ?',
        seq,
      )[0]!;
      tamper(r.sec.dataDir, (db) => db.exec(sql));
      await r.sec.restart();
      expect(await chain(r)).toMatchObject({ ok: false, code: 'E2201', brokenAt: seq });
      expect(await health(r)).toBe('degraded');
      // Put the row back as it was, so the next edit is the first break.
      await r.sec.stop();
      tamper(r.sec.dataDir, (db) =>
        db
          .prepare(
            'UPDATE ratings SET created_at = ?, service_id = ?, session_id = ?, source = ? WHERE seq = ?',
          )
          .run(before.created_at, before.service_id, before.session_id, before.source, seq),
      );
      await r.sec.restart();
      expect(await chain(r)).toMatchObject({ ok: true });
    }
  }, 180_000);

  it('a rolled-back database beside a lowered unsealed mark, a forged mark or no mark at all is reported E2231, never trusted', async () => {
    const r = await ratingRig('hcp-sec-hw-');
    rigs.push(r);
    await r.rate();
    await r.rate();
    await r.sec.stop();
    const db = path.join(r.sec.dataDir, 'kiosk.sqlite');
    const hw = `${db}.hw`;
    const oldCopy = fs.readFileSync(db);
    expect(fs.readFileSync(hw, 'latin1')).toMatch(/^hcp-hw2 0{15}2 [0-9a-f]{64}\n$/);
    await r.sec.restart();
    await r.rate();
    await r.rate();
    await r.sec.stop();
    const forgeries: Array<[string, string | null]> = [
      ['unsealed mark lowered to the copy', `hcp-hw1 ${'2'.padStart(16, '0')}\n`],
      ['sealed form with a made-up MAC', `hcp-hw2 ${'2'.padStart(16, '0')} ${'ab'.repeat(32)}\n`],
      ['mark deleted', null],
    ];
    for (const [what, text] of forgeries) {
      for (const suffix of ['-wal', '-shm']) fs.rmSync(`${db}${suffix}`, { force: true });
      fs.writeFileSync(db, oldCopy);
      if (text === null) fs.rmSync(hw);
      else fs.writeFileSync(hw, text);
      await r.sec.restart();
      expect({ what, codes: await integrityCodes(r) }).toEqual({ what, codes: ['E2231'] });
      expect(await health(r)).toBe('degraded');
      await r.sec.stop();
    }
    // Each round starts from the old copy again, so the audit trail holds the last round's report.
    const audit = queryDb(r.sec.dataDir, `SELECT id FROM audit WHERE action = 'store.rollback-mark-invalid'`);
    expect(audit).toHaveLength(1);
  }, 180_000);
});
