/**
 * Every citizen screen in real Chromium (browser host + built renderer) against a scripted core, so each
 * picture depends only on the view: every screen × zh-CN / zh-TW / en at 1280×800, plus 800×1280 portrait
 * and large type for rate and reasons, compared with the committed baselines in test/e2e/__screenshots__/
 * (≤ 1 % pixels may differ). axe-core must find no serious or critical violation on any of them. Also:
 * kiosk hygiene, the offline indicator, markup shown as text, and the prompt sounds (one for every level).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBrowserHost, type BrowserHost } from '../../../src/host/browser/server.js';
import { LANGUAGES, type KioskView, type Language, type Screen } from '../../../src/shared/kiosk-api.js';
import { launchChromium } from '../../support/chromium.js';
import { DIST, ensureRendererBuilt } from '../../host-browser/build-renderer.js';
import { idleView, rateSession, ScriptedProvider } from '../../host-browser/scripted-provider.js';
import { builtinReasons, clerkPhoto, expectScreenshot, REPO, seriousAxeViolations } from './support.js';

const EVIL = '<img src=x onerror=alert(1)>';
const FAR = 10 * 60_000;

let browser: Browser;
let context: BrowserContext;
let page: Page;
let host: BrowserHost;
let provider: ScriptedProvider;
const problems: string[] = [];
let dialogs = 0;
const wavResponses: { url: string; status: number; type: string }[] = [];

const clerk = (): KioskView['clerk'] => ({
  staffId: 'HK0312',
  name: '王晓梅',
  title: '综合窗口受理员',
  photo: clerkPhoto(),
  stars: 4,
});

/** The view for each screen, in a language, as the core would send it. */
function viewFor(screen: Screen, language: Language, change: Partial<KioskView> = {}): Partial<KioskView> {
  const base: Partial<KioskView> = {
    screen,
    language,
    largeType: false,
    online: true,
    clerk: clerk(),
    calledTicket: screen === 'idle' ? 'A023' : null,
    pauseMessage: null,
    session: null,
    thanksUntil: null,
    audio: { enabled: true, volume: 0.8 },
  };
  switch (screen) {
    case 'rate':
      return { ...base, session: rateSession({ deadline: Date.now() + FAR, citizen: null }), ...change };
    case 'reasons':
      return {
        ...base,
        session: rateSession({
          deadline: Date.now() + FAR,
          step: 'reasons',
          chosenLevel: 'dissatisfied',
          reasons: builtinReasons('dissatisfied'),
          textAllowed: true,
          textMax: 150,
        }),
        ...change,
      };
    case 'thanks':
      return { ...base, thanksUntil: Date.now() + FAR, ...change };
    case 'paused':
      return { ...base, pauseMessage: '午休，14:00 恢复办理', ...change };
    default:
      return { ...base, ...change };
  }
}

/** Pushes a view and waits until that screen is painted in that language. */
async function show(change: Partial<KioskView>): Promise<void> {
  const view = provider.push(change);
  await page.locator(`html[lang="${view.language}"] main[data-screen="${view.screen}"]`).waitFor();
  await settle();
}

/** Two animation frames: the DOM update and the QR drawing are on screen. */
function settle(): Promise<unknown> {
  return page.evaluate(
    '(async () => { await document.fonts.ready; await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))); })()',
  );
}

/** Visible text of the page must never show an i18n key (a missing translation renders as its key). */
/** The screen fits its stage: nothing below the fold (the reasons list scrolls inside itself instead). */
async function stageOverflow(): Promise<number> {
  return (await page.evaluate(
    '(() => { const s = document.querySelector(".stage"); return s.scrollHeight - s.clientHeight; })()',
  )) as number;
}

async function visibleKeys(): Promise<string[]> {
  const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
  return (
    text.match(
      /\b(?:app|toolbar|language|idle|privacy|level|rate|reasons|thanks|paused|closed)\.[a-zA-Z]+/g,
    ) ?? []
  );
}

const markTimes = (name: string): Promise<number[]> =>
  page.evaluate((mark) => performance.getEntriesByName(mark, 'mark').map((entry) => entry.startTime), name);

beforeAll(async () => {
  await ensureRendererBuilt();
  provider = new ScriptedProvider(idleView({ clerk: clerk(), audio: { enabled: true, volume: 0.8 } }));
  host = await startBrowserHost({ provider, staticDir: DIST });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('dialog', (dialog) => {
    dialogs += 1;
    void dialog.dismiss();
  });
  page.on('response', (response) => {
    if (response.url().endsWith('.wav'))
      wavResponses.push({
        url: response.url(),
        status: response.status(),
        type: response.headers()['content-type'] ?? '',
      });
  });
  await page.goto(host.url);
  await page.locator('main[data-screen="idle"]').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
});

const SCREENS: Screen[] = ['idle', 'rate', 'reasons', 'thanks', 'paused', 'closed'];

describe('Citizen screens at 1280×800', () => {
  it.each(LANGUAGES)(
    'shows every screen in %s, matches its baseline and has no serious axe violation',
    async (language) => {
      for (const screen of SCREENS) {
        await show(viewFor(screen, language));
        expect(await visibleKeys(), `${screen} ${language}`).toEqual([]);
        expect(await stageOverflow(), `${screen} ${language}`).toBeLessThanOrEqual(1);
        expect(await seriousAxeViolations(page), `${screen} ${language}`).toEqual([]);
        await expectScreenshot(page, `${screen}-${language}-1280x800`);
      }
    },
  );

  it('idle shows hall, window, department, the clerk’s photo, name, staff number, 星级, the ticket and the privacy notice', async () => {
    await show(viewFor('idle', 'zh-CN'));
    expect(await page.locator('.hall').textContent()).toBe('海口市政务服务中心 · 市场监督管理局');
    expect(await page.locator('.window-no').textContent()).toBe('12 号窗口');
    expect(await page.locator('img.clerk-photo').getAttribute('alt')).toBe('工作人员照片');
    expect(await page.getByTestId('clerk-name').textContent()).toBe('王晓梅');
    expect(await page.locator('.clerk-staff').textContent()).toBe('工号：HK0312');
    expect(await page.locator('.stars').getAttribute('aria-label')).toBe('星级：4 星（满分 5 星）');
    expect(await page.locator('.ticket-no').textContent()).toBe('A023');
    expect(await page.locator('.privacy-title').textContent()).toBe('实名评价 · 信息保护');
    expect(await page.getByTestId('demo').isVisible()).toBe(true);
  });

  it('rate shows five large buttons with icon and text, a visible countdown and the real-name prompt, then the masked citizen', async () => {
    await show(viewFor('rate', 'zh-CN'));
    const buttons = page.locator('button.level');
    expect(await buttons.allTextContents()).toEqual(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
    for (const button of await buttons.all()) {
      const box = (await button.boundingBox())!;
      // Large touch targets, far beyond WCAG 2.5.5's 44 px.
      expect(box.width).toBeGreaterThan(180);
      expect(box.height).toBeGreaterThan(200);
      expect(await button.locator('svg.face').count()).toBe(1);
    }
    expect(await page.locator('.countdown').textContent()).toMatch(/^剩余 \d+ 秒$/);
    expect(await page.getByTestId('real-name').textContent()).toBe('实名评价：请将身份证放在读卡区');
    // The citizen taps the ID card during the session: the view now carries the masked identity.
    provider.push({ session: rateSession({ deadline: Date.now() + FAR }) });
    await expect
      .poll(() => page.getByTestId('real-name').textContent())
      .toBe('已实名 · 评价人：张*　4601**********123X');
  });

  it('reasons keeps submit disabled until a reason is chosen and offers the short text', async () => {
    await show(viewFor('reasons', 'zh-CN'));
    expect(await page.locator('button.submit').isDisabled()).toBe(true);
    expect(await page.locator('button.reason').count()).toBe(builtinReasons('dissatisfied').length);
    await page.locator('button.reason').first().click();
    expect(await page.locator('button.submit').isDisabled()).toBe(false);
    expect(await page.locator('textarea.reason-text').getAttribute('maxlength')).toBe('150');
  });
});

describe('Citizen screens in portrait and in large type', () => {
  it('fits rate and reasons (and idle) into 800×1280 portrait', async () => {
    await page.setViewportSize({ width: 800, height: 1280 });
    try {
      for (const screen of ['idle', 'rate', 'reasons'] as const) {
        const change =
          screen === 'rate'
            ? { session: rateSession({ deadline: Date.now() + FAR }) } // with the masked citizen
            : {};
        await show(viewFor(screen, 'zh-CN', change));
        expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(800);
        expect(await stageOverflow(), screen).toBeLessThanOrEqual(1);
        for (const button of await page.locator('button.level, button.submit').all()) {
          const box = (await button.boundingBox())!;
          expect(box.x).toBeGreaterThanOrEqual(0);
          expect(box.x + box.width).toBeLessThanOrEqual(800);
          expect(box.y + box.height).toBeLessThanOrEqual(1280);
        }
        expect(await seriousAxeViolations(page), screen).toEqual([]);
        await expectScreenshot(page, `${screen}-zh-CN-800x1280`);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it('enlarges all text in large-type mode and still fits rate and reasons on 1280×800', async () => {
    await show(viewFor('rate', 'zh-CN'));
    const normal = Number.parseFloat(
      await page.evaluate('getComputedStyle(document.querySelector(".level-text")).fontSize'),
    );
    for (const screen of ['rate', 'reasons'] as const) {
      await show(viewFor(screen, 'zh-CN', { largeType: true }));
      expect(await page.locator('html.large-type').count()).toBe(1);
      expect(await stageOverflow(), screen).toBeLessThanOrEqual(1);
      expect(await page.locator('button.large-type-toggle').getAttribute('aria-pressed')).toBe('true');
      for (const button of await page.locator('button.level, button.submit').all()) {
        const box = (await button.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(1280);
        expect(box.y + box.height).toBeLessThanOrEqual(800);
      }
      expect(await seriousAxeViolations(page), screen).toEqual([]);
      await expectScreenshot(page, `${screen}-zh-CN-1280x800-large`);
    }
    await show(viewFor('rate', 'zh-CN', { largeType: true }));
    const large = Number.parseFloat(
      await page.evaluate('getComputedStyle(document.querySelector(".level-text")).fontSize'),
    );
    expect(large / normal).toBeGreaterThanOrEqual(1.2);
    await page.locator('button.large-type-toggle').click();
    await expect.poll(() => provider.callsOf('setLargeType').at(-1)).toEqual([false]);
  });
});

describe('Kiosk behaviour around the screens', () => {
  it('hides the cursor, blocks selection, the context menu and zoom', async () => {
    await show(viewFor('rate', 'zh-CN'));
    const style = (await page.evaluate(`(() => {
      const b = getComputedStyle(document.body);
      const btn = getComputedStyle(document.querySelector('button.level'));
      return { cursor: btn.cursor, bodyCursor: b.cursor, select: b.userSelect, touch: getComputedStyle(document.documentElement).touchAction };
    })()`)) as Record<string, string>;
    expect(style).toEqual({ cursor: 'none', bodyCursor: 'none', select: 'none', touch: 'pan-x pan-y' });
    const viewport = await page.locator('meta[name="viewport"]').getAttribute('content');
    expect(viewport).toContain('user-scalable=no');
    const prevented = await page.evaluate(`(() => {
      const target = document.querySelector('button.level');
      const menu = target.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }));
      const wheel = target.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, ctrlKey: true, deltaY: -100 }));
      const select = target.dispatchEvent(new Event('selectstart', { bubbles: true, cancelable: true }));
      return { menu, wheel, select };
    })()`);
    // dispatchEvent answers false when a listener called preventDefault.
    expect(prevented).toEqual({ menu: false, wheel: false, select: false });
  });

  it('switches the language for the current citizen through the core, with the chosen language marked', async () => {
    await show(viewFor('rate', 'zh-CN'));
    const before = provider.callsOf('setLanguage').length;
    await page.locator('button.lang', { hasText: '繁體中文' }).click();
    await expect.poll(() => provider.callsOf('setLanguage').slice(before)).toEqual([['zh-TW']]);
    await show({ language: 'zh-TW' });
    expect(await page.locator('button.lang[aria-pressed="true"]').textContent()).toBe('繁體中文');
    expect(await page.locator('button.level').first().textContent()).toBe('非常滿意');
    // Back at idle the core sends the default language again; the page follows the view.
    await show(viewFor('idle', 'zh-CN'));
    expect(await page.locator('button.lang[aria-pressed="true"]').textContent()).toBe('简体中文');
  });

  it('shows the quiet offline indicator exactly while view.online is false', async () => {
    await show(viewFor('rate', 'zh-CN'));
    expect(await page.getByTestId('offline').isVisible()).toBe(false);
    provider.push({ online: false });
    await page.getByTestId('offline').waitFor();
    expect(await page.getByTestId('offline').textContent()).toBe('离线：评价已保存在本机，联网后自动上报');
    // Quiet: small, in the footer, and the rate screen stays usable.
    const size = Number.parseFloat(
      await page.evaluate('getComputedStyle(document.querySelector("[data-testid=offline]")).fontSize'),
    );
    expect(size).toBeLessThan(20);
    expect(await page.locator('button.level:enabled').count()).toBe(5);
    provider.push({ online: true });
    await expect.poll(() => page.getByTestId('offline').isVisible()).toBe(false);
  });

  it('shows staff names, titles, pause messages and reason texts that carry markup as plain text', async () => {
    await show(
      viewFor('idle', 'zh-CN', {
        clerk: { ...clerk()!, name: EVIL, title: '<b>x</b>', photo: 'javascript:alert(1)' },
      }),
    );
    await expect.poll(() => page.getByTestId('clerk-name').textContent()).toBe(EVIL);
    expect(await page.locator('.clerk-title').textContent()).toBe('<b>x</b>');
    expect(await page.locator('img[src="x"], b, img[src^="javascript"]').count()).toBe(0);
    await show(viewFor('paused', 'zh-CN', { pauseMessage: '<script>alert(2)</script>稍候' }));
    expect(await page.locator('.message-body').textContent()).toBe('<script>alert(2)</script>稍候');
    await show(
      viewFor('reasons', 'zh-CN', {
        session: rateSession({
          sessionId: 'evil',
          deadline: Date.now() + FAR,
          step: 'reasons',
          chosenLevel: 'very_dissatisfied',
          reasons: [{ code: '599', text: { 'zh-CN': '<i onmouseover=alert(3)>x</i>' } }],
        }),
      }),
    );
    expect(await page.locator('button.reason').textContent()).toBe('<i onmouseover=alert(3)>x</i>');
    expect(await page.locator('main i, main script').count()).toBe(0);
    expect(dialogs).toBe(0);
  });

  it('plays the invitation when a session opens and one acknowledgement for every level, never a 差评-only sound', async () => {
    await show(viewFor('idle', 'zh-CN'));
    const latest = async (name: string): Promise<number> => (await markTimes(`audio:${name}`)).at(-1) ?? -1;
    let invite = await latest('invite');
    let ack = await latest('ack');
    // A good level: rate → thanks.
    await show(
      viewFor('rate', 'zh-CN', { session: rateSession({ sessionId: 'a-1', deadline: Date.now() + FAR }) }),
    );
    expect(await latest('invite')).toBeGreaterThan(invite);
    invite = await latest('invite');
    await show(viewFor('thanks', 'zh-CN'));
    expect(await latest('ack')).toBeGreaterThan(ack);
    ack = await latest('ack');
    // A 差评: rate → reasons plays the same ack; reasons → thanks plays nothing.
    await show(
      viewFor('rate', 'zh-CN', { session: rateSession({ sessionId: 'a-2', deadline: Date.now() + FAR }) }),
    );
    expect(await latest('invite')).toBeGreaterThan(invite);
    const reasons = viewFor('reasons', 'zh-CN');
    await show({ ...reasons, session: { ...reasons.session!, sessionId: 'a-2' } });
    expect(await latest('ack')).toBeGreaterThan(ack);
    ack = await latest('ack');
    await show(viewFor('thanks', 'zh-CN'));
    expect(await latest('ack')).toBe(ack);
    expect(
      await page.evaluate(() =>
        performance
          .getEntriesByType('mark')
          .map((m) => m.name)
          .filter((n) => n.startsWith('audio:')),
      ),
    ).toEqual(expect.arrayContaining(['audio:invite', 'audio:ack']));
    // The configured volume is used; audio off plays nothing.
    const detail = await page.evaluate(
      () =>
        (performance.getEntriesByName('audio:ack', 'mark').at(-1) as { detail?: unknown } | undefined)
          ?.detail as unknown,
    );
    expect(detail).toEqual({ volume: 0.8 });
    invite = await latest('invite');
    await show(
      viewFor('rate', 'zh-CN', {
        session: rateSession({ sessionId: 'a-3', deadline: Date.now() + FAR }),
        audio: { enabled: false, volume: 0.8 },
      }),
    );
    expect(await latest('invite')).toBe(invite);
    // The prompt files are served from the renderer build as audio/wav.
    expect(wavResponses.length).toBeGreaterThan(0);
    for (const response of wavResponses) expect(response).toMatchObject({ status: 200, type: 'audio/wav' });
  });

  it('commits no more than ~30 baselines, all of them used', () => {
    const files = fs.readdirSync(path.join(REPO, 'test', 'e2e', '__screenshots__'));
    expect(files.length).toBeLessThanOrEqual(30);
  });

  it('raised no page error, console error or CSP violation', () => {
    expect(problems).toEqual([]);
  });
});
