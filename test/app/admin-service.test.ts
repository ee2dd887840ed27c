/**
 * The admin service (src/app/admin-service.ts) with injected clock, timers, PIN guard, sync and pad: every
 * admin call is refused without a session, the PIN guard's lockout passes through, export paths stay
 * under the allowed roots, and only dead letters can be resent.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN_IDLE_MS,
  adminApi,
  checkExportPath,
  createAdminService,
  type AdminPadPort,
  type AdminService,
  type AdminServiceDeps,
  type AdminTimers,
} from '../../src/app/admin-service.js';
import { createAdminPinGuard, hashPin, LOCKOUT } from '../../src/config/admin-pin.js';
import type { AuditEvent, AuditTrail } from '../../src/config/audit.js';
import { dispatchApiCall } from '../../src/host/api-validate.js';
import type { KioskApi } from '../../src/shared/kiosk-api.js';
import type { PadLed } from '../../drivers/pad/pad-types.js';

const FAST = { ln: 4, r: 8, p: 1 };

/** Timers driven by the injected clock: `advance(ms)` moves the clock and fires what fell due. */
function manualClock(start = 1_700_000_000_000) {
  let now = start;
  let next = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: AdminTimers = {
    setTimeout(fn, ms) {
      const id = next++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    now: () => now,
    timers,
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const due = [...pending.entries()]
          .filter(([, t]) => t.at <= end)
          .sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = end;
    },
  };
}

function fakePad() {
  const leds: PadLed[] = [];
  let buzzes = 0;
  const port: AdminPadPort = {
    hello: () => ({ keyCount: 5, capabilities: { rgbLeds: true, buzzer: true } }),
    setLed: async (led) => {
      leds.push(led);
    },
    buzzer: async () => {
      buzzes += 1;
    },
  };
  return { port, leds, buzzes: () => buzzes };
}

let dir: string;
let clock: ReturnType<typeof manualClock>;
let audited: Array<{ actor: string; event: AuditEvent }>;
let pinHashValue: string | undefined;
let dead: Set<number>;
let exportCalls: string[];
let pad: ReturnType<typeof fakePad>;
let canOpen: boolean;
let published: number;

function makeService(overrides: Partial<AdminServiceDeps> = {}): AdminService {
  const audit: AuditTrail = { record: (actor, event) => audited.push({ actor, event }) };
  const service = createAdminService({
    pinGuard: createAdminPinGuard({
      statePath: path.join(dir, 'admin-pin-state.json'),
      pinHash: () => pinHashValue,
      audit,
      now: clock.now,
    }),
    pinHash: () => pinHashValue,
    storePinHash: (hash) => {
      pinHashValue = hash;
      return { ok: true };
    },
    hashPin: (pin) => hashPin(pin, FAST),
    pinInMemory: true,
    diagnostics: () => ({
      version: '0.1.0',
      devices: [
        {
          kind: 'pad',
          transport: 'serial',
          path: '/dev/ttyX',
          state: 'connected',
          counters: { framesIn: 3 },
        },
      ],
      outbox: {
        depth: 1,
        oldestUnsentAt: null,
        delivered: 0,
        deadLetters: [{ seq: 7, code: 'E6009', message: 'x', at: 1 }],
      },
      config: { link: { linkToken: 'SECRET-LINK-TOKEN' }, province: { appWord: 'SECRET-APP-WORD' } },
      codes: [{ code: 'E6009', name: 'sync.rejected', readme: 'README.md#e6009' }],
    }),
    sync: { syncNow: () => undefined, resend: (seq) => dead.delete(seq) },
    pad: pad.port,
    storageCheck: () => ({
      quickCheck: ['ok'],
      chain: { ok: true, lastSeq: 3, brokenAt: null, code: null, verifiedAt: clock.now() },
    }),
    exportLogs: async (target) => {
      exportCalls.push(target);
      fs.writeFileSync(path.join(target, 'hcp-kiosk.log'), 'line\n');
      return [{ bytes: 5 }];
    },
    exportRoots: [path.join(dir, 'exports')],
    audit,
    now: clock.now,
    timers: clock.timers,
    ...overrides,
  });
  service.bind({ canOpen: () => canOpen, onChange: () => (published += 1) });
  return service;
}

async function openSession(service: AdminService): Promise<void> {
  pinHashValue = await hashPin('246813', FAST);
  expect(service.open('screen')).toEqual({ ok: true });
  expect(await service.enter('246813')).toEqual({ ok: true });
  expect(service.sessionActive()).toBe(true);
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-admin-'));
  fs.mkdirSync(path.join(dir, 'exports'));
  clock = manualClock();
  audited = [];
  pinHashValue = undefined;
  dead = new Set([7]);
  exportCalls = [];
  pad = fakePad();
  canOpen = true;
  published = 0;
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('The admin service without an admin session', () => {
  it('refuses every admin action with E8007 and does nothing', async () => {
    const api = adminApi(makeService(), () => undefined);
    const calls: Array<Promise<{ ok: boolean; code?: string }>> = [
      api.adminTouch(),
      api.adminDiagnostics(),
      api.adminSyncNow(),
      api.adminResend(7),
      api.adminKeyTest(true),
      api.adminLedTest(),
      api.adminBuzzerTest(),
      api.adminStorageCheck(),
      api.adminExportLogs(path.join(dir, 'exports', 'a')),
    ];
    for (const result of await Promise.all(calls)) expect(result).toMatchObject({ ok: false, code: 'E8007' });
    expect(dead.has(7)).toBe(true);
    expect(exportCalls).toEqual([]);
    expect(pad.leds).toEqual([]);
    expect(pad.buzzes()).toBe(0);
  });

  it('refuses every admin action while only the PIN pad is shown', async () => {
    pinHashValue = await hashPin('246813', FAST);
    const service = makeService();
    service.open('screen');
    expect(service.view()?.phase).toBe('pin');
    expect(service.diagnostics()).toMatchObject({ ok: false, code: 'E8007' });
    expect(service.syncNow()).toMatchObject({ ok: false, code: 'E8007' });
  });

  it('refuses every call with E8007 when the kiosk has no admin service at all', async () => {
    const api = adminApi(undefined, () => undefined);
    expect(await api.adminOpen()).toMatchObject({ ok: false, code: 'E8007' });
    expect(await api.adminDiagnostics()).toMatchObject({ ok: false, code: 'E8007' });
  });

  it('does not open while a citizen is rating (E8008)', () => {
    canOpen = false;
    const service = makeService();
    expect(service.open('screen')).toMatchObject({ ok: false, code: 'E8008' });
    expect(service.active()).toBe(false);
  });
});

describe('The admin PIN', () => {
  it('asks for a PIN to be set when none is, stores it, audits it and opens the session; a second set is refused', async () => {
    const service = makeService();
    service.open('screen');
    expect(service.view()).toMatchObject({ phase: 'set-pin', pinInMemory: true });
    expect(await service.enter('123456')).toMatchObject({ ok: false, code: 'E1007' });
    expect(await service.setPin('135790')).toEqual({ ok: true });
    expect(pinHashValue).toMatch(/^\$scrypt\$/);
    expect(audited.some((a) => a.event.type === 'admin.pin-set')).toBe(true);
    expect(service.sessionActive()).toBe(true);
    expect(await service.setPin('999999')).toMatchObject({ ok: false, code: 'E1008' });
  });

  it('passes the guard’s lockout through: five wrong PINs lock for 5 minutes, shown in the view, then the right PIN opens', async () => {
    pinHashValue = await hashPin('246813', FAST);
    const service = makeService();
    service.open('screen');
    expect(await service.enter('000000')).toMatchObject({ ok: false, code: 'E1006' });
    expect(service.view()?.attemptsLeft).toBe(LOCKOUT.maxFailures - 1);
    for (let i = 0; i < 3; i += 1) await service.enter('000000');
    expect(await service.enter('000000')).toMatchObject({ ok: false, code: 'E1005' });
    const lockedUntil = service.view()?.lockedUntil;
    expect(lockedUntil).toBe(clock.now() + LOCKOUT.baseMs);
    // Locked: even the right PIN is refused, and the attempt is audited as such.
    expect(await service.enter('246813')).toMatchObject({ ok: false, code: 'E1005' });
    const attempts = audited.filter((a) => a.event.type === 'admin.pin-attempt');
    expect(attempts).toHaveLength(6);
    expect(attempts.at(-1)?.event).toMatchObject({ result: 'locked' });
    expect(JSON.stringify(audited)).not.toContain('000000');
    // Keep the PIN pad open across the lockout (a technician waiting), then try again.
    for (let t = 0; t < LOCKOUT.baseMs; t += 60_000) {
      clock.advance(60_000);
      service.open('screen');
    }
    expect(service.view()?.lockedUntil).toBeNull();
    expect(await service.enter('246813')).toEqual({ ok: true });
  });
});

describe('The admin session', () => {
  it('ends after 2 minutes without activity; the diagnostics refresh does not keep it, a touch does', async () => {
    const service = makeService();
    await openSession(service);
    clock.advance(ADMIN_IDLE_MS - 10_000);
    expect(service.diagnostics().ok).toBe(true);
    expect(service.touch()).toEqual({ ok: true });
    clock.advance(ADMIN_IDLE_MS - 10_000);
    expect(service.sessionActive()).toBe(true);
    for (let i = 0; i < 10; i += 1) {
      clock.advance(2_000);
      service.diagnostics();
    }
    expect(service.sessionActive()).toBe(false);
    expect(service.view()).toBeNull();
    expect(service.diagnostics()).toMatchObject({ ok: false, code: 'E8007' });
  });

  it('gives way when a rating session opens (exit "session")', async () => {
    const service = makeService();
    await openSession(service);
    service.exit('session');
    expect(service.active()).toBe(false);
    expect(service.syncNow()).toMatchObject({ ok: false, code: 'E8007' });
  });

  it('answers diagnostics without the redacted config or any secret, and with README anchors for codes', async () => {
    const service = makeService();
    await openSession(service);
    const result = service.diagnostics();
    expect(result.ok).toBe(true);
    const text = JSON.stringify(result);
    expect(text).not.toContain('SECRET');
    if (!result.ok) return;
    expect(result.diagnostics.devices[0]).toMatchObject({
      kind: 'pad',
      state: 'connected',
      path: '/dev/ttyX',
    });
    expect(result.diagnostics.codes).toEqual([
      { code: 'E6009', name: 'sync.rejected', readme: 'README.md#e6009' },
    ]);
  });

  it('shows a card read during the session masked only, in the reader test', async () => {
    const service = makeService();
    await openSession(service);
    service.cardRead({ maskedName: '张*', maskedId: '4601**********123X' });
    const result = service.diagnostics();
    expect(result.ok && result.diagnostics.readerTest).toMatchObject({
      maskedName: '张*',
      maskedId: '4601**********123X',
    });
  });
});

describe('Resend', () => {
  it('puts a dead letter back and audits it; a record that is not dead is refused with E8012', async () => {
    const service = makeService();
    await openSession(service);
    expect(service.resend(8)).toMatchObject({ ok: false, code: 'E8012' });
    expect(service.resend(7)).toEqual({ ok: true });
    expect(audited.find((a) => a.event.type === 'records.resend')?.event).toMatchObject({
      scope: 'dead-letters',
      count: 1,
      fromSeq: 7,
      toSeq: 7,
    });
    expect(service.resend(7)).toMatchObject({ ok: false, code: 'E8012' });
  });
});

describe('Log export paths', () => {
  it('accepts absolute folders inside an allowed root only', () => {
    const root = path.join(dir, 'exports');
    expect(checkExportPath(path.join(root, 'logs-1'), [root])).toBe(root);
    expect(checkExportPath(`${root}/a/b/`, [root])).toBe(root);
    expect(checkExportPath(root, [root])).toBe(root);
    for (const bad of [
      'exports/logs',
      `${root}/../escape`,
      `${root}/a/../../escape`,
      `${root}/./a`,
      `${root}//a`,
      `${root}-evil/a`,
      `${dir}/elsewhere`,
      '/etc/cron.d',
      `${root}/a\u0000b`,
      `${root}/a\\..\\b`,
      '/',
    ]) {
      expect(checkExportPath(bad, [root]), bad).toBeNull();
    }
  });

  it('refuses a folder reached through a symbolic link that leads out of the root', () => {
    const root = path.join(dir, 'exports');
    const outside = path.join(dir, 'outside');
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(root, 'link'));
    expect(checkExportPath(path.join(root, 'link', 'logs'), [root])).toBeNull();
    expect(checkExportPath(path.join(root, 'link'), [root])).toBeNull();
  });

  it('exports into an allowed folder and refuses traversal with E8009, writing nothing outside', async () => {
    const service = makeService();
    await openSession(service);
    const bad = await service.exportLogs(`${path.join(dir, 'exports')}/../stolen`);
    expect(bad).toMatchObject({ ok: false, code: 'E8009' });
    expect(fs.existsSync(path.join(dir, 'stolen'))).toBe(false);
    const good = await service.exportLogs(path.join(dir, 'exports', 'stick', 'logs'));
    expect(good).toEqual({ ok: true, files: 1, bytes: 5 });
    expect(fs.existsSync(path.join(dir, 'exports', 'stick', 'logs', 'hcp-kiosk.log'))).toBe(true);
  });

  it('validates parameters at the host boundary first (E8001): relative paths and malformed PINs never reach the core', async () => {
    const api = adminApi(makeService(), () => undefined) as unknown as KioskApi;
    expect(await dispatchApiCall(api, 'adminExportLogs', ['relative/path'])).toMatchObject({ code: 'E8001' });
    expect(await dispatchApiCall(api, 'adminExportLogs', [42])).toMatchObject({ code: 'E8001' });
    expect(await dispatchApiCall(api, 'adminSetPin', ['12345'])).toMatchObject({ code: 'E8001' });
    expect(await dispatchApiCall(api, 'adminEnter', ['12ab56'])).toMatchObject({ code: 'E8001' });
    expect(await dispatchApiCall(api, 'adminResend', ['7'])).toMatchObject({ code: 'E8001' });
  });
});

describe('Pad keys', () => {
  it('lights each pressed key in the view and on the pad while the key test is on', async () => {
    const service = makeService();
    await openSession(service);
    service.keyTest(true);
    service.keyEvent(3, true);
    expect(service.view()?.keyTest).toMatchObject({ on: true, down: [3], seen: [3] });
    expect(pad.leds.at(-1)).toMatchObject({ keyMask: 0b100, pattern: 1 });
    service.keyEvent(3, false);
    expect(service.view()?.keyTest).toMatchObject({ down: [], seen: [3] });
    expect(pad.leds.at(-1)).toMatchObject({ keyMask: 0b100, pattern: 0 });
    service.keyTest(false);
    expect(pad.leds.at(-1)).toMatchObject({ keyMask: 0b11111, pattern: 0 });
  });

  it('opens the admin screens when keys 1 and 5 are held together for 3 s, not when released sooner', () => {
    const service = makeService();
    service.keyEvent(1, true);
    service.keyEvent(5, true);
    clock.advance(2_000);
    service.keyEvent(5, false);
    clock.advance(2_000);
    expect(service.active()).toBe(false);
    service.keyEvent(5, true);
    clock.advance(3_000);
    expect(service.view()?.phase).toBe('set-pin');
  });

  it('runs the LED and buzzer tests on a connected pad, and refuses them without one (E8011)', async () => {
    const service = makeService();
    await openSession(service);
    expect(await service.ledTest()).toEqual({ ok: true });
    expect(pad.leds.at(-1)).toMatchObject({ keyMask: 0b11111, pattern: 1 });
    clock.advance(2_000);
    expect(pad.leds.at(-1)).toMatchObject({ pattern: 0 });
    expect(await service.buzzerTest()).toEqual({ ok: true });
    expect(pad.buzzes()).toBe(1);
    const none = makeService({ pad: { ...pad.port, hello: () => null } });
    await openSession(none);
    expect(await none.buzzerTest()).toMatchObject({ ok: false, code: 'E8011' });
  });
});
