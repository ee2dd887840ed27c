import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  confirmHealthy,
  createUpdateController,
  decideOnStartup,
  inRollout,
  jsonFileStateStore,
  mayInstallNow,
  rolloutBucket,
  type UpdateState,
  type UpdaterLike,
} from '../../src/ops/updates.js';
import type { OpeningPeriod } from '../../src/ops/opening-hours.js';

const bj = (iso: string): number => Date.parse(`${iso}+08:00`);
const hours: OpeningPeriod[] = [{ days: [1, 2, 3, 4, 5], open: '08:30', close: '17:30' }];

function memoryStore(initial: UpdateState = { installers: {}, rejected: [] }) {
  let state = structuredClone(initial);
  return {
    load: vi.fn(async () => structuredClone(state)),
    save: vi.fn(async (next: UpdateState) => {
      state = structuredClone(next);
    }),
    get state() {
      return state;
    },
  };
}

function fakeUpdater(version: string | null): UpdaterLike & { installs: number } {
  return {
    autoDownload: true,
    autoInstallOnAppQuit: true,
    allowDowngrade: true,
    channel: null,
    installs: 0,
    setFeedURL: vi.fn(),
    checkForUpdates: vi.fn(async () =>
      version === null ? null : { updateInfo: { version }, isUpdateAvailable: true },
    ),
    downloadUpdate: vi.fn(async () => [`/cache/hcp-kiosk_${version}_amd64.deb`]),
    quitAndInstall: vi.fn(function (this: { installs: number }) {
      this.installs += 1;
    }),
  };
}

describe('update decisions', () => {
  it('puts each device in a stable rollout bucket and honours the staging percentage', () => {
    expect(rolloutBucket('HK-0001')).toBe(rolloutBucket('HK-0001'));
    const ids = Array.from({ length: 1000 }, (_, i) => `dev-${i}`);
    const share = ids.filter((id) => inRollout(id, 20)).length / ids.length;
    expect(share).toBeGreaterThan(0.15);
    expect(share).toBeLessThan(0.25);
    expect(ids.every((id) => inRollout(id, 100))).toBe(true);
    expect(ids.some((id) => inRollout(id, 0))).toBe(false);
  });

  it('installs only while the hall is closed and not in the quarter hour before opening', () => {
    const startedAt = bj('2025-06-02T06:00');
    expect(mayInstallNow({ now: bj('2025-06-02T07:00'), startedAt, hours })).toBe(true);
    expect(mayInstallNow({ now: bj('2025-06-02T08:20'), startedAt, hours })).toBe(false);
    expect(mayInstallNow({ now: bj('2025-06-02T12:00'), startedAt, hours })).toBe(false);
    expect(mayInstallNow({ now: bj('2025-06-02T17:30'), startedAt, hours })).toBe(true);
    expect(mayInstallNow({ now: bj('2025-06-07T12:00'), startedAt, hours })).toBe(true);
  });

  it('without opening hours installs only in the first minutes after start-up', () => {
    const startedAt = bj('2025-06-02T07:00');
    expect(mayInstallNow({ now: startedAt + 60_000, startedAt, hours: [] })).toBe(true);
    expect(mayInstallNow({ now: startedAt + 10 * 60_000, startedAt, hours: [] })).toBe(false);
  });

  it('rolls a new version back after three launches that never became healthy', () => {
    let state: UpdateState = {
      installers: { '1.0.0': '/u/1.0.0.deb', '1.1.0': '/u/1.1.0.deb' },
      pending: { version: '1.1.0', previous: '1.0.0', launches: 0 },
      rejected: [],
    };
    for (let i = 1; i <= 3; i++) {
      const decision = decideOnStartup(state, '1.1.0');
      expect(decision.action).toBe('count-launch');
      if (decision.action === 'count-launch') state = decision.state;
    }
    const decision = decideOnStartup(state, '1.1.0');
    expect(decision).toMatchObject({ action: 'rollback', to: '1.0.0', installer: '/u/1.0.0.deb' });
    if (decision.action === 'rollback')
      expect(decision.state).toEqual({ installers: state.installers, rejected: ['1.1.0'] });
  });

  it('confirms a healthy version, keeping only its installer and the previous one', () => {
    const state: UpdateState = {
      installers: { '0.9.0': '/u/0.9.deb', '1.0.0': '/u/1.0.deb', '1.1.0': '/u/1.1.deb' },
      pending: { version: '1.1.0', previous: '1.0.0', launches: 1 },
      rejected: [],
    };
    expect(confirmHealthy(state, '1.1.0')).toEqual({
      installers: { '1.0.0': '/u/1.0.deb', '1.1.0': '/u/1.1.deb' },
      rejected: [],
    });
    expect(decideOnStartup(state, '1.0.0').action).toBe('install-failed');
    expect(decideOnStartup({ installers: {}, rejected: [] }, '1.0.0').action).toBe('none');
  });
});

describe('the update controller with a mocked electron-updater', () => {
  const base = {
    config: { url: 'https://updates.example.gov.cn/hcp-kiosk', channel: 'latest', stagingPercentage: 100 },
    deviceId: 'HK-0001',
    currentVersion: '1.0.0',
    hours,
    keepInstaller: async (version: string) => `/var/lib/hcp-kiosk/updates/installers/${version}.deb`,
    installFile: vi.fn(async () => undefined),
  };

  it('points electron-updater at the configured generic URL and switches off its own install-on-quit', () => {
    const updater = fakeUpdater(null);
    createUpdateController({ ...base, updater, store: memoryStore(), now: () => bj('2025-06-02T10:00') });
    expect(updater.setFeedURL).toHaveBeenCalledWith({
      provider: 'generic',
      url: 'https://updates.example.gov.cn/hcp-kiosk',
      channel: 'latest',
    });
    expect([updater.autoDownload, updater.autoInstallOnAppQuit, updater.allowDowngrade]).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('downloads during opening hours but waits for closing time to install', async () => {
    let now = bj('2025-06-02T10:00');
    const updater = fakeUpdater('1.1.0');
    const store = memoryStore({ installers: { '1.0.0': '/u/1.0.0.deb' }, rejected: [] });
    const controller = createUpdateController({ ...base, updater, store, now: () => now });
    expect(await controller.tick()).toBe('waiting-for-closing');
    expect(updater.downloadUpdate).toHaveBeenCalledTimes(1);
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    now = bj('2025-06-02T18:00');
    expect(await controller.tick()).toBe('installing');
    expect(updater.quitAndInstall).toHaveBeenCalledWith(true, true);
    expect(updater.downloadUpdate).toHaveBeenCalledTimes(1);
    expect(store.state.pending).toEqual({ version: '1.1.0', previous: '1.0.0', launches: 0 });
    expect(store.state.installers['1.1.0']).toBe('/var/lib/hcp-kiosk/updates/installers/1.1.0.deb');
  });

  it('does nothing without a URL, outside the rollout, or for a version rolled back before', async () => {
    const now = () => bj('2025-06-02T18:00');
    const off = createUpdateController({
      ...base,
      config: { ...base.config, url: undefined },
      updater: fakeUpdater('1.1.0'),
      store: memoryStore(),
      now,
    });
    expect(await off.tick()).toBe('disabled');
    const out = createUpdateController({
      ...base,
      config: { ...base.config, stagingPercentage: 0 },
      updater: fakeUpdater('1.1.0'),
      store: memoryStore(),
      now,
    });
    expect(await out.tick()).toBe('not-in-rollout');
    const updater = fakeUpdater('1.1.0');
    const rejected = createUpdateController({
      ...base,
      updater,
      store: memoryStore({ installers: {}, rejected: ['1.1.0'] }),
      now,
    });
    expect(await rejected.tick()).toBe('rejected');
    expect(updater.downloadUpdate).not.toHaveBeenCalled();
    expect(
      await createUpdateController({
        ...base,
        updater: fakeUpdater('1.0.0'),
        store: memoryStore(),
        now,
      }).tick(),
    ).toBe('no-update');
  });

  it('reports a failed check as an error instead of throwing', async () => {
    const updater = fakeUpdater('1.1.0');
    updater.checkForUpdates = vi.fn(async () => {
      throw new Error('ECONNREFUSED');
    });
    const controller = createUpdateController({
      ...base,
      updater,
      store: memoryStore(),
      now: () => bj('2025-06-02T18:00'),
    });
    expect(await controller.tick()).toBe('error');
  });

  it('installs the previous version at start-up when the new one keeps failing', async () => {
    const installFile = vi.fn(async () => undefined);
    const store = memoryStore({
      installers: { '1.0.0': '/u/1.0.0.deb', '1.1.0': '/u/1.1.0.deb' },
      pending: { version: '1.1.0', previous: '1.0.0', launches: 3 },
      rejected: [],
    });
    const controller = createUpdateController({
      ...base,
      currentVersion: '1.1.0',
      installFile,
      updater: fakeUpdater(null),
      store,
    });
    expect(await controller.start()).toBe('rollback');
    expect(installFile).toHaveBeenCalledWith('/u/1.0.0.deb');
    expect(store.state.rejected).toEqual(['1.1.0']);
  });

  it('keeps its state in a JSON file that survives a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-updates-'));
    try {
      const store = jsonFileStateStore(path.join(dir, 'updates', 'state.json'));
      expect(await store.load()).toEqual({ installers: {}, rejected: [] });
      const state: UpdateState = {
        installers: { '1.0.0': '/u/a.deb' },
        pending: { version: '1.1.0', previous: '1.0.0', launches: 1 },
        rejected: [],
      };
      await store.save(state);
      expect(await jsonFileStateStore(path.join(dir, 'updates', 'state.json')).load()).toEqual(state);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
