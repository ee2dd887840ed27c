/**
 * First-run setup on a demo device, in real Chromium against the real kiosk core (in-process
 * createKioskCore + the browser host): the technician enters the admin screens, sets a PIN, fills the
 * 首次设置 card with a real configuration (a fresh SM2 key), sees the generated tokens once and the restart
 * notice, and the data directory now holds config.json with no secret in clear.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKioskCore, type RunningCore } from '../../../src/app/core-factory.js';
import { silentLogger } from '../../../src/app/logger.js';
import { configPaths } from '../../../src/config/config-store.js';
import { generateSm2KeyPair } from '../../../src/sync/province/sm2.js';
import { startBrowserHost, type BrowserHost } from '../../../src/host/browser/server.js';
import { launchChromium } from '../../support/chromium.js';
import { makeDataDir } from '../../support/kiosk-process.js';
import { containsSecret } from '../../config/helpers.js';
import { DIST, ensureRendererBuilt, REPO } from '../../host-browser/build-renderer.js';

const SHOTS = path.join(REPO, 'test-results', 'admin-screenshots');
const PIN = '246813';
const NEW_PIN = '975310';
const APP_WORD = 'first-run-appWord-9c1e57';

let dataDir: string;
let running: RunningCore;
let host: BrowserHost;
let browser: Browser;
let page: Page;
const problems: string[] = [];

async function typePin(pin: string): Promise<void> {
  for (const digit of pin)
    await page.locator('.admin-pin-digit', { hasText: new RegExp(`^${digit}$`) }).click();
  await page.getByTestId('pin-ok').click();
}

beforeAll(async () => {
  await ensureRendererBuilt();
  fs.mkdirSync(SHOTS, { recursive: true });
  dataDir = makeDataDir('hcp-first-run-e2e-');
  running = await createKioskCore({ demo: true, dataDir, log: silentLogger });
  host = await startBrowserHost({ provider: running.core.provider, staticDir: DIST });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(host.url);
  await page.locator('main[data-screen="idle"]').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await running?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('First-run setup on a demo device', () => {
  it('provisions the device from the admin screen, shows the tokens once and asks for a restart', async () => {
    expect(running.demo).toBe(true);
    const config = configPaths(dataDir).config;
    expect(fs.existsSync(config)).toBe(false);

    // Into the admin screens: the corner long-press, then a PIN (kept in memory on a demo device).
    const { width } = page.viewportSize() ?? { width: 1280 };
    await page.mouse.move(width - 6, 6);
    await page.mouse.down();
    await page.waitForTimeout(3_200);
    await page.mouse.up();
    await page.locator('main[data-screen="admin"]').waitFor();
    await typePin(PIN);
    await typePin(PIN);
    await page.locator('.screen-admin-diag').waitFor();

    // The 设置 card explains how a demo device is provisioned; the 首次设置 card is there.
    expect(await page.getByTestId('admin-settings').innerText()).toContain('首次设置');
    const card = page.getByTestId('admin-firstrun');
    await card.waitFor();

    const { publicKey } = generateSm2KeyPair();
    const values: Record<string, string> = {
      'hall.name': '海口市政务服务中心',
      'hall.code': 'HK01',
      'hall.areaCode': '460100000000',
      'department.code': '11460100MB0000000X',
      'department.name': '市场监督管理局',
      windowNo: 'A08',
      'window.defaultStaff.staffId': 'S000',
      'window.defaultStaff.name': '窗口负责人',
      deviceId: 'hk01-a08',
      'province.baseUrl': 'https://hcp.example.invalid',
      'province.appMark': 'hk01-a08',
      'province.appWord': APP_WORD,
      'province.publicKey': publicKey,
      'province.dataSource': '001',
      pin: NEW_PIN,
      pinConfirm: NEW_PIN,
    };
    // A wrong area code first: the validator's error shows next to its field and nothing is written.
    for (const [field, value] of Object.entries(values))
      await page.getByTestId(`firstrun-${field}`).fill(field === 'hall.areaCode' ? '4601' : value);
    await page.getByTestId('firstrun-submit').click();
    await expect
      .poll(() => card.locator('[data-field-error="hall.areaCode"]').isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(fs.existsSync(config)).toBe(false);

    await page.getByTestId('firstrun-hall.areaCode').fill(values['hall.areaCode'] ?? '');
    await page.getByTestId('firstrun-submit').click();
    const linkToken = page.getByTestId('firstrun-link-token');
    await linkToken.waitFor({ timeout: 15_000 });
    const issuedLink = (await linkToken.textContent()) ?? '';
    const issuedAdmin = (await page.getByTestId('firstrun-admin-token').textContent()) ?? '';
    expect(issuedLink).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issuedAdmin).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await page.getByTestId('firstrun-restart').isVisible()).toBe(true);
    // The form (appWord, PIN) has left the page.
    expect(await page.locator('input[data-testid^="firstrun-"]').count()).toBe(0);
    expect(await page.content()).not.toContain(APP_WORD);
    await page.screenshot({ path: path.join(SHOTS, 'first-run-done-1280x800.png'), animations: 'disabled' });

    // Stored, sealed: no secret in clear in config.json.
    expect(fs.existsSync(config)).toBe(true);
    const raw = fs.readFileSync(config);
    expect(containsSecret(raw, [APP_WORD, issuedLink, issuedAdmin, NEW_PIN])).toBeNull();
    const stored = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    expect(stored).toMatchObject({ windowNo: 'A08', hall: { areaCode: '460100000000' } });
    expect(problems).toEqual([]);
  }, 60_000);

  it('after the restart, the 设置 card edits the settings with field errors next to the fields', async () => {
    await host.close();
    await running.stop();
    running = await createKioskCore({ dataDir, log: silentLogger, linkPort: 0 });
    expect(running.demo).toBe(false);
    host = await startBrowserHost({ provider: running.core.provider, staticDir: DIST });
    await page.goto(host.url);
    await page.locator('main[data-screen="idle"]').waitFor();
    const { width } = page.viewportSize() ?? { width: 1280 };
    await page.mouse.move(width - 6, 6);
    await page.mouse.down();
    await page.waitForTimeout(3_200);
    await page.mouse.up();
    await typePin(NEW_PIN);
    const card = page.getByTestId('admin-settings');
    await card.waitFor();
    expect(await page.getByTestId('admin-firstrun').count()).toBe(0);
    expect(await page.getByTestId('settings-windowNo').inputValue()).toBe('A08');
    expect(await page.getByTestId('settings-session.timeoutSec').inputValue()).toBe('30');

    await page.getByTestId('settings-session.timeoutSec').fill('5');
    await page.getByTestId('settings-save').click();
    await expect
      .poll(() => card.locator('[data-field-error="session.timeoutSec"]').isVisible(), { timeout: 5_000 })
      .toBe(true);

    await page.getByTestId('settings-session.timeoutSec').fill('45');
    await page.getByTestId('settings-day-1').check();
    await page.getByTestId('settings-openingHours.0.open').fill('08:30');
    await page.getByTestId('settings-openingHours.0.close').fill('17:30');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-result').textContent()).toBe('已保存，重启后生效');
    expect(await card.locator('[data-field-error="session.timeoutSec"]').isVisible()).toBe(false);
    const raw = JSON.parse(fs.readFileSync(configPaths(dataDir).config, 'utf8')) as Record<string, unknown>;
    expect(raw).toMatchObject({
      session: { timeoutSec: 45 },
      openingHours: [{ days: [1], open: '08:30', close: '17:30' }],
    });
    await page.screenshot({ path: path.join(SHOTS, 'settings-1280x800.png'), animations: 'disabled' });
    expect(problems).toEqual([]);
  }, 60_000);
});
