/**
 * Foundation acceptance, end to end: the real kiosk process (browser host, demo mode), the real window
 * link over loopback HTTP, the real renderer in Debian's Chromium, and the SQLite file on disk.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordHash } from '../../src/store/chain.js';
import type { ProvinceRecord } from '../../src/shared/province-record.js';
import { launchChromium } from '../support/chromium.js';
import { linkCall, makeDataDir, startKiosk, type KioskProcess } from '../support/kiosk-process.js';

const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'test-results');

/** Draws two different CJK characters and a private-use code point with the page's font: real glyphs differ from each other and from the tofu box. */
async function cjkRendersAsGlyphs(page: Page): Promise<boolean> {
  // Runs in the page (a string, so this Node-side file needs no DOM types).
  return page.evaluate(`(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 64;
    const ctx = canvas.getContext('2d');
    if (!ctx) return false;
    ctx.font = '48px ' + getComputedStyle(document.body).fontFamily;
    const draw = (text) => {
      ctx.clearRect(0, 0, 64, 64);
      ctx.fillText(text, 4, 52);
      return Array.from(ctx.getImageData(0, 0, 64, 64).data).join(',');
    };
    const a = draw('满');
    const b = draw('意');
    const tofu = draw('\\uE000');
    const blank = draw(' ');
    return a !== b && a !== tofu && b !== tofu && a !== blank;
  })()`);
}

function openDb(dataDir: string) {
  return new Database(path.join(dataDir, 'kiosk.sqlite'), { readonly: true, fileMustExist: true });
}

describe('one rating end to end', () => {
  let browser: Browser;
  let kiosk: KioskProcess;
  let dataDir: string;
  /** When the first rating was accepted: presses within the response interval (5 s, §7) are suppressed as such. */
  let ratedAt = 0;

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = makeDataDir('hcp-e2e-');
    [browser, kiosk] = await Promise.all([launchChromium(), startKiosk(dataDir)]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await kiosk?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a clerk signs in, a service completes, the citizen presses 满意 on screen, and the service is rated with one chained rating and its outbox row', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(kiosk.info.uiUrl);
    await expect
      .poll(async () => (await page.getByTestId('demo').innerText()).includes('演示模式'))
      .toBe(true);

    expect(
      (
        await linkCall(kiosk.info, 'POST', '/v1/staff/signin', {
          staffId: '0815',
          name: '王小明',
          title: '综合窗口',
        })
      ).status,
    ).toBe(200);
    await page.getByText('王小明').first().waitFor();

    const completed = await linkCall(kiosk.info, 'POST', '/v1/service/completed', {
      ticketNo: 'A023',
      projectNo: 'HK2026112600001',
    });
    expect(completed.status).toBe(202);
    const sessionId = (completed.json as { sessionId: string }).sessionId;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);

    const satisfied = page.locator('button[data-level="satisfied"]');
    await satisfied.waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'foundation-rate-zh-CN.png') });
    expect(await cjkRendersAsGlyphs(page)).toBe(true);
    await expect.poll(async () => (await satisfied.innerText()).trim()).toBe('满意');

    await satisfied.click();
    ratedAt = Date.now();
    await page.locator('main[data-screen="thanks"]').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'foundation-thanks-zh-CN.png') });

    const state = await linkCall(kiosk.info, 'GET', '/v1/services/A023');
    expect(state).toEqual({ status: 200, json: { state: 'rated' } });

    const db = openDb(dataDir);
    try {
      const rows = db.prepare('SELECT seq, level, record_json, prev_hash, hash FROM ratings').all() as Array<{
        seq: number;
        level: string;
        record_json: string;
        prev_hash: string;
        hash: string;
      }>;
      expect(rows).toHaveLength(1);
      const [row] = rows;
      expect(row?.seq).toBe(1);
      expect(row?.level).toBe('satisfied');
      expect(row?.prev_hash).toBe('0'.repeat(64));
      const record = JSON.parse(row!.record_json) as ProvinceRecord;
      expect(record.satisfaction).toBe('4');
      expect(record.projectNo).toBe('HK2026112600001');
      expect(record.staffId).toBe('0815');
      expect(recordHash(row!.prev_hash, record)).toBe(row?.hash);
      const outbox = db.prepare('SELECT seq FROM outbox').all();
      expect(outbox).toEqual([{ seq: 1 }]);
    } finally {
      db.close();
    }
    await page.close();
  });

  it('a second completion of the same service answers the same session and opens no second one', async () => {
    const first = await linkCall(kiosk.info, 'POST', '/v1/service/completed', { ticketNo: 'B101' });
    const again = await linkCall(kiosk.info, 'POST', '/v1/service/completed', { ticketNo: 'B101' });
    expect(first.status).toBe(202);
    expect(again).toEqual({ status: 202, json: first.json });
    const db = openDb(dataDir);
    try {
      expect(db.prepare("SELECT count(*) AS n FROM services WHERE ticket_no = 'B101'").get()).toEqual({
        n: 1,
      });
    } finally {
      db.close();
    }
    // Let B101 end (window paused ends the open session as unrated) so later tests start idle.
    await linkCall(kiosk.info, 'POST', '/v1/window/status', { status: 'paused', message: '午休' });
    await linkCall(kiosk.info, 'POST', '/v1/window/status', { status: 'open' });
    expect((await linkCall(kiosk.info, 'GET', '/v1/services/B101')).json).toEqual({ state: 'unrated' });
  });

  it('a key pressed with no open session is stored as a suppressed press and never counted as a rating', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(kiosk.info.uiUrl);
    await page.locator('main[data-screen="idle"]').waitFor();
    await new Promise((r) => setTimeout(r, Math.max(0, ratedAt + 5_500 - Date.now())));
    const before = openDb(dataDir);
    const ratingsBefore = (before.prepare('SELECT count(*) AS n FROM ratings').get() as { n: number }).n;
    before.close();
    await page.keyboard.press('Digit1');
    await expect
      .poll(() => {
        const db = openDb(dataDir);
        try {
          return db
            .prepare("SELECT reason, source FROM suppressed_presses WHERE reason = 'no-session'")
            .all();
        } finally {
          db.close();
        }
      })
      .toEqual([{ reason: 'no-session', source: 'keyboard' }]);
    const after = openDb(dataDir);
    expect((after.prepare('SELECT count(*) AS n FROM ratings').get() as { n: number }).n).toBe(ratingsBefore);
    after.close();
    await page.close();
  });
});
