/**
 * Setup mode (window-link.md "Setup, demo and tests" r2), with the real kiosk process: an installed,
 * unprovisioned device started without --demo serves only health and provisioning, prints its admin token
 * once, runs no simulator and no province, shows 设备待配置 with its device id and key fingerprint in
 * Chromium, and leaves setup mode in place once a signed provisioning file is accepted.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configWith, LINK_TOKEN, newProvisioningKey, signed } from '../config/helpers.js';
import { launchChromium } from '../support/chromium.js';
import {
  makeDataDir,
  startSetupKiosk,
  waitForExit,
  type SetupKioskProcess,
} from '../support/kiosk-process.js';
import { until } from '../support/polling.js';

const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'test-results');

/** Pids of the processes whose parent is `pid` and whose name is `name` (from /proc). */
function childrenNamed(pid: number, name: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so split after the last ')'.
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && comm === name) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function call(
  base: string,
  method: 'GET' | 'POST',
  pathname: string,
  options: { token?: string; body?: unknown } = {},
): Promise<{ status: number; json: Record<string, unknown> | null }> {
  const response = await fetch(new URL(pathname, base), {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let json: Record<string, unknown> | null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: response.status, json };
}

describe('setup mode, an installed device before its first provisioning', () => {
  const kiosks: SetupKioskProcess[] = [];
  const dirs: string[] = [];
  let browser: Browser | null = null;
  const start = async (dir: string) => {
    const kiosk = await startSetupKiosk(dir);
    kiosks.push(kiosk);
    return kiosk;
  };
  const dataDir = () => {
    const dir = makeDataDir('hcp-setup-');
    dirs.push(dir);
    return dir;
  };

  beforeAll(() => fs.mkdirSync(SCREENSHOTS, { recursive: true }));
  afterEach(async () => {
    for (const kiosk of kiosks.splice(0)) if (kiosk.child.exitCode === null) await kiosk.stop();
  });
  afterAll(async () => {
    await browser?.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves only health and provisioning, prints the admin token once, and runs no simulator or province', async () => {
    const dir = dataDir();
    const kiosk = await start(dir);
    const link = kiosk.info.linkUrl;

    const health = await call(link, 'GET', '/v1/health');
    expect(health.status).toBe(200);
    expect(health.json?.status).toBe('degraded');
    // Every other call is 503 with the setup-mode code, whatever token it brings; unknown paths stay 404.
    for (const [method, pathname] of [
      ['POST', '/v1/staff/signin'],
      ['POST', '/v1/service/completed'],
      ['GET', '/v1/services/A001'],
      ['GET', '/v1/events'],
      ['GET', '/v1/diagnostics'],
      ['POST', '/v1/sync/now'],
    ] as const) {
      const answer = await call(link, method, pathname, {
        token: kiosk.adminToken,
        body: method === 'POST' ? {} : undefined,
      });
      expect(answer, `${method} ${pathname}`).toEqual({
        status: 503,
        json: { error: 'host.setup-mode', code: 'E8060' },
      });
    }
    expect((await call(link, 'GET', '/v1/nothing')).status).toBe(404);
    // The provisioning route wants the admin token.
    expect((await call(link, 'POST', '/v1/admin/provision', { body: {} })).status).toBe(401);
    const refused = await call(link, 'POST', '/v1/admin/provision', {
      token: kiosk.adminToken,
      body: { config: {}, signature: 'x' },
    });
    expect(refused.status).toBe(400);

    // The token: 0600 in the data dir, on stdout exactly once; the device key beside it, sealed.
    expect(fs.statSync(kiosk.info.adminTokenFile).mode & 0o777).toBe(0o600);
    expect(kiosk.output().split(kiosk.adminToken).length - 1).toBe(1);
    expect(kiosk.info.deviceId).toMatch(/^hcp-[0-9a-f]{12}$/);
    expect(kiosk.info.fingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
    expect(fs.statSync(path.join(dir, 'device-key.json')).mode & 0o777).toBe(0o600);

    // No simulators (socat), no province test server, no demo files.
    expect(childrenNamed(kiosk.child.pid!, 'socat')).toEqual([]);
    for (const demoFile of [
      'demo.json',
      'demo-secrets.json',
      'province-sim.sqlite',
      'demo-simulators.json',
      'kiosk.sqlite',
    ])
      expect(fs.existsSync(path.join(dir, demoFile)), demoFile).toBe(false);

    // The next start reads the same token back and does not print it again; same device id and key.
    await kiosk.stop();
    const again = await start(dir);
    expect(again.adminToken).toBe(kiosk.adminToken);
    expect(again.output()).not.toContain(kiosk.adminToken);
    expect(again.output()).toContain(`admin token: in ${again.info.adminTokenFile}`);
    expect(again.info.deviceId).toBe(kiosk.info.deviceId);
    expect(again.info.fingerprint).toBe(kiosk.info.fingerprint);
  }, 60_000);

  it('shows 设备待配置 with the device id and key fingerprint in Chromium, in each language', async () => {
    const kiosk = await start(dataDir());
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(kiosk.info.uiUrl);
    await page.waitForSelector('[data-screen="setup"] h1');
    expect(await page.textContent('[data-screen="setup"] h1')).toBe('设备待配置');
    expect(await page.textContent('[data-testid="setup-device-id"]')).toBe(kiosk.info.deviceId);
    expect(await page.textContent('[data-testid="setup-fingerprint"]')).toBe(kiosk.info.fingerprint);
    const text = (await page.textContent('main')) ?? '';
    expect(text).toContain('hcp-provision.json');
    expect(text).toContain(`${new URL(kiosk.info.linkUrl).host}/v1/admin/provision`);
    expect(text).not.toContain(kiosk.adminToken);
    expect(await page.isVisible('[data-testid="demo"]')).toBe(false);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'setup-zh-CN-1280x800.png') });

    for (const [language, title] of [
      ['zh-TW', '設備待配置'],
      ['en', 'Device awaiting setup'],
    ] as const) {
      await page.click(`button.lang[lang="${language}"]`);
      await until(
        `${language} title`,
        async () => (await page.textContent('[data-screen="setup"] h1')) === title,
      );
      expect(await page.textContent('[data-testid="setup-fingerprint"]')).toBe(kiosk.info.fingerprint);
      await page.screenshot({ path: path.join(SCREENSHOTS, `setup-${language}-1280x800.png`) });
    }
    await page.close();
  }, 60_000);

  it('leaves setup mode in place once a signed provisioning file is accepted on the admin route', async () => {
    const dir = dataDir();
    const kiosk = await start(dir);
    const key = newProvisioningKey();
    const file = signed(configWith(key, 1), key);
    const applied = await call(kiosk.info.linkUrl, 'POST', '/v1/admin/provision', {
      token: kiosk.adminToken,
      body: file,
    });
    expect(applied).toEqual({ status: 200, json: { applied: true, restartRequired: true } });

    // Same process: the provisioned kiosk starts on the stored configuration.
    await until(
      'provisioned kiosk ready',
      () => /hcp-kiosk ready\n {2}UI: .*\n {2}window link: (\S+)\n/.test(kiosk.output()),
      30_000,
    );
    const linkUrl = /window link: (\S+)\n/.exec(kiosk.output().split('hcp-kiosk ready')[1] ?? '')![1]!;
    expect(kiosk.child.exitCode).toBeNull();
    expect(
      (
        await call(linkUrl, 'POST', '/v1/staff/signin', {
          token: LINK_TOKEN,
          body: { staffId: 'S001', name: '王芳' },
        })
      ).status,
    ).toBe(200);
    // The setup token no longer exists, and it opens nothing on the provisioned link.
    expect(fs.existsSync(kiosk.info.adminTokenFile)).toBe(false);
    expect((await call(linkUrl, 'GET', '/v1/diagnostics', { token: kiosk.adminToken })).status).toBe(401);
    expect(fs.existsSync(path.join(dir, 'config.json'))).toBe(true);

    expect(await kiosk.stop()).toBe(0);
    await waitForExit(kiosk.child);
  }, 60_000);
});
