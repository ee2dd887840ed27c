/**
 * Setup mode in process (window-link.md "Setup, demo and tests" r2): the mode choice, the USB-stick
 * provisioning, the hand-over to the provisioned kiosk's API, and demo mode's refusal without dev-tools.
 * Real files, real config service and real link server on loopback.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKioskCore, isProvisioned } from '../../src/app/core-factory.js';
import { loadDevTool } from '../../src/app/demo.js';
import { silentLogger } from '../../src/app/logger.js';
import { startSetupMode, type RunningSetup } from '../../src/app/setup-mode.js';
import { createSetupProvider } from '../../src/app/setup-view.js';
import { createSwitchableProvider } from '../../src/app/switchable-provider.js';
import { findProvisioningFiles, watchUsbProvisioning } from '../../src/app/usb-provisioning.js';
import { configPaths, createConfigService, createKeyFileBox } from '../../src/config/index.js';
import type { KioskView, SetupView } from '../../src/shared/kiosk-api.js';
import { configWith, newProvisioningKey, signed } from '../config/helpers.js';
import { until } from '../support/polling.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
async function setup(dataDir: string, usbRoot: string): Promise<RunningSetup> {
  const running = await startSetupMode({
    dataDir,
    linkHost: '127.0.0.1',
    linkPort: 0,
    log: silentLogger,
    usbRoots: [usbRoot],
    usbScanMs: 50,
  });
  cleanups.push(() => running.stop());
  return running;
}
const SETUP: SetupView = {
  deviceId: 'hcp-000000000000',
  fingerprint: '0000 0000 0000 0000',
  provisionAddress: '127.0.0.1:1',
  usbFileName: 'hcp-provision.json',
  adminTokenFile: '/x',
  lastRefusal: null,
};

describe('the mode of an unprovisioned device', () => {
  it('is setup mode unless demo is asked for: the kiosk core refuses with E8060 and creates no store', async () => {
    const dataDir = tempDir('hcp-mode-');
    expect(isProvisioned(dataDir)).toBe(false);
    await expect(createKioskCore({ dataDir, log: silentLogger })).rejects.toMatchObject({ code: 'E8060' });
    expect(fs.existsSync(path.join(dataDir, 'kiosk.sqlite'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'demo-secrets.json'))).toBe(false);
  });

  it('refuses demo mode with E8061 when the dev tools are not there (a packaged build)', async () => {
    await expect(
      loadDevTool('../../dev-tools/not-shipped/server.js', 'the province test server'),
    ).rejects.toMatchObject({
      code: 'E8061',
    });
  });
});

describe('provisioning from a USB stick in setup mode', () => {
  it('shows why a file was refused on the screen, then applies a good one and leaves setup mode', async () => {
    const dataDir = tempDir('hcp-usb-data-');
    const usbRoot = tempDir('hcp-usb-media-');
    const running = await setup(dataDir, usbRoot);
    const views: KioskView[] = [];
    running.provider.subscribe((view) => views.push(view));
    expect(running.provider.view().setup?.lastRefusal).toBeNull();

    const key = newProvisioningKey();
    const stick = path.join(usbRoot, 'kiosk', 'HALL-STICK');
    fs.mkdirSync(stick, { recursive: true });
    const file = path.join(stick, 'hcp-provision.json');
    const good = signed(configWith(key, 1), key);
    fs.writeFileSync(file, JSON.stringify({ ...good, signature: 'A'.repeat(86) + '==' }));
    expect(findProvisioningFiles([usbRoot])).toEqual([file]);
    await until('the refusal on screen', () => running.provider.view().setup?.lastRefusal);
    expect(running.provider.view().setup?.lastRefusal).toEqual({ reason: 'bad-signature', fields: [] });
    expect(isProvisioned(dataDir)).toBe(false);
    expect(views.length).toBeGreaterThan(0);

    fs.writeFileSync(file, JSON.stringify(good));
    await running.provisioned;
    expect(isProvisioned(dataDir)).toBe(true);
    expect(fs.existsSync(running.adminToken.file)).toBe(false);
  });

  it('tries each version of a file once: a refused file is not applied again until it changes', () => {
    const dataDir = tempDir('hcp-usb-once-');
    const usbRoot = tempDir('hcp-usb-once-media-');
    const service = createConfigService({
      paths: configPaths(dataDir),
      secretBox: createKeyFileBox(configPaths(dataDir).secretKey),
    });
    const outcomes: string[] = [];
    const watcher = watchUsbProvisioning({
      roots: [usbRoot],
      intervalMs: 3_600_000,
      apply: (file) => service.applyProvisioningFile(file, 'usb'),
      onOutcome: (_file, outcome) => outcomes.push(outcome.ok ? 'applied' : outcome.reason),
    });
    cleanups.push(() => watcher.stop());
    const file = path.join(usbRoot, 'hcp-provision.json');
    fs.writeFileSync(file, '{ not json');
    watcher.scan();
    watcher.scan();
    watcher.scan();
    expect(outcomes).toEqual(['invalid-config']);
    const key = newProvisioningKey();
    fs.writeFileSync(file, JSON.stringify(signed(configWith(key, 1), key)));
    watcher.scan();
    watcher.scan();
    expect(outcomes).toEqual(['invalid-config', 'applied']);
  });
});

describe('the hand-over from setup mode to the provisioned kiosk', () => {
  it('moves callers and listeners to the new API and keeps view versions increasing', async () => {
    const first = createSetupProvider(SETUP);
    const switchable = createSwitchableProvider(first);
    const seen: KioskView[] = [];
    switchable.provider.subscribe((view) => seen.push(view));
    await switchable.provider.api.setLanguage('en');
    first.update({ lastRefusal: { reason: 'bad-signature', fields: [] } });
    const before = seen.at(-1)!.version;
    expect(await switchable.provider.api.rate('s', 'satisfied')).toMatchObject({ ok: false, code: 'E8060' });

    // The next API starts counting from 1, as a fresh kiosk core does.
    const next = createSetupProvider({ ...SETUP, deviceId: 'hcp-111111111111' });
    await switchable.switchTo(next);
    expect(seen.at(-1)!.setup?.deviceId).toBe('hcp-111111111111');
    expect(seen.at(-1)!.version).toBeGreaterThan(before);
    next.update({ fingerprint: '1111 1111 1111 1111' });
    expect(seen.at(-1)!.setup?.fingerprint).toBe('1111 1111 1111 1111');
    expect((await switchable.provider.api.getView()).version).toBe(seen.at(-1)!.version);
    // The old API's views no longer reach the page.
    const count = seen.length;
    first.update({ lastRefusal: null });
    expect(seen.length).toBe(count);
  });
});
