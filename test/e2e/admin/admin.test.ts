/**
 * The technician's screens in real Chromium against the real kiosk core, run in-process (createKioskCore +
 * the browser host) so the test can press keys on the demo pad simulator, unplug it and tap cards on the
 * reader simulator. The province is the project's test server with the same demo secrets, so a rejection
 * (fault `reject`) makes a real dead letter. Screenshots go to test-results/admin-screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKioskCore, type RunningCore } from '../../../src/app/core-factory.js';
import { loadOrCreateDemoSecrets } from '../../../src/app/demo.js';
import { silentLogger } from '../../../src/app/logger.js';
import { dataPaths } from '../../../src/app/paths.js';
import { startBrowserHost, type BrowserHost } from '../../../src/host/browser/server.js';
import type { PadSimulator } from '../../../drivers/sim/pad-sim.js';
import type { ReaderSimulator } from '../../../drivers/sim/reader-sim.js';
import { MAINLAND } from '../../../drivers/sim/identities.js';
import { launchChromium } from '../../support/chromium.js';
import { makeDataDir } from '../../support/kiosk-process.js';
import { startProvinceServer, type ProvinceServer } from '../../../dev-tools/province-sim/server.js';
import { DIST, ensureRendererBuilt, REPO } from '../../host-browser/build-renderer.js';
import { seriousAxeViolations } from '../citizen/support.js';

const SHOTS = path.join(REPO, 'test-results', 'admin-screenshots');
const PIN = '246813';

let dataDir: string;
let running: RunningCore;
let province: ProvinceServer;
let host: BrowserHost;
let browser: Browser;
let page: Page;
const problems: string[] = [];

const pad = (): PadSimulator => running.devices.simulators?.pad as PadSimulator;
const reader = (): ReaderSimulator => running.devices.simulators?.reader as ReaderSimulator;
const adminScreen = () => page.locator('main[data-screen="admin"]');
const shot = async (name: string): Promise<void> => {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), animations: 'disabled', caret: 'hide' });
};

async function cornerLongPress(): Promise<void> {
  const { width } = page.viewportSize() ?? { width: 1280 };
  await page.mouse.move(width - 6, 6);
  await page.mouse.down();
  await page.waitForTimeout(3_200);
  await page.mouse.up();
}

async function typePin(pin: string): Promise<void> {
  for (const digit of pin)
    await page.locator('.admin-pin-digit', { hasText: new RegExp(`^${digit}$`) }).click();
  await page.getByTestId('pin-ok').click();
}

/** No token, appWord or PIN on the page: visible text, attributes and form values alike. */
async function expectNoSecrets(): Promise<void> {
  const html = await page.content();
  const text = await page.locator('body').innerText();
  const values = (
    await Promise.all((await page.locator('input').all()).map((input) => input.inputValue()))
  ).join('\n');
  for (const secret of [
    running.config.link.linkToken,
    running.config.link.adminToken,
    running.config.province.appWord,
    MAINLAND.certKey,
  ]) {
    expect(html).not.toContain(secret);
    expect(text).not.toContain(secret);
    expect(values).not.toContain(secret);
  }
}

async function linkPost(pathname: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(new URL(pathname, running.link.url), {
    method: 'POST',
    headers: { authorization: `Bearer ${running.config.link.linkToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}

beforeAll(async () => {
  await ensureRendererBuilt();
  fs.mkdirSync(SHOTS, { recursive: true });
  dataDir = makeDataDir('hcp-admin-e2e-');
  // The province test server with the demo secrets the kiosk will use, so faults can be injected.
  const secrets = loadOrCreateDemoSecrets(dataPaths(dataDir).demoSecrets);
  province = await startProvinceServer({
    port: 0,
    dbPath: ':memory:',
    privateKey: secrets.provincePrivateKey,
    appMark: secrets.appMark,
    appWord: secrets.appWord,
  });
  running = await createKioskCore({
    demo: true,
    dataDir,
    log: silentLogger,
    demoOverrides: { province: { baseUrl: province.url } },
  });
  // A log with an ID number in it: the export must mask it.
  fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
  fs.writeFileSync(
    path.join(dataDir, 'logs', 'hcp-kiosk.log'),
    `${JSON.stringify({ level: 'info', msg: `card ${MAINLAND.certKey}` })}\n`,
  );
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
  await province?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('The admin screens on the kiosk', () => {
  it('open after a 3-second press in the top-right corner and ask a demo device to set a PIN first', async () => {
    // A short tap in the corner does nothing.
    await page.mouse.click(1274, 6);
    await page.waitForTimeout(300);
    expect(await adminScreen().count()).toBe(0);
    await cornerLongPress();
    await adminScreen().waitFor();
    expect(await page.locator('.admin-pin-title').textContent()).toBe('设置管理员密码');
    expect(await page.locator('.admin-pin-note').isVisible()).toBe(true);
    await shot('pin-set-1280x800');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await typePin(PIN);
    expect(await page.locator('.admin-pin-prompt').textContent()).toBe('请再次输入新密码');
    await typePin(PIN);
    await page.locator('.screen-admin-diag').waitFor();
  });

  it('shows the pad and the ID reader connected, with path, firmware and SAM id, and no secret', async () => {
    await expect
      .poll(() => page.getByTestId('device-pad-state').textContent(), { timeout: 5_000 })
      .toBe('已连接');
    await expect
      .poll(() => page.getByTestId('device-reader-state').textContent(), { timeout: 5_000 })
      .toBe('已连接');
    expect(await page.getByTestId('device-pad').textContent()).toMatch(/serial · \/\S+/);
    expect(await page.getByTestId('device-pad').textContent()).toMatch(/固件 \d+\.\d+/);
    expect(await page.getByTestId('admin-reader').textContent()).toMatch(/SAM 编号：\S+/);
    expect(await page.getByTestId('admin-storage').textContent()).toContain('哈希链完整');
    await expectNoSecrets();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await shot('diagnostics-1280x800');
  });

  it('lights a key pressed on the pad on screen during the key test', async () => {
    await page.getByTestId('key-test').click();
    await expect.poll(() => page.getByTestId('key-test').getAttribute('aria-pressed')).toBe('true');
    pad().press(3);
    await expect
      .poll(() => page.locator('.admin-key[data-key="3"]').getAttribute('class'))
      .toContain('admin-key-seen');
    pad().press(5);
    await expect.poll(() => page.locator('.admin-key-seen').count()).toBe(2);
    expect(await page.getByTestId('admin-keys').textContent()).toContain('已测试 2 / 5 个按键');
    expect(
      await page
        .getByTestId('led-test')
        .click()
        .then(() => true),
    ).toBe(true);
    expect(
      await page
        .getByTestId('buzzer-test')
        .click()
        .then(() => true),
    ).toBe(true);
    await shot('key-test-1280x800');
  });

  it('shows an unplugged pad disconnected and then connected again, each within 3 s', async () => {
    const state = page.getByTestId('device-pad-state');
    let start = Date.now();
    await pad().unplug();
    await expect.poll(() => state.textContent(), { timeout: 3_000, interval: 100 }).toBe('未连接');
    expect(Date.now() - start).toBeLessThan(3_000);
    start = Date.now();
    await pad().replug();
    await expect.poll(() => state.textContent(), { timeout: 3_000, interval: 100 }).toBe('已连接');
    expect(Date.now() - start).toBeLessThan(3_000);
  });

  it('shows a card on the reader masked only and signs no clerk in', async () => {
    reader().presentCard(MAINLAND);
    const line = page.getByTestId('reader-last-card');
    await expect.poll(() => line.textContent().catch(() => ''), { timeout: 5_000 }).toContain('测*');
    expect(await line.textContent()).toContain('4601**********');
    reader().removeCard();
    expect(running.core.view().clerk).toBeNull();
    await expectNoSecrets();
  });

  it('checks the database on demand and exports the logs, masked, to a folder under exports/ but not elsewhere', async () => {
    await page.getByTestId('storage-check').click();
    await expect.poll(() => page.getByTestId('storage-result').textContent()).toContain('quick_check: ok');
    const input = page.getByTestId('export-path');
    await input.fill(`${dataDir}/exports/../escape`);
    await page.getByTestId('export-logs').click();
    await expect.poll(() => page.getByTestId('export-result').textContent()).toContain('E8009');
    expect(await page.getByTestId('export-result').textContent()).toContain('README.md#e8009');
    expect(fs.existsSync(path.join(dataDir, 'escape'))).toBe(false);
    const target = path.join(dataDir, 'exports', 'usb1');
    await input.fill(target);
    await page.getByTestId('export-logs').click();
    await expect.poll(() => page.getByTestId('export-result').textContent()).toContain('已导出 1 个文件');
    const exported = fs.readFileSync(path.join(target, 'hcp-kiosk.log'), 'utf8');
    expect(exported).not.toContain(MAINLAND.certKey);
    expect(exported).toContain('4601**********');
  });

  it('looks tidy in portrait (800×1280) too, and passes axe there', async () => {
    await page.setViewportSize({ width: 800, height: 1280 });
    await page.waitForTimeout(300);
    await shot('diagnostics-800x1280');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('gives way to a service completed meanwhile: the citizen rates, the rejected record becomes a dead letter', async () => {
    province.faults.set({ kind: 'reject', everySeq: 1 });
    const completed = await linkPost('/v1/service/completed', { ticketNo: 'A101' });
    expect(completed.status).toBe(202);
    await page.locator('main[data-screen="rate"]').waitFor({ timeout: 5_000 });
    await page.locator('button.level', { hasText: /^满意$/ }).click();
    await page.locator('main[data-screen="thanks"]').waitFor();
    await expect.poll(() => running.store.stats().deadLetters.length, { timeout: 10_000 }).toBe(1);
    province.faults.clear();
  });

  it('asks for the PIN again, says how many tries are left after a wrong one, and resends the dead letter', async () => {
    await cornerLongPress();
    await adminScreen().waitFor();
    expect(await page.locator('.admin-pin-title').textContent()).toBe('管理员登录');
    await typePin('111111');
    await expect.poll(() => page.getByTestId('pin-message').textContent()).toBe('密码错误，还可尝试 4 次');
    await shot('pin-wrong-1280x800');
    await expectNoSecrets();
    await typePin(PIN);
    await page.locator('.screen-admin-diag').waitFor();
    const seq = running.store.stats().deadLetters[0]?.seq ?? 0;
    const letter = page.getByTestId(`dead-${seq}`);
    await letter.waitFor({ timeout: 5_000 });
    expect(await letter.textContent()).toContain('E6009sync.rejected说明见 README.md#e6009');
    expect(await letter.textContent()).toContain('省平台代码：FAULT_REJECT');
    await shot('dead-letter-1280x800');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByTestId(`resend-${seq}`).click();
    await expect.poll(() => running.store.stats().deadLetters.length, { timeout: 10_000 }).toBe(0);
    await expect
      .poll(() => page.getByTestId('admin-sync').textContent(), { timeout: 5_000 })
      .toContain('无死信');
  });

  it('leaves by the button, back to the citizen screens, and refuses admin calls afterwards', async () => {
    await page.getByTestId('admin-exit').click();
    await page.locator('main[data-screen="idle"], main[data-screen="thanks"]').first().waitFor();
    expect(await running.core.provider.api.adminDiagnostics()).toMatchObject({ ok: false, code: 'E8007' });
    expect(problems).toEqual([]);
  });
});
