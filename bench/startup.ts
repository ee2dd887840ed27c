/**
 * Start-up to ready, Node side (foundation issue): data dir → config → PII key → store opened, migrated and
 * chain verified → window link listening → renderer served by the browser host. Measured in-process, on a
 * fresh data directory and on one that already holds ratings (the chain check at start reads them all).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKioskCore } from '../src/app/core-factory.js';
import { silentLogger } from '../src/app/logger.js';
import { startBrowserHost } from '../src/host/browser/server.js';
import { completedService } from '../test/support/services.js';
import { percentile, type BenchRow } from './types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function startOnce(
  dataDir: string,
): Promise<{ ms: number; rate: (n: number) => void; stop: () => Promise<void> }> {
  const t0 = performance.now();
  const running = await createKioskCore({
    demo: true,
    dataDir,
    log: silentLogger,
    demoDevices: false,
    demoOverrides: { session: { responseIntervalSec: 0 } },
  });
  const ui = await startBrowserHost({
    provider: running.core.provider,
    staticDir: path.join(root, 'dist', 'renderer'),
  });
  const response = await fetch(new URL('/index.html', ui.url));
  await response.text();
  const ms = performance.now() - t0;
  return {
    ms,
    rate: (n) => {
      for (let i = 0; i < n; i += 1) {
        const { sessionId } = running.core.serviceCompleted(completedService(`S${i}`));
        void running.core.provider.api.rate(sessionId, 'satisfied');
      }
    },
    stop: async () => {
      await ui.close();
      await running.stop();
    },
  };
}

export async function benchStartup(runs = 5, existingRatings = 10_000): Promise<BenchRow[]> {
  const fresh: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-bench-start-'));
    const started = await startOnce(dir);
    fresh.push(started.ms);
    await started.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-bench-start-'));
  const first = await startOnce(dir);
  first.rate(existingRatings);
  await first.stop();
  const warm: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const again = await startOnce(dir);
    warm.push(again.ms);
    await again.stop();
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return [
    {
      name: 'startup.fresh-data-dir p50',
      value: percentile(fresh, 50),
      unit: 'ms',
      target: '≤ 2000',
      ok: percentile(fresh, 50) <= 2000,
    },
    {
      name: 'startup.fresh-data-dir max',
      value: Math.max(...fresh),
      unit: 'ms',
      target: '≤ 2000',
      ok: Math.max(...fresh) <= 2000,
    },
    {
      name: `startup.with-${existingRatings}-ratings p50`,
      value: percentile(warm, 50),
      unit: 'ms',
      target: '≤ 2000',
      ok: percentile(warm, 50) <= 2000,
    },
  ];
}
