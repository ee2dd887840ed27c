/**
 * Hall-manager settings in the running kiosk: a clerk signs in by tapping their own ID card on the reader
 * simulator (real drivers, real pty), and opening hours — including a period across midnight — close the
 * window and refuse ratings.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createKioskCore, type RunningCore } from '../../src/app/core-factory.js';
import { silentLogger } from '../../src/app/logger.js';
import { staffCardDigest } from '../../src/config/staff-roster.js';
import { HK_MO_TW, MAINLAND } from '../../drivers/sim/identities.js';
import type { ReaderSimulator } from '../../drivers/sim/reader-sim.js';
import { makeDataDir } from '../support/kiosk-process.js';
import { until } from '../support/polling.js';

/** Epoch ms of a Beijing wall-clock time. */
const beijing = (iso: string) => Date.parse(`${iso}+08:00`);

describe('staff card sign-in and opening hours', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(
    overrides: Record<string, unknown>,
    options: { now?: () => number; devices?: boolean } = {},
  ) {
    const dataDir = makeDataDir('hcp-staff-');
    const running: RunningCore = await createKioskCore({
      demo: true,
      dataDir,
      log: silentLogger,
      demoDevices: options.devices ?? false,
      demoOverrides: overrides,
      ...(options.now ? { now: options.now } : {}),
    });
    cleanups.push(
      () => fs.rmSync(dataDir, { recursive: true, force: true }),
      () => running.stop(),
    );
    return running;
  }

  it('a clerk on the roster taps their ID card while the window is idle and their card shows on the idle screen; an unknown card signs nobody in', async () => {
    const hallKey = crypto.randomBytes(32).toString('base64');
    const running = await start(
      {
        admin: { staffCardKey: hallKey },
        staff: [
          {
            staffId: '0815',
            name: '王小明',
            title: '综合窗口',
            cardDigest: staffCardDigest(hallKey, MAINLAND.certKey),
          },
        ],
      },
      { devices: true },
    );
    const reader = running.devices.simulators?.reader as ReaderSimulator;
    await until('the reader connected', () =>
      running.devices.snapshot().find((d) => d.kind === 'reader' && d.state === 'connected'),
    );
    reader.presentCard(HK_MO_TW);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(running.core.view().clerk).toBeNull();
    reader.removeCard();
    await new Promise((r) => setTimeout(r, 1_200));
    reader.presentCard(MAINLAND);
    const clerk = await until('the clerk signed in by card', () => running.core.view().clerk);
    expect(clerk).toMatchObject({ staffId: '0815', name: '王小明', title: '综合窗口' });
    const audit = running.store.counts();
    expect(audit.ratings).toBe(0);
  }, 20_000);

  it('outside opening hours across midnight the window shows closed and a completed service opens no session', async () => {
    let now = beijing('2026-11-26T23:30:00');
    const running = await start(
      { openingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], open: '22:00', close: '06:00' }] },
      { now: () => now },
    );
    const service = (ticketNo: string) => ({
      ticketNo,
      projectNo: null,
      taskCode: null,
      taskName: null,
      serviceNumber: '1',
      node: 'completed' as const,
      completedAt: now,
      staff: null,
      citizen: null,
    });
    expect(running.core.view().screen).toBe('idle');
    expect(running.core.serviceCompleted(service('N1')).created).toBe(true);
    now = beijing('2026-11-27T05:59:00');
    expect(running.core.serviceCompleted(service('N2')).created).toBe(true);
    now = beijing('2026-11-27T06:00:00');
    expect(() => running.core.serviceCompleted(service('N3'))).toThrowError(
      expect.objectContaining({ code: 'E3008' }),
    );
    expect(running.core.view().screen).toBe('closed');
    // The session open at closing time ended unrated; nothing was opened after.
    expect(running.core.serviceState('N2')).toBe('unrated');
    expect(running.core.serviceState('N3')).toBeNull();
    now = beijing('2026-11-27T22:00:00');
    expect(running.core.serviceCompleted(service('N4')).created).toBe(true);
    expect(running.core.view().screen).toBe('rate');
  });
});
