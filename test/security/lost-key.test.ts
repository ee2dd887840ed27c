/**
 * Threat (issue 18 item 1): the PII key file `pii.key` is removed (or one sealed identity is altered) while
 * the database holds identities sealed with it. Before: a new key was made silently, health stayed `ok`, and
 * the first record that could not be decrypted threw for its whole batch, so delivery stopped for good,
 * new ratings without identity included.
 * Defences: src/crypto/keyfile.ts `loadPiiKeyFile` + src/store/sealed-identities.ts (no new key while sealed
 * identities exist; E2301 on health and diagnostics, with what to restore), src/store/pending-batch.ts (a
 * record whose identity cannot be decrypted costs only itself) + src/sync/delivery/thread.ts (it becomes a dead
 * letter with E2302, resendable once the key is back, and the rest of the queue is delivered).
 * Attack: against the real kiosk process with the province down while ratings are taken.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linkCall } from '../support/kiosk-process.js';
import { adminGet, queryDb, until } from '../support/security/kiosk.js';
import { person, ratingRig, tamper, type RatingRig } from '../support/security/rating-rig.js';

const rigs: RatingRig[] = [];
afterAll(async () => {
  for (const r of rigs) await r.dispose().catch(() => undefined);
});

/** The province test server keeps ID numbers masked (demo runs under the PII rules too). */
const masked = (certKey: string) => `${certKey.slice(0, 4)}**********${certKey.slice(14)}`;

const deadLetters = (r: RatingRig) =>
  queryDb<{ seq: number; code: string }>(r.sec.dataDir, 'SELECT seq, code FROM outbox_dead ORDER BY seq');

describe('a lost or damaged PII key', () => {
  it('pii.key removed while identities are sealed: no new key is written, health is degraded with E2301, the unreadable records become dead letters and every other record is delivered', async () => {
    const r = await ratingRig('hcp-sec-lostkey-');
    rigs.push(r);
    await r.rate(person(1));
    await r.rate(person(2));
    await r.sec.stop();
    const keyFile = path.join(r.sec.dataDir, 'pii.key');
    fs.rmSync(keyFile);
    await r.sec.restart();

    expect(fs.existsSync(keyFile)).toBe(false);
    const health = await linkCall(r.sec.info, 'GET', '/v1/health', undefined, null);
    expect(health.json).toMatchObject({ status: 'degraded' });
    const diagnostics = (await adminGet(r.sec.info, '/v1/diagnostics')).json as {
      integrity: Array<{ code: string; detail: Record<string, unknown> }>;
      codes: Array<{ code: string }>;
    };
    expect(diagnostics.integrity).toContainEqual({
      code: 'E2301',
      detail: { restore: 'pii.key', then: 'restart' },
    });
    expect(diagnostics.codes.map((c) => c.code)).toContain('E2301');
    expect(r.sec.kiosk.output()).toContain('E2301');

    // Ratings go on, with and without an identity, and nothing stalls the queue.
    await r.rate(person(3));
    await r.rate();
    await r.provinceUp();
    await r.delivered(2);
    await until('the two unreadable records to be dead letters', () => deadLetters(r).length === 2);
    const bySeq = new Map(r.province!.records().map((s) => [s.record.seq, s.record.certKey ?? null]));
    expect(bySeq.get(3)).toBe(masked(person(3).certKey)); // sealed under this run's in-memory key
    expect(bySeq.get(4)).toBeNull();
    // Kept, with their code, to be resent once pii.key is back; the queue itself is empty.
    expect(deadLetters(r)).toEqual([
      { seq: 1, code: 'E2302' },
      { seq: 2, code: 'E2302' },
    ]);
    await until(
      'the queue to be empty',
      () => queryDb(r.sec.dataDir, 'SELECT seq FROM outbox_pending').length === 0,
    );
    expect(r.sec.kiosk.output()).toMatch(/E2302/);
    expect(fs.existsSync(keyFile)).toBe(false);
  }, 120_000);

  it('one flipped character in one citizen_enc: that record becomes a dead letter with E2302, the others are delivered with their identity, and the queue never stalls', async () => {
    const r = await ratingRig('hcp-sec-flipped-');
    rigs.push(r);
    await r.rate(person(4));
    await r.rate(person(5));
    await r.rate(person(6));
    await r.sec.stop();
    tamper(r.sec.dataDir, (db) => {
      const row = db
        .prepare<[], { id: number; citizen_enc: string }>(
          `SELECT s.id, s.citizen_enc FROM services s JOIN ratings r ON r.service_id = s.id WHERE r.seq = 1`,
        )
        .get()!;
      // One bit of the ciphertext body itself: a base64 character flipped near the end can land on padding
      // bits only, which decode to the same bytes (the attack then did nothing, at random).
      const parts = row.citizen_enc.split('.');
      const body = Buffer.from(parts[3]!, 'base64');
      body[body.length - 1]! ^= 0x01;
      parts[3] = body.toString('base64');
      const flipped = parts.join('.');
      expect(flipped).not.toBe(row.citizen_enc);
      db.prepare('UPDATE services SET citizen_enc = ? WHERE id = ?').run(flipped, row.id);
    });
    await r.sec.restart();
    await r.provinceUp();
    await r.delivered(2);
    await until('the altered record to be a dead letter', () => deadLetters(r).length === 1);
    expect(deadLetters(r)).toEqual([{ seq: 1, code: 'E2302' }]);
    const bySeq = new Map(r.province!.records().map((s) => [s.record.seq, s.record.certKey ?? null]));
    expect(bySeq.has(1)).toBe(false);
    expect(bySeq.get(2)).toBe(masked(person(5).certKey));
    expect(bySeq.get(3)).toBe(masked(person(6).certKey));
    await until(
      'the queue to be empty',
      () => queryDb(r.sec.dataDir, 'SELECT seq FROM outbox_pending').length === 0,
    );
    expect(r.sec.kiosk.output()).toMatch(/E2302/);
  }, 120_000);
});
