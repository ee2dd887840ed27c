import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createAdminPinGuard,
  hashPin,
  LOCKOUT,
  lockDuration,
  verifyPin,
  type AdminPinGuard,
} from '../../src/config/admin-pin.js';
import { createAuditTrail } from '../../src/config/audit.js';
import { RecordingAudit, tempDataDir } from './helpers.js';

const FAST = { ln: 4, r: 8, p: 1 };
const PIN = '482916';
const MIN = 60_000;

let data: ReturnType<typeof tempDataDir>;
let audit: RecordingAudit;
let clock: { now: number };
let hash: string;

beforeEach(async () => {
  data = tempDataDir();
  audit = new RecordingAudit();
  clock = { now: Date.parse('2024-05-01T09:00:00+08:00') };
  hash = await hashPin(PIN, FAST);
});
afterEach(() => data.cleanup());

function guard(): AdminPinGuard {
  return createAdminPinGuard({
    statePath: data.paths.pinState,
    pinHash: () => hash,
    audit: createAuditTrail(audit, () => clock.now),
    now: () => clock.now,
  });
}

async function fail(g: AdminPinGuard, times: number) {
  let last;
  for (let i = 0; i < times; i += 1) last = await g.attempt('000000', 'admin-screen');
  return last;
}

describe('PIN hashing', () => {
  it('encodes the scrypt parameters and a random salt in the hash, N = 2^15 by default', async () => {
    const strong = await hashPin(PIN);
    expect(strong).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await hashPin(PIN)).not.toBe(strong);
    expect(await verifyPin(PIN, strong)).toBe(true);
    expect(await verifyPin('482917', strong)).toBe(false);
  });

  it('a malformed hash or an absurd PIN verifies false instead of throwing', async () => {
    expect(await verifyPin(PIN, 'nonsense')).toBe(false);
    expect(await verifyPin(PIN, '$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$' + 'A'.repeat(43))).toBe(
      false,
    );
    expect(await verifyPin('1'.repeat(10_000), hash)).toBe(false);
  });

  it('refuses to hash a PIN that is not 6–12 digits', async () => {
    await expect(hashPin('12345', FAST)).rejects.toThrow();
    await expect(hashPin('abcdef', FAST)).rejects.toThrow();
  });
});

describe('PIN lockout', () => {
  it('five wrong PINs lock for five minutes; the lockout ends on time', async () => {
    const g = guard();
    for (let i = 1; i <= 4; i += 1) {
      expect(await g.attempt('000000', 'admin-screen')).toEqual({
        ok: false,
        reason: 'wrong',
        remaining: 5 - i,
        lockedUntil: null,
      });
    }
    expect(await g.attempt('000000', 'admin-screen')).toEqual({
      ok: false,
      reason: 'wrong',
      remaining: 0,
      lockedUntil: clock.now + 5 * MIN,
    });
    clock.now += 5 * MIN - 1;
    expect(await g.attempt(PIN, 'admin-screen')).toEqual({
      ok: false,
      reason: 'locked',
      lockedUntil: clock.now + 1,
    });
    clock.now += 1;
    expect(await g.attempt(PIN, 'admin-screen')).toEqual({ ok: true });
  });

  it('each further lockout doubles: 5, 10, 20 minutes, capped at a day', async () => {
    const g = guard();
    const start = clock.now;
    expect(await fail(g, 5)).toMatchObject({ lockedUntil: start + 5 * MIN });
    clock.now = start + 5 * MIN;
    expect(await fail(g, 5)).toMatchObject({ lockedUntil: clock.now + 10 * MIN });
    clock.now += 10 * MIN;
    expect(await fail(g, 5)).toMatchObject({ lockedUntil: clock.now + 20 * MIN });
    expect(lockDuration(20)).toBe(LOCKOUT.maxMs);
  });

  it('a correct PIN clears the count and the doubling', async () => {
    const g = guard();
    await fail(g, 5);
    clock.now += 5 * MIN;
    expect(await g.attempt(PIN, 'admin-screen')).toEqual({ ok: true });
    await fail(g, 4);
    expect(await g.attempt(PIN, 'admin-screen')).toEqual({ ok: true });
    expect(await fail(g, 5)).toMatchObject({ lockedUntil: clock.now + 5 * MIN });
  });

  it('the lockout holds across a restart (a new guard over the same state file)', async () => {
    await fail(guard(), 5);
    const restarted = guard();
    expect(restarted.status()).toEqual({ locked: true, lockedUntil: clock.now + 5 * MIN, failures: 0 });
    expect(await restarted.attempt(PIN, 'admin-screen')).toMatchObject({ reason: 'locked' });
    clock.now += 5 * MIN;
    expect(await guard().attempt(PIN, 'admin-screen')).toEqual({ ok: true });
  });

  it('failures below the limit also survive a restart', async () => {
    await fail(guard(), 3);
    expect(await fail(guard(), 2)).toMatchObject({ remaining: 0, lockedUntil: clock.now + 5 * MIN });
  });

  it('an altered state file locks rather than forgets', async () => {
    fs.writeFileSync(data.paths.pinState, '{"failures":"zero"}');
    expect(await guard().attempt(PIN, 'admin-screen')).toMatchObject({ ok: false, reason: 'locked' });
  });

  it('a clock set back does not shorten a lockout', async () => {
    const g = guard();
    await fail(g, 5);
    clock.now -= 60 * MIN;
    expect(g.status()).toMatchObject({ locked: true, lockedUntil: clock.now + 5 * MIN });
  });

  it('concurrent attempts are serialised, so they cannot slip past the limit', async () => {
    const g = guard();
    const results = await Promise.all(Array.from({ length: 7 }, () => g.attempt('000000', 'admin-screen')));
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual([
      'wrong',
      'wrong',
      'wrong',
      'wrong',
      'wrong',
      'locked',
      'locked',
    ]);
  });

  it('every attempt is audited with its outcome and never the PIN', async () => {
    const g = guard();
    await g.attempt(PIN, 'admin-screen');
    await fail(g, 5);
    await g.attempt(PIN, 'link-admin@10.0.0.5');
    hash = '';
    clock.now += 5 * MIN;
    await g.attempt(PIN, 'admin-screen');
    expect(audit.entries.map((e) => e.detail.result)).toEqual([
      'ok',
      'wrong',
      'wrong',
      'wrong',
      'wrong',
      'wrong',
      'locked',
      'not-set',
    ]);
    expect(audit.actions().every((a) => a === 'admin.pin-attempt')).toBe(true);
    expect(audit.entries[5]?.detail).toEqual({
      result: 'wrong',
      failures: 5,
      lockedUntil: (audit.entries[5]?.at ?? 0) + 5 * MIN,
    });
    expect(audit.entries[6]?.actor).toBe('link-admin@10.0.0.5');
    const text = JSON.stringify(audit.entries);
    expect(text).not.toContain(PIN);
    expect(text).not.toContain('000000');
  });
});
