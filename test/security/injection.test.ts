/**
 * Threat: text that reaches the public screen from outside — staff names and titles, pause messages (window
 * system), reason texts (province catalogue), the projectNo in the QR link — carries markup or script to
 * run in the kiosk page (deface the screen, fake a QR code, drive the KioskApi), or RTL overrides to disguise
 * text, or sheer size to break the layout.
 * Defences: renderer/dom.ts (textContent only, no innerHTML, no on* or style attributes), src/link/schemas.ts
 * (sizes, no control characters), src/sync/catalogue.ts (reason text ≤ 60), src/app/view-builder.ts +
 * renderer/view-model.ts (QR URL template with encodeURIComponent, http(s) only), CSP header
 * (src/host/browser/server.ts DEFAULT_CSP, src/host/electron/app-protocol.ts).
 * Attack: the real kiosk in Debian's Chromium; every payload must show as literal text, nothing may run, and
 * the CSP violations the page raises are counted (zero from the kiosk's own content).
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { linkCall } from '../support/kiosk-process.js';
import type { ProvinceServer } from '../../dev-tools/province-sim/server.js';
import {
  ApiClient,
  stableView,
  startProvince,
  startSecurityKiosk,
  until,
  type SecurityKiosk,
} from '../support/security/kiosk.js';

const STAFF_NAME = '<img src=x onerror="__pwned=1">';
const STAFF_TITLE = '\u202E<b>员受口窗</b>';
const PAUSE = '<script>window.__pwned=2</script><svg onload="__pwned=3"></svg>\u202E暂停 & "quotes"';
const REASON = '<img src=x onerror=__pwned=4>态度差';
const PROJECT_NO = '"><svg/onload=__pwned=5>&x=1#';
const HUGE = '测'.repeat(10_000);

let sec: SecurityKiosk;
let province: ProvinceServer;
let browser: Browser;
let page: Page;
let api: ApiClient;

/** Runs in the page before its own scripts: counts CSP violations and catches any injected code running. */
const PAGE_PROBE = `
  window.__pwned = 0;
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
  });
  window.alert = () => { window.__pwned = 99; };
`;

const probe = (): Promise<{ pwned: number; csp: string[]; injected: number }> =>
  page.evaluate(`({
    pwned: window.__pwned,
    csp: window.__csp,
    injected: document.querySelectorAll('#app img[src="x"], #app svg[onload], #app script, #app b, [onerror]').length,
  })`);

beforeAll(async () => {
  sec = await startSecurityKiosk(() => ({ province: { baseUrl: province.url } }), {
    prefix: 'hcp-sec-inject-',
    before: async (dataDir, secrets) => {
      province = await startProvince(dataDir, secrets, {
        catalogue: {
          version: 'inject-1',
          reasons: {
            '2': [{ code: '501', text: REASON }],
            '1': [{ code: '501', text: REASON }],
          },
        },
      });
    },
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('dialog', () => {
    throw new Error('a dialog opened: injected script ran');
  });
  await page.addInitScript(PAGE_PROBE);
  await page.goto(sec.info.uiUrl);
  await page.getByTestId('demo').waitFor();
  api = await ApiClient.connect(sec.info.uiUrl);
  await until(
    'the province catalogue',
    async () => {
      const diagnostics = await linkCall(sec.info, 'GET', '/v1/diagnostics', undefined, sec.info.adminToken);
      return JSON.stringify(diagnostics.json).includes('inject-1');
    },
    15_000,
  );
}, 60_000);

afterAll(async () => {
  api?.close();
  await browser?.close();
  await sec?.dispose();
  await province?.close();
});

describe('injection through every text that reaches the screen', () => {
  it('a staff name with markup and a title with an RTL override are shown as literal text, and nothing runs', async () => {
    expect(
      (
        await linkCall(sec.info, 'POST', '/v1/staff/signin', {
          staffId: '0815',
          name: STAFF_NAME,
          title: STAFF_TITLE,
        })
      ).status,
    ).toBe(200);
    await page.getByText(STAFF_NAME, { exact: true }).first().waitFor();
    await page.getByText(STAFF_TITLE, { exact: true }).first().waitFor();
    expect(await probe()).toEqual({ pwned: 0, csp: [], injected: 0 });
  });

  it('a pause message with script, SVG and an RTL override is shown as literal text, and nothing runs', async () => {
    expect(
      (await linkCall(sec.info, 'POST', '/v1/window/status', { status: 'paused', message: PAUSE })).status,
    ).toBe(200);
    await page.getByText(PAUSE, { exact: true }).first().waitFor();
    expect(await probe()).toEqual({ pwned: 0, csp: [], injected: 0 });
    expect((await linkCall(sec.info, 'POST', '/v1/window/status', { status: 'open' })).status).toBe(200);
  });

  it('ten thousand characters in a name, title, message or task name are refused with 400 and change nothing on screen', async () => {
    const before = stableView(await api.view());
    const calls: Array<[string, Record<string, unknown>, string]> = [
      ['/v1/staff/signin', { staffId: '0816', name: HUGE }, 'name'],
      ['/v1/staff/signin', { staffId: '0816', name: '李', title: HUGE }, 'title'],
      ['/v1/window/status', { status: 'paused', message: HUGE }, 'message'],
      ['/v1/service/completed', { ticketNo: 'H1', taskName: HUGE }, 'taskName'],
      ['/v1/service/completed', { ticketNo: 'H1', projectNo: 'P'.repeat(10_000) }, 'projectNo'],
    ];
    for (const [pathname, body, field] of calls) {
      const answer = await linkCall(sec.info, 'POST', pathname, body);
      expect(answer).toEqual({ status: 400, json: { error: 'invalid-body', field } });
    }
    expect(stableView(await api.view())).toEqual(before);
    expect(await probe()).toEqual({ pwned: 0, csp: [], injected: 0 });
  });

  it('a projectNo built to break out of the QR link is URL-encoded into the QR, and a catalogue reason with markup is shown as text', async () => {
    const done = await linkCall(sec.info, 'POST', '/v1/service/completed', {
      ticketNo: 'Q1',
      projectNo: PROJECT_NO,
      taskName: STAFF_NAME,
    });
    expect(done.status).toBe(202);
    const sessionId = (done.json as { sessionId: string }).sessionId;
    const view = await api.view();
    expect(view.session?.qrUrl).toBe(
      `https://hcp.example.invalid/rate?projectNo=${encodeURIComponent(PROJECT_NO)}`,
    );
    await page.locator('canvas.qr-canvas').waitFor();
    expect(await api.call('rate', [sessionId, 'dissatisfied'])).toMatchObject({ result: { ok: true } });
    await page.getByText(REASON, { exact: true }).first().waitFor();
    expect(await probe()).toEqual({ pwned: 0, csp: [], injected: 0 });
  });

  it('the kiosk page and its assets are served with the strict CSP header, not only the meta tag', async () => {
    const response = await fetch(sec.info.uiUrl);
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('the page enforces its CSP and the probe counts violations: script-made inline code and a foreign image are blocked and reported, and the kiosk counts them on diagnostics', async () => {
    const cspCount = async () =>
      (
        (await linkCall(sec.info, 'GET', '/v1/diagnostics', undefined, sec.info.adminToken)).json as {
          cspViolations: number;
        }
      ).cspViolations;
    const before = await cspCount();
    await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__pwned = 7';
      document.body.append(s);
      const i = document.createElement('img');
      i.src = 'https://evil.example/beacon.png';
      document.body.append(i);
    })()`);
    await until('two CSP violations reported', async () => (await probe()).csp.length >= 2, 5_000);
    const result = await probe();
    expect(result.pwned).toBe(0);
    expect(result.csp.some((v) => v.startsWith('script-src'))).toBe(true);
    expect(result.csp.some((v) => v.startsWith('img-src'))).toBe(true);
    // The renderer reports each violation to the main process (E8013), where diagnostics count them.
    await until('the kiosk counted the violations', async () => (await cspCount()) >= before + 2, 5_000);
  });
});
