/**
 * The rating write path through the real kiosk core and store (demo configuration, no devices): the service
 * key across days, the clerk every record names, and each document type's code (issue 15 items 1, 2, 5).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKioskCore, type RunningCore } from '../../src/app/core-factory.js';
import { silentLogger } from '../../src/app/logger.js';
import { CONFIG_ERRORS } from '../../src/shared/errors/index.js';
import { completedService } from '../support/services.js';
import { makeDataDir } from '../support/kiosk-process.js';
import { baseConfig } from '../config/helpers.js';

/** 2026-11-26 09:00 Asia/Shanghai. */
const DAY_1_9AM = Date.UTC(2026, 10, 26, 1);
const DAY = 86_400_000;

let running: RunningCore | null = null;
let dataDir: string;
let clock = DAY_1_9AM;

async function start(): Promise<RunningCore> {
  dataDir = makeDataDir('hcp-write-path-');
  running = await createKioskCore({
    dataDir,
    log: silentLogger,
    demo: true,
    demoDevices: false,
    now: () => clock,
    demoOverrides: { session: { responseIntervalSec: 0 } },
  });
  return running;
}

afterEach(async () => {
  await running?.stop();
  running = null;
  clock = DAY_1_9AM;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the write path in the kiosk core', () => {
  it("opens a new session for tomorrow's ticket A023 and answers GET /v1/services/A023 with today's", async () => {
    const { core } = await start();
    const today = core.serviceCompleted(completedService('A023', { completedAt: clock }));
    await core.provider.api.rate(today.sessionId, 'satisfied');
    expect(core.serviceState('A023')).toBe('rated');
    // The same report again today is a repeat.
    expect(core.serviceCompleted(completedService('A023', { completedAt: clock }))).toEqual({
      sessionId: today.sessionId,
      created: false,
    });

    clock = DAY_1_9AM + DAY;
    const tomorrow = core.serviceCompleted(completedService('A023', { completedAt: clock }));
    expect(tomorrow.created).toBe(true);
    expect(tomorrow.sessionId).not.toBe(today.sessionId);
    expect(core.serviceState('A023')).toBe('awaiting');
    expect(await core.provider.api.rate(tomorrow.sessionId, 'basic')).toEqual({ ok: true });
    expect(running!.store.counts().ratings).toBe(2);
  });

  it("names a clerk on every record: the report's staff, else the signed-in clerk, else the window's defaultStaff", async () => {
    const { core, store, config } = await start();
    const rate = async (ticketNo: string, extra: Parameters<typeof completedService>[1] = {}) => {
      const { sessionId } = core.serviceCompleted(
        completedService(ticketNo, { completedAt: clock, ...extra }),
      );
      await core.provider.api.rate(sessionId, 'satisfied');
    };
    await rate('A001');
    core.staffSignIn({ staffId: '0815', name: '王小明', title: null, photo: null });
    await rate('A002');
    await rate('A003', { staff: { staffId: '0999', name: '赵六' } });
    const clerks = [1, 2, 3].map((seq) => {
      const record = store.getRating(seq)!.record;
      return { proManager: record.proManager, staffId: record.staffId };
    });
    expect(clerks).toEqual([
      { proManager: config.window.defaultStaff.name, staffId: config.window.defaultStaff.staffId },
      { proManager: '王小明', staffId: '0815' },
      { proManager: '赵六', staffId: '0999' },
    ]);
  });

  it('sends a residence-permit citizen as 554 and a 2023 foreign permanent resident as 553, never as 111', async () => {
    const { core, store } = await start();
    const citizens = [
      { certType: 'residence-permit', certKey: '810000199001011230', userName: '陈大文' },
      { certType: 'foreign-permanent', certKey: '935840198801012348', userName: 'SMITH JOHN' },
      { certType: 'id-card', certKey: '460100199001011230', userName: '张三' },
    ] as const;
    for (const [i, citizen] of citizens.entries()) {
      const { sessionId } = core.serviceCompleted(
        completedService(`C00${i}`, { completedAt: clock, citizen: { ...citizen } }),
      );
      await core.provider.api.rate(sessionId, 'satisfied');
    }
    expect([1, 2, 3].map((seq) => store.getRating(seq)!.record.userPageType)).toEqual(['554', '553', '111']);
    expect(store.getRating(1)!.record.certKey).toBe('810000199001011230');
  });

  it('refuses to load a provisioned configuration without window.defaultStaff with E1001 naming the field', async () => {
    dataDir = makeDataDir('hcp-write-path-');
    const { window: _window, ...old } = baseConfig() as { window?: unknown };
    fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify(old));
    const failure = createKioskCore({ dataDir, log: silentLogger, demoDevices: false });
    await expect(failure).rejects.toMatchObject({
      code: CONFIG_ERRORS.invalid.code,
      message: expect.stringContaining('window.defaultStaff'),
    });
  });
});
