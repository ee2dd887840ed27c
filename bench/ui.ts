/**
 * UI benchmarks in Debian's Chromium against the real kiosk core, run in-process (createKioskCore in demo
 * mode, so the RP/1 pad is the PadSimulator on a socat pty, through the real driver) behind the real browser
 * host, with the built renderer:
 *
 *  - pad RATING bytes written by the simulator → thanks or reasons screen painted (the renderer marks
 *    `screen:<name>` in the animation frame after the DOM update), p50/p99, target p99 ≤ 50 ms;
 *  - POST /v1/service/completed sent → rate screen painted, p50/p99, target p99 ≤ 100 ms;
 *  - renderer JS heap after 10,000 consecutive sessions vs after the first 100 (CDP
 *    HeapProfiler.collectGarbage then Runtime.getHeapUsage), target growth ≤ 10 %.
 *
 * Latencies use one clock: Node's Date.now() at the press, and the page's performance.timeOrigin + mark
 * time, corrected by the page/Node clock offset measured with the tightest of 30 round trips.
 * Needs socat, /usr/bin/chromium and a built renderer (node scripts/build-renderer.mjs).
 * Run alone: `npx tsx bench/ui.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { createKioskCore, type RunningCore } from '../src/app/core-factory.js';
import { startBrowserHost } from '../src/host/browser/server.js';
import type { KioskApi } from '../src/shared/kiosk-api.js';
import { LEVEL_KEYS, type LevelKey } from '../src/shared/levels.js';
import { launchChromium } from '../test/support/chromium.js';
import { percentile, type BenchRow } from './types.js';
import { completedService } from '../test/support/services.js';

const ROOT = resolve(import.meta.dirname, '..');
const STATIC_DIR = join(ROOT, 'dist', 'renderer');

interface PadSim {
  armedSession: number;
  press(key: number): number;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Page clock (timeOrigin + now) minus Node's Date.now(), from the round trip with the smallest delay. */
async function clockOffset(page: Page): Promise<number> {
  let best = { rtt: Number.POSITIVE_INFINITY, offset: 0 };
  for (let i = 0; i < 30; i += 1) {
    const before = Date.now();
    const pageNow = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = Date.now();
    if (after - before < best.rtt) best = { rtt: after - before, offset: pageNow - (before + after) / 2 };
  }
  return best.offset;
}

/** Epoch ms (page clock) of the latest `screen:<name>` mark at or after `after` (page clock). */
async function paintedAfter(page: Page, name: string, after: number, timeout = 5000): Promise<number> {
  const handle = await page.waitForFunction(
    ([mark, since]) => {
      const entry = performance.getEntriesByName(mark, 'mark').at(-1);
      if (entry === undefined) return null;
      const at = performance.timeOrigin + entry.startTime;
      return at >= since ? at : null;
    },
    [`screen:${name}`, after] as const,
    { polling: 'raf', timeout },
  );
  return (await handle.jsonValue()) as number;
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(1);
  }
}

async function closeWithReasons(running: RunningCore, api: KioskApi, level: LevelKey): Promise<void> {
  const view = await api.getView();
  if (view.session === null) throw new Error('no session on the reasons step');
  const reason = running.core.view().session?.reasons[0]?.code;
  if (reason === undefined) throw new Error(`no reason for ${level}`);
  const result = await api.submitReasons(view.session.sessionId, [reason], '');
  if (!result.ok) throw new Error(`submitReasons refused: ${result.code}`);
}

export async function benchUi(
  options: { latencySessions?: number; memorySessions?: number } = {},
): Promise<BenchRow[]> {
  const latencySessions = options.latencySessions ?? 200;
  const memorySessions = options.memorySessions ?? 10_000;
  const dataDir = mkdtempSync(join(process.env['HCP_BENCH_DIR'] ?? tmpdir(), 'hcp-bench-ui-'));
  const running = await createKioskCore({
    demo: true,
    dataDir,
    linkPort: 0,
    log: () => undefined,
    demoOverrides: {
      session: { responseIntervalSec: 0, thanksSec: 30, timeoutSec: 120, reasonTimeoutSec: 300 },
    },
  });
  const host = await startBrowserHost({ provider: running.core.provider, staticDir: STATIC_DIR, port: 0 });
  const browser = await launchChromium();
  try {
    const pad = running.devices.simulators?.pad as PadSim | undefined;
    if (pad === undefined) throw new Error('demo mode started no pad simulator');
    const api = running.core.provider.api;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.url);
    await page.locator('main[data-screen="idle"]').waitFor();
    const offset = await clockOffset(page);
    const linkUrl = running.link.url;
    const token = running.config.link.linkToken;

    // ── Latency: link POST → rate painted, pad RATING → thanks/reasons painted ─────────────────────────
    const padLatency: number[] = [];
    const linkLatency: number[] = [];
    const warmup = 10;
    for (let i = 0; i < latencySessions + warmup; i += 1) {
      const armedBefore = pad.armedSession;
      const sentAt = Date.now();
      const response = await fetch(new URL('/v1/service/completed', linkUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ticketNo: `L${i}` }),
      });
      if (response.status !== 202) throw new Error(`service/completed answered ${response.status}`);
      const ratePainted = await paintedAfter(page, 'rate', sentAt + offset);
      // The pad is armed by the driver (ARM frame over the pty) before a press can count.
      await waitFor(() => pad.armedSession !== armedBefore && pad.armedSession !== 0);
      const key = (i % 5) + 1;
      const level = LEVEL_KEYS[key - 1]!;
      const bad = level === 'dissatisfied' || level === 'very_dissatisfied';
      const pressedAt = Date.now();
      pad.press(key);
      const painted = await paintedAfter(page, bad ? 'reasons' : 'thanks', pressedAt + offset);
      if (bad) {
        const submittedAt = Date.now();
        await closeWithReasons(running, api, level);
        await paintedAfter(page, 'thanks', submittedAt + offset);
      }
      if (i >= warmup) {
        linkLatency.push(ratePainted - offset - sentAt);
        padLatency.push(painted - offset - pressedAt);
      }
    }

    // ── Memory: 10,000 consecutive sessions through the core API ───────────────────────────────────────
    const cdp = await page.context().newCDPSession(page);
    const heap = async (): Promise<number> => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const domNodes = async (): Promise<number> => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'Nodes')?.value ?? Number.NaN;
    };
    await cdp.send('Performance.enable');
    let heapAt100 = 0;
    let nodesAt100 = 0;
    const started = Date.now();
    for (let i = 1; i <= memorySessions; i += 1) {
      const sessionStart = Date.now();
      const { sessionId } = running.core.serviceCompleted(completedService(`M${i}`));
      const level = LEVEL_KEYS[i % 5]!;
      const rated = await api.rate(sessionId, level);
      if (!rated.ok) throw new Error(`rate refused: ${rated.code}`);
      if (level === 'dissatisfied' || level === 'very_dissatisfied')
        await closeWithReasons(running, api, level);
      // Let the renderer catch up every 50 sessions (it applies every view in order either way).
      if (i % 50 === 0) await paintedAfter(page, 'thanks', sessionStart + offset, 30_000);
      if (i === 100) {
        await sleep(200);
        heapAt100 = await heap();
        nodesAt100 = await domNodes();
      }
    }
    const memorySeconds = (Date.now() - started) / 1000;
    await sleep(200);
    const heapAtEnd = await heap();
    const nodesAtEnd = await domNodes();
    const growth = ((heapAtEnd - heapAt100) / heapAt100) * 100;

    const p99Pad = percentile(padLatency, 99);
    const p99Link = percentile(linkLatency, 99);
    return [
      {
        name: 'ui: pad RATING → thanks/reasons painted p50',
        value: round(percentile(padLatency, 50)),
        unit: 'ms',
      },
      {
        name: 'ui: pad RATING → thanks/reasons painted p99',
        value: round(p99Pad),
        unit: 'ms',
        target: '≤ 50',
        ok: p99Pad <= 50,
      },
      {
        name: 'ui: POST service/completed → rate painted p50',
        value: round(percentile(linkLatency, 50)),
        unit: 'ms',
      },
      {
        name: 'ui: POST service/completed → rate painted p99',
        value: round(p99Link),
        unit: 'ms',
        target: '≤ 100',
        ok: p99Link <= 100,
      },
      { name: 'ui: renderer heap after 100 sessions', value: round(heapAt100 / 1024 / 1024), unit: 'MiB' },
      {
        name: `ui: renderer heap after ${memorySessions} sessions`,
        value: round(heapAtEnd / 1024 / 1024),
        unit: 'MiB',
      },
      {
        name: `ui: renderer heap growth 100 → ${memorySessions} sessions`,
        value: round(growth),
        unit: '%',
        target: '≤ 10',
        ok: growth <= 10,
      },
      {
        name: 'ui: renderer DOM nodes after 100 sessions',
        value: nodesAt100,
        unit: 'nodes',
      },
      { name: `ui: renderer DOM nodes after ${memorySessions} sessions`, value: nodesAtEnd, unit: 'nodes' },
      {
        name: `ui: ${memorySessions} sessions driven through the core`,
        value: round(memorySeconds),
        unit: 's',
      },
    ];
  } finally {
    await browser.close();
    await host.close();
    await running.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const memorySessions = Number(process.env['HCP_BENCH_UI_SESSIONS'] ?? 10_000);
  benchUi({ memorySessions }).then(
    (rows) => {
      for (const row of rows)
        console.log(
          `${row.name.padEnd(58)} ${String(row.value).padStart(8)} ${row.unit}${row.target ? `  (target ${row.target}: ${row.ok ? 'ok' : 'MISSED'})` : ''}`,
        );
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
