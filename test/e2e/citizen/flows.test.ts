/**
 * The whole citizen flow against the REAL kiosk (demo mode, browser host, SQLite on disk) in Chromium:
 * every level × by touch and by keyboard (keys 1–5 on the rate screen; Tab/Space/Enter on the reasons
 * screen) × zh-CN / zh-TW / en, each ending on the thanks screen in the citizen's language AND as one
 * rated service with one rating of that level in the database. Then the language is back to the default at
 * idle. One kiosk process and one browser for the file; short timeouts through --demo-config.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LANGUAGES, type Language } from '../../../src/shared/kiosk-api.js';
import { isBadLevel, LEVEL_KEYS, type LevelKey } from '../../../src/shared/levels.js';
import { launchChromium } from '../../support/chromium.js';
import { linkCall, makeDataDir, startKiosk, type KioskProcess } from '../../support/kiosk-process.js';
import { query, REPO } from './support.js';

const SHOTS = path.join(REPO, 'test-results', 'citizen-flows');
const LANGUAGE_BUTTON: Record<Language, string> = { 'zh-CN': '简体中文', 'zh-TW': '繁體中文', en: 'English' };
const THANKS_TITLE: Record<Language, string> = {
  'zh-CN': '感谢您的评价',
  'zh-TW': '感謝您的評價',
  en: 'Thank you for your rating',
};

let browser: Browser;
let kiosk: KioskProcess;
let dataDir: string;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  dataDir = makeDataDir('hcp-citizen-flows-');
  const configFile = path.join(dataDir, 'demo-config.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      session: { timeoutSec: 30, reasonTimeoutSec: 30, responseIntervalSec: 0, thanksSec: 2 },
    }),
  );
  fs.mkdirSync(SHOTS, { recursive: true });
  [browser, kiosk] = await Promise.all([
    launchChromium(),
    startKiosk(dataDir, ['--demo-config', configFile]),
  ]);
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  await page.goto(kiosk.info.uiUrl);
  await page.locator('main[data-screen="idle"]').waitFor();
  const signin = await linkCall(kiosk.info, 'POST', '/v1/staff/signin', {
    staffId: '0815',
    name: '王小明',
    title: '综合窗口',
  });
  expect(signin.status).toBe(200);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await kiosk?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Presses Tab until the focused element matches `selector` (keyboard-only path through the page). */
async function tabTo(selector: string): Promise<void> {
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

interface Flow {
  level: LevelKey;
  input: 'touch' | 'keyboard';
  language: Language;
}

const FLOWS: Flow[] = LANGUAGES.flatMap((language) =>
  (['touch', 'keyboard'] as const).flatMap((input) =>
    LEVEL_KEYS.map((level) => ({ level, input, language })),
  ),
);

let ticketCounter = 0;

describe('One citizen, one rating, on the real kiosk', () => {
  it.each(FLOWS)('$level by $input in $language', async ({ level, input, language }) => {
    const ticketNo = `F${String((ticketCounter += 1)).padStart(3, '0')}`;
    const completed = await linkCall(kiosk.info, 'POST', '/v1/service/completed', { ticketNo });
    expect(completed.status).toBe(202);
    const rate = page.locator('main[data-screen="rate"]');
    await rate.locator('.session-ticket', { hasText: ticketNo }).waitFor();
    // A new session starts in the default language; the citizen switches on screen.
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    if (language !== 'zh-CN') {
      await page.locator('button.lang', { hasText: LANGUAGE_BUTTON[language] }).click();
      await page.locator(`html[lang="${language}"] main[data-screen="rate"]`).waitFor();
    }
    const first = level === 'satisfied' || level === 'dissatisfied';
    if (first) await screenshot(`${language}-${input}-${level}-1-rate`);

    if (input === 'touch') await page.locator(`button.level[data-level="${level}"]`).click();
    else await page.keyboard.press(`Digit${LEVEL_KEYS.indexOf(level) + 1}`);

    if (isBadLevel(level)) {
      await page.locator(`html[lang="${language}"] main[data-screen="reasons"]`).waitFor();
      if (first) await screenshot(`${language}-${input}-${level}-2-reasons`);
      const submit = page.locator('button.submit');
      expect(await submit.isDisabled()).toBe(true);
      if (input === 'touch') {
        await page.locator('button.reason').first().click();
        await submit.click();
      } else {
        await tabTo('button.reason');
        await page.keyboard.press('Space');
        await tabTo('button.submit');
        await page.keyboard.press('Enter');
      }
    }
    await page.locator(`html[lang="${language}"] main[data-screen="thanks"]`).waitFor();
    expect(await page.locator('.message-title').textContent()).toBe(THANKS_TITLE[language]);
    if (first) await screenshot(`${language}-${input}-${level}-3-thanks`);

    // The rating is on disk before the thanks screen is drawn (README: committed synchronously).
    const rows = query<{
      level: string;
      bad: number;
      outcome: string;
      evalDetail: string | null;
      writingEvaluation: string | null;
      catalogueVersion: string;
    }>(
      dataDir,
      `SELECT r.level, r.bad, s.outcome, json_extract(r.record_json, '$.evalDetail') AS evalDetail,
         json_extract(r.record_json, '$.writingEvaluation') AS writingEvaluation,
         json_extract(r.record_json, '$.catalogueVersion') AS catalogueVersion
         FROM services s JOIN ratings r ON r.service_id = s.id WHERE s.ticket_no = ?`,
      ticketNo,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ level, bad: isBadLevel(level) ? 1 : 0, outcome: 'rated' });
    // A 差评 carries its reasons: as the province's codes, or, when chosen from the built-in catalogue before
    // the first download, as the items' texts (domain-rules §3 r2: no invented code on the wire).
    if (isBadLevel(level)) {
      expect(rows[0]?.catalogueVersion).not.toMatch(/^builtin/);
      expect(rows[0]?.evalDetail || rows[0]?.writingEvaluation).toBeTruthy();
    }
    expect((await linkCall(kiosk.info, 'GET', `/v1/services/${ticketNo}`)).json).toEqual({ state: 'rated' });
  });

  it('returns to idle in the default language once the thanks screen ends', async () => {
    // The last flow left the thanks screen in English.
    await page.locator('html[lang="zh-CN"] main[data-screen="idle"]').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('clerk-name').textContent()).toBe('王小明');
    await screenshot('zz-idle-after-thanks');
  });

  it('stored exactly one rating per service and nothing suppressed', () => {
    const [counts] = query<{ ratings: number; services: number; suppressed: number }>(
      dataDir,
      `SELECT (SELECT count(*) FROM ratings) AS ratings, (SELECT count(*) FROM services) AS services,
              (SELECT count(*) FROM suppressed_presses) AS suppressed`,
    );
    expect(counts).toEqual({ ratings: FLOWS.length, services: FLOWS.length, suppressed: 0 });
    expect(problems).toEqual([]);
  });
});
