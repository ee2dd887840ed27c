/**
 * The renderer in real Chromium, served by the browser host, against a scripted core: what the citizen
 * sees and which calls reach the core. Screenshots go to test-results/ for a human look.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page, type WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../src/host/browser/server.js';
import { DIST, ensureRendererBuilt, REPO } from './build-renderer.js';
import { idleView, rateSession, SAMPLE_REASONS, ScriptedProvider } from './scripted-provider.js';

const SHOTS = path.join(REPO, 'test-results');
const EVIL = '<img src=x onerror=alert(1)>';

let browser: Browser;
let page: Page;
let host: BrowserHost;
let provider: ScriptedProvider;
const problems: string[] = [];
let dialogs = 0;

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
const screen = (name: string) => page.locator(`main[data-screen="${name}"]`);
const marks = (name: string): Promise<number> =>
  page.evaluate((mark) => performance.getEntriesByName(mark, 'mark').length, `screen:${name}`);

async function contrastViolations(): Promise<string[]> {
  // meta-viewport is off on purpose: a counter kiosk must not pinch-zoom (it would strand the next citizen
  // on a zoomed screen); the large-type toggle is the accessible way to enlarge text.
  const axe = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).disableRules(['meta-viewport']);
  const result = await axe.analyze();
  return result.violations.map(
    (violation) => `${violation.id}: ${violation.nodes.map((n) => n.target).join(' ')}`,
  );
}

beforeAll(async () => {
  await ensureRendererBuilt();
  await fs.mkdir(SHOTS, { recursive: true });
  provider = new ScriptedProvider(idleView());
  host = await startBrowserHost({ provider, staticDir: DIST });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // axe needs a page from an explicit context.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    dialogs += 1;
    void dialog.dismiss();
  });
  await page.goto(host.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

describe('The kiosk page in Chromium', () => {
  it('shows the clerk’s name, staff number and stars on idle, and marks the idle paint', async () => {
    await expect.poll(() => page.getByTestId('clerk-name').textContent()).toBe('王晓梅');
    expect(await page.locator('.clerk-staff').textContent()).toBe('工号：HK0312');
    expect(await page.locator('.star-on').count()).toBe(4);
    expect(await page.locator('.ticket-no').textContent()).toBe('A023');
    expect(await page.getByTestId('demo').isVisible()).toBe(true);
    await expect.poll(() => marks('idle')).toBe(1);
    await shot('idle-1280x800');
    // With no session, a pad key goes to the core, which records it as a suppressed press (domain-rules §2).
    await page.keyboard.press('Digit3');
    await expect.poll(() => provider.callsOf('padKey')).toEqual([['Digit3']]);
    expect(provider.callsOf('rate')).toEqual([]);
  });

  it('shows five level buttons, left to right, with a countdown and a QR when a session opens', async () => {
    provider.push({ screen: 'rate', session: rateSession() });
    await screen('rate').waitFor();
    const buttons = page.locator('button.level');
    expect(await buttons.allTextContents()).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
    const xs = await Promise.all((await buttons.all()).map(async (b) => (await b.boundingBox())?.x ?? -1));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect(await page.locator('.countdown').textContent()).toMatch(/^剩余 (29|30) 秒$/);
    expect(await page.locator('.citizen').textContent()).toContain('4601**********123X');
    expect(await page.locator('canvas.qr-canvas').isVisible()).toBe(true);
    await expect.poll(() => marks('rate')).toBe(1);
    await shot('rate-1280x800');
  });

  it('sends the touched level with the session id shown', async () => {
    await page.locator('button.level', { hasText: /^满意$/ }).click();
    await expect.poll(() => provider.callsOf('rate')).toEqual([['sess-0001', 'satisfied']]);
  });

  it('sends key 1 on the rate screen to the core as a keyboard-pad key, which maps it by configuration', async () => {
    provider.push({ screen: 'rate', session: rateSession({ sessionId: 'sess-0002' }) });
    await expect.poll(() => page.locator('button.level:enabled').count()).toBe(5);
    const before = provider.callsOf('rate').length;
    await page.keyboard.press('Digit1');
    await expect.poll(() => provider.callsOf('padKey').at(-1)).toEqual(['Digit1']);
    expect(provider.callsOf('rate')).toHaveLength(before);
  });

  it('keeps submit disabled on the reasons screen until a reason is chosen, then sends codes and text', async () => {
    const session = rateSession({
      sessionId: 'sess-0002',
      step: 'reasons',
      chosenLevel: 'dissatisfied',
      reasons: SAMPLE_REASONS,
      textAllowed: true,
      textMax: 150,
    });
    provider.push({ screen: 'reasons', session });
    await screen('reasons').waitFor();
    const submit = page.locator('button.submit');
    expect(await submit.isDisabled()).toBe(true);
    expect(await page.locator('.chosen').textContent()).toBe('您的评价：不满意');
    expect(await contrastViolations()).toEqual([]);
    await shot('reasons-1280x800');
    await page.locator('button.reason', { hasText: '等候时间过长' }).click();
    expect(await submit.isDisabled()).toBe(false);
    await page.locator('textarea.reason-text').fill('排队一小时');
    // A later view of the same step must not wipe the choice or the typed text.
    provider.push({ online: false });
    await page.getByTestId('offline').waitFor();
    expect(await page.locator('textarea.reason-text').inputValue()).toBe('排队一小时');
    await submit.click();
    await expect
      .poll(() => provider.callsOf('submitReasons'))
      .toEqual([['sess-0002', ['501'], '排队一小时']]);
  });

  it('goes back to change the level', async () => {
    provider.push({
      screen: 'reasons',
      session: { ...rateSession(), sessionId: 'sess-0003', step: 'reasons' },
    });
    await page.locator('button.back').click();
    await expect.poll(() => provider.callsOf('changeLevel')).toEqual([['sess-0003']]);
  });

  it('shows the same neutral thanks screen with no level in it', async () => {
    provider.push({ screen: 'thanks', session: null, online: true, thanksUntil: Date.now() + 3000 });
    await screen('thanks').waitFor();
    const text = (await screen('thanks').textContent()) ?? '';
    expect(text).toBe('感谢您的评价您的意见已记录，我们将持续改进服务。');
    await shot('thanks-1280x800');
  });

  it('shows a staff name and a pause message that carry markup as plain text', async () => {
    provider.push({ screen: 'idle', clerk: { ...idleView().clerk!, name: EVIL, title: '<b>x</b>' } });
    await expect.poll(() => page.getByTestId('clerk-name').textContent()).toBe(EVIL);
    expect(await page.locator('img[src="x"], b').count()).toBe(0);
    provider.push({ screen: 'paused', pauseMessage: '<script>alert(2)</script>稍候' });
    await screen('paused').waitFor();
    expect(await page.locator('.message-body').textContent()).toBe('<script>alert(2)</script>稍候');
    expect(dialogs).toBe(0);
  });

  it('switches language through the core and then renders the view’s language', async () => {
    await page.locator('button.lang', { hasText: 'English' }).click();
    await expect.poll(() => provider.callsOf('setLanguage')).toEqual([['en']]);
    provider.push({ screen: 'closed', language: 'en' });
    await expect.poll(() => page.locator('.message-title').textContent()).toBe('This window is closed');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.locator('button.large-type-toggle').click();
    await expect.poll(() => provider.callsOf('setLargeType')).toEqual([[true]]);
  });

  it('fits the five buttons into an 800×1280 portrait screen with large type', async () => {
    await page.setViewportSize({ width: 800, height: 1280 });
    provider.push({
      screen: 'rate',
      language: 'zh-TW',
      largeType: true,
      session: rateSession({ sessionId: 's-4' }),
    });
    await screen('rate').waitFor();
    expect(await page.locator('button.level').first().textContent()).toBe('非常滿意');
    for (const button of await page.locator('button.level').all()) {
      const box = (await button.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(800);
      expect(box.y + box.height).toBeLessThanOrEqual(1280);
    }
    expect(await contrastViolations()).toEqual([]);
    await shot('rate-800x1280-zh-TW-large');
    provider.push({
      screen: 'idle',
      session: null,
      language: 'zh-CN',
      largeType: false,
      clerk: idleView().clerk,
    });
    await screen('idle').waitFor();
    expect(await contrastViolations()).toEqual([]);
    await shot('idle-800x1280');
  });

  it('reconnects after the socket drops, refetches the view and shows what the core pushes next', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const second = await context.newPage();
    const routes: WebSocketRoute[] = [];
    // The route passes traffic through to the host; closing the page side simulates a dropped link.
    await second.routeWebSocket(/\/api$/, (route) => {
      routes.push(route);
      route.connectToServer();
    });
    provider.push({ screen: 'idle', session: null, language: 'zh-CN', largeType: false });
    await second.goto(host.url);
    await second.locator('main[data-screen="idle"]').waitFor();
    const fetchesBefore = provider.callsOf('getView').length;
    await routes[0]!.close({ code: 4000, reason: 'test drop' });
    await expect.poll(() => routes.length).toBe(2);
    // The host pushes on connect and the client refetches: two getView calls for the new socket.
    await expect.poll(() => provider.callsOf('getView').length - fetchesBefore).toBeGreaterThanOrEqual(2);
    provider.push({ screen: 'closed' });
    await second.locator('main[data-screen="closed"]').waitFor();
    expect(await second.locator('.reconnecting').isHidden()).toBe(true);
    await context.close();
  });

  it('raised no page error, no console error and no CSP violation on the way', () => {
    expect(problems).toEqual([]);
  });
});
