/**
 * The admin screen's 设置 and 首次设置 calls (src/app/admin-config.ts) over a real config service in a
 * temporary data directory: refused without an admin session, field errors by config path with the stored
 * file left byte-identical, a valid patch applied (restartRequired from the outcome), the host's patch
 * schema limited to the on-site settings, and first-run setup refused once the device is provisioned.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminApi, createAdminService, type AdminService } from '../../src/app/admin-service.js';
import { createAdminPinGuard, hashPin } from '../../src/config/admin-pin.js';
import type { AuditTrail } from '../../src/config/audit.js';
import { createConfigService, type ConfigService } from '../../src/config/provisioning.js';
import { createKeyFileBox } from '../../src/config/secret-store.js';
import { dispatchApiCall } from '../../src/host/api-validate.js';
import type { AdminFirstRunForm, KioskApi } from '../../src/shared/kiosk-api.js';
import { APP_WORD, baseConfig, containsSecret, tempDataDir } from '../config/helpers.js';

const FAST = { ln: 4, r: 8, p: 1 };
const PIN = '246813';

let data: ReturnType<typeof tempDataDir>;
let configService: ConfigService;
let pinHashValue: string | undefined;
let service: AdminService;

function makeService(): AdminService {
  const audit: AuditTrail = { record: () => undefined };
  const now = () => 1_700_000_000_000;
  return createAdminService({
    pinGuard: createAdminPinGuard({
      statePath: `${data.dir}/pin-state.json`,
      pinHash: () => pinHashValue,
      audit,
      now,
    }),
    pinHash: () => pinHashValue,
    storePinHash: (hash) => {
      pinHashValue = hash;
      return { ok: true };
    },
    hashPin: (pin) => hashPin(pin, FAST),
    pinInMemory: true,
    diagnostics: () => ({}),
    sync: { syncNow: () => undefined, resend: () => false },
    pad: null,
    storageCheck: () => ({
      quickCheck: ['ok'],
      chain: { ok: true, lastSeq: 0, brokenAt: null, code: null, verifiedAt: 0 },
    }),
    exportLogs: async () => [],
    exportRoots: [data.dir],
    audit,
    config: configService,
    now,
    timers: { setTimeout: () => 0, clearTimeout: () => undefined },
  });
}

async function openSession(): Promise<void> {
  expect(service.open('screen')).toEqual({ ok: true });
  expect(await service.setPin(PIN)).toEqual({ ok: true });
  expect(service.sessionActive()).toBe(true);
}

async function provision(): Promise<void> {
  const outcome = await configService.provisionFromDemo({ config: baseConfig() }, 'first-run');
  expect(outcome.ok).toBe(true);
}

function form(): AdminFirstRunForm {
  const c = baseConfig() as {
    hall: AdminFirstRunForm['hall'];
    department: AdminFirstRunForm['department'];
    windowNo: string;
    window: AdminFirstRunForm['window'];
    deviceId: string;
    province: AdminFirstRunForm['province'];
  };
  return {
    hall: c.hall,
    department: c.department,
    windowNo: c.windowNo,
    window: c.window,
    deviceId: c.deviceId,
    province: c.province,
    pin: '135790',
  };
}

beforeEach(() => {
  data = tempDataDir();
  configService = createConfigService({
    paths: data.paths,
    secretBox: createKeyFileBox(data.paths.secretKey),
  });
  pinHashValue = undefined;
  service = makeService();
});

afterEach(() => {
  service.stop();
  data.cleanup();
});

describe('设置 (adminEditConfig)', () => {
  it('is refused without an admin session and changes nothing', async () => {
    await provision();
    const before = fs.readFileSync(data.paths.config);
    expect(service.editConfig({ windowNo: 'B01' })).toMatchObject({ ok: false, code: 'E8007' });
    service.open('screen'); // the PIN pad alone is no session
    expect(service.editConfig({ windowNo: 'B01' })).toMatchObject({ ok: false, code: 'E8007' });
    expect(fs.readFileSync(data.paths.config).equals(before)).toBe(true);
  });

  it('answers field errors by config path and leaves the stored file byte-identical', async () => {
    await provision();
    await openSession();
    const before = fs.readFileSync(data.paths.config);
    const result = service.editConfig({
      session: { timeoutSec: 5, responseIntervalSec: 61 },
      openingHours: [{ days: [1, 8], open: '25:00', close: '18:00' }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe('E1001');
    const paths = (result.fields ?? []).map((f) => f.path).sort();
    expect(paths).toEqual([
      'openingHours.0.days.1',
      'openingHours.0.open',
      'session.responseIntervalSec',
      'session.timeoutSec',
    ]);
    expect(fs.readFileSync(data.paths.config).equals(before)).toBe(true);
    expect(configService.current()?.session.timeoutSec).toBe(30);
  });

  it('applies a valid patch and says whether a restart is needed', async () => {
    await provision();
    await openSession();
    const live = service.editConfig({
      ui: { defaultLanguage: 'en', audio: { enabled: false, volume: 0.5 }, largeType: true },
      openingHours: [{ days: [1, 2, 3, 4, 5], open: '08:30', close: '17:30' }],
    });
    expect(live).toMatchObject({ ok: true, restartRequired: false });
    const restart = service.editConfig({ windowNo: 'B01', session: { timeoutSec: 45 } });
    expect(restart).toMatchObject({ ok: true, restartRequired: true });
    const stored = configService.current();
    expect(stored).toMatchObject({
      windowNo: 'B01',
      session: { timeoutSec: 45 },
      ui: { defaultLanguage: 'en', largeType: true, audio: { enabled: false, volume: 0.5 } },
      openingHours: [{ days: [1, 2, 3, 4, 5], open: '08:30', close: '17:30' }],
    });
    // The view's settings are the stored ones (refreshed after the edit) and hold no secret.
    const view = service.view();
    expect(view?.settings).toMatchObject({ windowNo: 'B01', session: { timeoutSec: 45 } });
    expect(containsSecret(JSON.stringify(view))).toBeNull();
  });

  it('is refused with not-provisioned on a demo device', async () => {
    await openSession();
    expect(service.view()?.settings).toBeNull();
    expect(service.editConfig({ windowNo: 'B01' })).toMatchObject({ ok: false, code: 'E1009' });
  });

  it('the host lets only the on-site settings through, with strict types', async () => {
    await provision();
    await openSession();
    const api = adminApi(service, () => undefined) as unknown as KioskApi;
    const call = (patch: unknown) => dispatchApiCall(api, 'adminEditConfig', [patch]);
    for (const bad of [
      { link: { linkToken: 'x'.repeat(50) } },
      { province: { appWord: 'x' } },
      { admin: { pinHash: 'x' } },
      { windowNo: null },
      { session: { timeoutSec: '30' } },
      { ui: { audio: { enabled: 'yes' } } },
      { revision: 9 },
    ]) {
      expect(await call(bad)).toMatchObject({ ok: false, code: 'E8001' });
    }
    expect(await call({ session: { timeoutSec: 200 } })).toMatchObject({
      ok: true,
      value: { ok: false, code: 'E1001', fields: [{ path: 'session.timeoutSec' }] },
    });
    expect(await call({ department: { name: '税务局' } })).toMatchObject({
      ok: true,
      value: { ok: true, restartRequired: true, changed: ['department.name'] },
    });
  });
});

describe('首次设置 (adminFirstRun)', () => {
  it('is refused without an admin session', async () => {
    expect(await service.firstRun(form())).toMatchObject({ ok: false, code: 'E8007' });
    expect(fs.existsSync(data.paths.config)).toBe(false);
  });

  it('provisions a demo device once, answering the generated tokens, and is refused afterwards', async () => {
    await openSession();
    const bad = await service.firstRun({ ...form(), hall: { ...form().hall, areaCode: '4601' } });
    expect(bad).toMatchObject({ ok: false, code: 'E1001', fields: [{ path: 'hall.areaCode' }] });
    expect(fs.existsSync(data.paths.config)).toBe(false);

    const first = await service.firstRun(form());
    expect(first).toMatchObject({ ok: true, restartRequired: true });
    if (!first.ok) return;
    expect(first.issued.linkToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.issued.adminToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const raw = fs.readFileSync(data.paths.config);
    expect(
      containsSecret(raw, [APP_WORD, first.issued.linkToken ?? '', first.issued.adminToken ?? '']),
    ).toBeNull();
    expect(configService.current()?.windowNo).toBe('A08');

    const before = fs.readFileSync(data.paths.config);
    expect(await service.firstRun(form())).toMatchObject({ ok: false, code: 'E1010' });
    expect(fs.readFileSync(data.paths.config).equals(before)).toBe(true);
  });
});
