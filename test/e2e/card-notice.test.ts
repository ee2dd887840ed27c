/**
 * A card tap that gives no identity is told to the citizen on screen (issue 16 item 3), in real Chromium
 * against the real kiosk core (in-process, so the test can tap cards on the demo reader simulator): the
 * reader's error reaches the view, the renderer shows it for a few seconds, a good read ends it.
 * Screenshots go to test-results/card-notice/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKioskCore, type RunningCore } from '../../src/app/core-factory.js';
import { silentLogger } from '../../src/app/logger.js';
import { startBrowserHost, type BrowserHost } from '../../src/host/browser/server.js';
import type { ReaderSimulator } from '../../drivers/sim/reader-sim.js';
import * as ids from '../../drivers/sim/identities.js';
import type { CardIdentity } from '../../drivers/idcard/identity.js';
import { launchChromium } from '../support/chromium.js';
import { makeDataDir } from '../support/kiosk-process.js';
import { until } from '../support/polling.js';
import { completedService } from '../support/services.js';
import { DIST, ensureRendererBuilt, REPO } from '../host-browser/build-renderer.js';

const SHOTS = path.join(REPO, 'test-results', 'card-notice');

let dataDir: string;
let running: RunningCore;
let host: BrowserHost;
let browser: Browser;
let page: Page;

const reader = (): ReaderSimulator => running.devices.simulators?.reader as ReaderSimulator;
const notice = () => page.getByTestId('card-notice');

/** Taps a card, waits until the kiosk has taken it in (a new note, or a citizen), then takes it away. */
async function tap(identity: CardIdentity, gives: 'note' | 'citizen' = 'note'): Promise<void> {
  const before = running.core.view().cardNotice?.until ?? null;
  reader().presentCard(identity);
  await until('the kiosk took the card in', () => {
    const view = running.core.view();
    return gives === 'note' ? (view.cardNotice?.until ?? null) !== before : view.session?.citizen;
  });
  reader().removeCard();
}

beforeAll(async () => {
  await ensureRendererBuilt();
  fs.mkdirSync(SHOTS, { recursive: true });
  dataDir = makeDataDir('hcp-card-notice-');
  running = await createKioskCore({ demo: true, dataDir, log: silentLogger });
  host = await startBrowserHost({ provider: running.core.provider, staticDir: DIST });
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  await page.goto(host.url);
  await page.locator('main[data-screen="idle"]').waitFor();
  running.core.serviceCompleted(completedService('C1'));
  await page.locator('main[data-screen="rate"]').waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.close();
  await running?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a card the reader could not use is told on screen', () => {
  it('When a card of a type the kiosk does not read is tapped, the citizen sees 暂不支持此证件', async () => {
    await tap(ids.NINE_WITHOUT_Y_TYPE);
    await expect.poll(() => notice().innerText()).toBe('暂不支持此证件');
    await page.screenshot({ path: path.join(SHOTS, 'unsupported-zh-CN.png') });
  });

  it('When a card cannot be read, the citizen is asked to place it again, in the language on screen', async () => {
    await tap(ids.BAD_CHECK_DIGIT);
    await expect.poll(() => notice().innerText()).toBe('未能读取证件，请重新放置');
    await page.screenshot({ path: path.join(SHOTS, 'unreadable-zh-CN.png') });
    await running.core.provider.api.setLanguage('en');
    await expect.poll(() => notice().innerText()).toBe('Your card could not be read. Please place it again.');
    await page.screenshot({ path: path.join(SHOTS, 'unreadable-en.png') });
  });

  it('When a card is then read, the note goes and the session is real-name with the card masked', async () => {
    await tap(ids.FOREIGN_2023, 'citizen');
    await expect.poll(() => notice().isHidden()).toBe(true);
    expect(running.core.view().session?.citizen).toMatchObject({ maskedName: '测**' });
  });

  it('The note goes by itself after a few seconds', async () => {
    await tap(ids.NINE_WITHOUT_Y_TYPE);
    await expect.poll(() => notice().isVisible()).toBe(true);
    await expect.poll(() => notice().isHidden(), { timeout: 8_000 }).toBe(true);
  });
});
