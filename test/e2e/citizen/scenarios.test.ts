/**
 * Domain-rule scenarios against the REAL kiosk, each checked on screen AND in the database
 * (DATA_DIR/kiosk.sqlite, read-only): timeout → unrated; walk-away on the reasons screen → abandoned with
 * `no-reason` and no rating; supersede → first unrated, second open; window paused mid-session → session
 * ended, paused screen; real-name shown masked and never stored in clear; the rating committed and thanks
 * shown whatever the sync state; staff names and messages with markup shown as text.
 * One kiosk process and one browser; timeouts at their minimum (10 s) through --demo-config.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../support/chromium.js';
import { linkCall, makeDataDir, startKiosk, type KioskProcess } from '../../support/kiosk-process.js';
import { query, REPO, sleep } from './support.js';

const SHOTS = path.join(REPO, 'test-results', 'citizen-scenarios');
const TIMEOUT_SEC = 10;
const EVIL_NAME = '<img src=x onerror=alert(1)>';
const EVIL_MESSAGE = '<script>alert(2)</script>午休，14:00 恢复';
/** GB 11643 sample number (valid check digit) and a two-character name: masked 1101**********002X and 张*. */
const CERT = '11010519491231002X';
const NAME = '张三';

let browser: Browser;
let kiosk: KioskProcess;
let dataDir: string;
let page: Page;
let dialogs = 0;
const problems: string[] = [];

const screen = (name: string) => page.locator(`main[data-screen="${name}"]`);
const outcome = (ticketNo: string): (string | null)[] =>
  query<{ outcome: string | null }>(
    dataDir,
    'SELECT outcome FROM services WHERE ticket_no = ?',
    ticketNo,
  ).map((row) => row.outcome);
const ratingsFor = (ticketNo: string): number =>
  query<{ n: number }>(
    dataDir,
    'SELECT count(*) AS n FROM ratings r JOIN services s ON s.id = r.service_id WHERE s.ticket_no = ?',
    ticketNo,
  )[0]?.n ?? -1;

async function complete(body: Record<string, unknown>): Promise<string> {
  const response = await linkCall(kiosk.info, 'POST', '/v1/service/completed', body);
  expect(response.status).toBe(202);
  await screen('rate')
    .locator('.session-ticket', { hasText: String(body['ticketNo']) })
    .waitFor();
  return (response.json as { sessionId: string }).sessionId;
}

beforeAll(async () => {
  dataDir = makeDataDir('hcp-citizen-scenarios-');
  const configFile = path.join(dataDir, 'demo-config.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      session: {
        timeoutSec: TIMEOUT_SEC,
        reasonTimeoutSec: TIMEOUT_SEC,
        responseIntervalSec: 0,
        thanksSec: 2,
      },
    }),
  );
  fs.mkdirSync(SHOTS, { recursive: true });
  [browser, kiosk] = await Promise.all([
    launchChromium(),
    startKiosk(dataDir, ['--demo-config', configFile]),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    dialogs += 1;
    void dialog.dismiss();
  });
  await page.goto(kiosk.info.uiUrl);
  await screen('idle').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('Domain-rule scenarios on the real kiosk', () => {
  it('shows a staff name and title that carry markup as text', async () => {
    const signin = await linkCall(kiosk.info, 'POST', '/v1/staff/signin', {
      staffId: '0815',
      name: EVIL_NAME,
      title: '<b>综合窗口</b>',
    });
    expect(signin.status).toBe(200);
    await expect.poll(() => page.getByTestId('clerk-name').textContent()).toBe(EVIL_NAME);
    expect(await page.locator('.clerk-title').textContent()).toBe('<b>综合窗口</b>');
    expect(await page.locator('main img[src="x"], main b').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'idle-markup.png') });
  });

  it('a session nobody rates times out: idle again, service unrated, no rating', async () => {
    const opened = Date.now();
    await complete({ ticketNo: 'T001' });
    await expect.poll(() => page.locator('.countdown').textContent()).toMatch(/^剩余 (9|10) 秒$/);
    await screen('idle').waitFor({ timeout: (TIMEOUT_SEC + 5) * 1000 });
    expect(Date.now() - opened).toBeGreaterThanOrEqual(TIMEOUT_SEC * 1000 - 500);
    expect(outcome('T001')).toEqual(['unrated']);
    expect(ratingsFor('T001')).toBe(0);
    expect((await linkCall(kiosk.info, 'GET', '/v1/services/T001')).json).toEqual({ state: 'unrated' });
  }, 30_000);

  it('a citizen who walks away from the reasons screen leaves an abandoned 差评 flagged no-reason, and no rating', async () => {
    const sessionId = await complete({ ticketNo: 'T002' });
    await page.locator('button.level[data-level="very_dissatisfied"]').click();
    await screen('reasons').waitFor();
    // Chooses a reason but never submits.
    await page.locator('button.reason').first().click();
    await screen('idle').waitFor({ timeout: (TIMEOUT_SEC + 5) * 1000 });
    expect(outcome('T002')).toEqual(['abandoned']);
    expect(ratingsFor('T002')).toBe(0);
    const abandoned = query<{ level: string; flags: string; session_id: string }>(
      dataDir,
      'SELECT a.level, a.flags, a.session_id FROM abandoned a JOIN services s ON s.id = a.service_id WHERE s.ticket_no = ?',
      'T002',
    );
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]).toMatchObject({ level: 'very_dissatisfied', session_id: sessionId });
    expect(abandoned[0]?.flags).toContain('no-reason');
  }, 30_000);

  it('a second completed service supersedes the open session: first unrated, second open on screen', async () => {
    await complete({ ticketNo: 'S001' });
    await complete({ ticketNo: 'S002' });
    expect(await screen('rate').locator('.session-ticket').textContent()).toContain('S002');
    expect(outcome('S001')).toEqual(['superseded']);
    expect((await linkCall(kiosk.info, 'GET', '/v1/services/S001')).json).toEqual({ state: 'unrated' });
    expect(outcome('S002')).toEqual([null]);
    expect(ratingsFor('S001') + ratingsFor('S002')).toBe(0);
  });

  it('pausing the window mid-session ends the session and shows 暂停服务 with the clerk’s message as text', async () => {
    // S002 is still open from the previous scenario.
    const paused = await linkCall(kiosk.info, 'POST', '/v1/window/status', {
      status: 'paused',
      message: EVIL_MESSAGE,
    });
    expect(paused.status).toBe(200);
    await screen('paused').waitFor();
    expect(await page.locator('.message-title').textContent()).toBe('暂停服务');
    expect(await page.locator('.message-body').textContent()).toBe(EVIL_MESSAGE);
    expect(await page.locator('main script').count()).toBe(0);
    expect(outcome('S002')).toEqual(['unrated']);
    expect(ratingsFor('S002')).toBe(0);
    // A key pressed while paused counts for nothing.
    await page.keyboard.press('Digit1');
    await page.screenshot({ path: path.join(SHOTS, 'paused.png') });
    expect(await linkCall(kiosk.info, 'POST', '/v1/window/status', { status: 'open' })).toMatchObject({
      status: 200,
    });
    await screen('idle').waitFor();
  });

  it('shows a real-name citizen masked only, commits the rating before thanks whatever the sync state, and stores no name or number in clear', async () => {
    await complete({ ticketNo: 'R001', citizen: { certType: 'id-card', certKey: CERT, userName: NAME } });
    await expect
      .poll(() => page.getByTestId('real-name').textContent())
      .toBe('已实名 · 评价人：张*　1101**********002X');
    await page.screenshot({ path: path.join(SHOTS, 'rate-real-name.png') });
    await page.locator('button.level[data-level="satisfied"]').click();
    await screen('thanks').waitFor();
    // Committed by the time thanks is painted; delivery to the province is the outbox's business.
    expect(ratingsFor('R001')).toBe(1);
    const outbox = query<{ state: string }>(
      dataDir,
      'SELECT o.state FROM outbox o JOIN ratings r ON r.seq = o.seq JOIN services s ON s.id = r.service_id WHERE s.ticket_no = ?',
      'R001',
    );
    expect(outbox).toHaveLength(1);
    expect(['pending', 'delivered']).toContain(outbox[0]?.state);
    expect(await page.locator('body').innerText()).not.toContain(CERT);
    for (const file of fs.readdirSync(dataDir).filter((name) => name.startsWith('kiosk.sqlite'))) {
      const bytes = fs.readFileSync(path.join(dataDir, file));
      expect(bytes.includes(Buffer.from(CERT)), file).toBe(false);
      expect(bytes.includes(Buffer.from(NAME)), file).toBe(false);
    }
  });

  it('raised no dialog and no page error', async () => {
    await sleep(100);
    expect(dialogs).toBe(0);
    expect(problems).toEqual([]);
  });
});
