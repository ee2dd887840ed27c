/**
 * Drain figures (issue acceptance): a kiosk holding 100,000 buffered ratings comes back online.
 * - time to drain the backlog through the real store + real sync wiring to the province test server
 *   (target ≤ 60 s);
 * - the kiosk's RSS peak while draining (target ≤ 250 MB);
 * - press → stored p99 of a press every 25 ms through the real commit path while draining, against the
 *   same stream with nothing to drain, in the same run (target ratio ≤ 2). 25 ms gives about 700–800 presses
 *   a side, so each p99 rests on about 7 presses rather than 4. BENCH_PRESS_MS sets another interval. The same
 *   stream runs untimed while the delivery thread loads, as a warm-up (drain-kiosk.ts).
 * Set-up (not timed): the backlog is committed through `store.commitRating` with drafts from
 * `buildRecordDraft`, on tmpfs (/dev/shm) when there is one — one fsync'd transaction per rating on disk
 * would take minutes — then the closed (checkpointed) file and its high-water side file are copied to
 * the data disk (HCP_BENCH_DIR, else the OS temp dir), where the kiosk drains it.
 * Processes: the kiosk side runs in a child (test/support/sync-integration/drain-kiosk.ts) so its RSS is
 * the kiosk's alone; the province test server (SM2 decryption, ledger) stays in this process, in the
 * background (see simulatorInBackground: it stands in for a remote system using none of the kiosk's CPU). The
 * ledger is on tmpfs too: the test server commits every record in its own fsync'd transaction, which is
 * the simulator's cost, not the kiosk's. BENCH_DRAIN_N scales the backlog (e.g. 5000 for a quick run).
 * Diagnosis: DRAIN_TRACE=1 prints each press (lateness, work, and of the work the main thread's CPU time and
 * run-queue wait) and each timed maintenance (its checkpoint's duration, the WAL file's size) on stderr, on one
 * clock (epoch ms); DRAIN_EXEC_ARGS adds Node flags to
 * the kiosk child (e.g. "--trace-gc" or "--cpu-prof --cpu-prof-dir=DIR").
 */
import { execFileSync, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { openStore } from '../src/store/index.js';
import type { DrainResult } from '../test/support/sync-integration/drain-kiosk.js';
import {
  commitBacklog,
  integrationConfig,
  ledgerSummary,
  newProvinceKeys,
  PII_KEY,
  startProvince,
  tempDir,
} from '../test/support/sync-integration/rig.js';
import { percentile, type BenchRow } from './types.js';

const CHILD = fileURLToPath(new URL('../test/support/sync-integration/drain-kiosk.ts', import.meta.url));

/** Commits `n` ratings to a new store at `dbPath` (see commitBacklog). */
function fill(dbPath: string, n: number, publicKey: string): void {
  const store = openStore({ path: dbPath, piiKey: PII_KEY });
  try {
    commitBacklog(store, integrationConfig('http://127.0.0.1:9', publicKey), n);
    // A kiosk that buffered these over days ran its idle maintenance all along: bring the time index level.
    while (store.catchUpTimeIndex() > 0);
  } finally {
    store.close();
  }
}

/**
 * Writes a copied file (or a directory entry) through to the disk. A kiosk's backlog was written over days and
 * is long on disk; a fresh copy left in the page cache would be written back by the kernel in the middle of
 * the timed drain (about 80 MB at 100 k records), slowing the presses' fsyncs for a reason no kiosk has.
 */
function flushToDisk(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Where the province simulator runs (all threads of this process: its SM2 decryption, HTTP and ledger). It
 * stands in for a remote system that uses none of the kiosk's CPU, so it is given only what the kiosk leaves:
 * the idle class (SCHED_IDLE), on the CPU where the kiosk keeps its own background threads (the last one,
 * src/shared/background-thread.ts). Without this, the simulator alone kept a core busy for the whole drain,
 * and with both cores busy a press's fsync waited up to a scheduler tick (≈ 4 ms) about one time in ten,
 * a cost of the test rig, not of the kiosk. DRAIN_SIM_CLASS=other leaves it in the normal class on every CPU
 * (to compare). Without chrt or taskset (not Linux) nothing changes.
 */
function simulatorInBackground(background: boolean): void {
  const pid = String(process.pid);
  const lastCpu = String(os.availableParallelism() - 1);
  try {
    execFileSync('chrt', [background ? '--idle' : '--other', '-a', '-p', '0', pid], { stdio: 'ignore' });
    execFileSync('taskset', ['-a', '-p', '-c', background ? lastCpu : `0-${lastCpu}`, pid], {
      stdio: 'ignore',
    });
  } catch {
    // no chrt/taskset, or not permitted: the simulator keeps its class and CPUs
  }
}

function runKiosk(args: string[], timeoutMs: number): Promise<DrainResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, args, {
      execArgv: [
        '--import',
        'tsx',
        ...(process.env.DRAIN_EXEC_ARGS ? process.env.DRAIN_EXEC_ARGS.split(' ') : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    // The province test server (this process's main thread, where its SM2 decryption runs) stands in for a
    // remote system: it gets the CPU the kiosk leaves over, as it would on its own machine. Set after the fork,
    // which would otherwise hand the kiosk the same low priority and CPU. DRAIN_SIM_CLASS=other to compare.
    const background = process.env.DRAIN_SIM_CLASS !== 'other';
    if (background) os.setPriority(0, 19);
    simulatorInBackground(background);

    const guard = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    let result: DrainResult | null = null;
    child.on('message', (m) => (result = m as DrainResult));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(guard);
      if (result) resolve(result);
      else reject(new Error(`drain kiosk exited (${code}) without a result`));
    });
  });
}

const round = (v: number, d = 1) => Number(v.toFixed(d));

export async function benchDrain(): Promise<BenchRow[]> {
  const n = Number(process.env.BENCH_DRAIN_N ?? 100_000);
  const keys = newProvinceKeys();
  const disk = tempDir('hcp-bench-drain-');
  const shm = fs.existsSync('/dev/shm') ? fs.mkdtempSync('/dev/shm/hcp-bench-drain-') : disk.dir;
  const fillDir = fs.mkdtempSync(path.join(shm, 'fill-'));
  const dbPath = path.join(disk.dir, 'kiosk.sqlite');
  const niceBefore = os.getPriority(0);
  const server = await startProvince(keys, path.join(shm, 'province-ledger.sqlite'));
  try {
    const fillStart = performance.now();
    fill(path.join(fillDir, 'kiosk.sqlite'), n, keys.publicKey);
    for (const suffix of ['', '.hw']) {
      fs.copyFileSync(path.join(fillDir, `kiosk.sqlite${suffix}`), `${dbPath}${suffix}`);
      flushToDisk(`${dbPath}${suffix}`);
    }
    flushToDisk(disk.dir);
    const fillMs = performance.now() - fillStart;

    const r = await runKiosk(
      [dbPath, server.url, keys.publicKey, String(n), process.env.BENCH_PRESS_MS ?? '25', '200'],
      15 * 60_000,
    );
    const ledger = ledgerSummary(server);
    const exactlyOnce =
      ledger.total === r.lastSeq &&
      r.delivered === r.lastSeq &&
      [...ledger.counts.values()].every((c) => c === 1) &&
      server.chainBreaks().length === 0;
    const p99Drain = percentile(r.pressDraining, 99);
    const p99Idle = percentile(r.pressIdle, 99);
    const ratio = p99Drain / p99Idle;
    const mb = (bytes: number) => round(bytes / 1024 / 1024);
    return [
      { name: `drain.fill-${n}-untimed-setup`, value: round(fillMs / 1000), unit: 's' },
      {
        name: `drain.time-${n}`,
        value: round(r.drainMs / 1000, 2),
        unit: 's',
        target: n === 100_000 ? '≤ 60 s' : `≤ ${round((60 * n) / 100_000, 2)} s (60 s per 100k)`,
        ok: r.drainMs <= (60_000 * n) / 100_000,
      },
      { name: 'drain.rate', value: Math.round(n / (r.drainMs / 1000)), unit: 'records/s' },
      { name: 'drain.kiosk-rss-start', value: mb(r.rssStartBytes), unit: 'MB' },
      {
        name: 'drain.kiosk-rss-peak',
        value: mb(r.rssPeakBytes),
        unit: 'MB',
        target: '≤ 250 MB',
        ok: mb(r.rssPeakBytes) <= 250,
      },
      {
        name: 'drain.press-to-stored-p50-draining',
        value: round(percentile(r.pressDraining, 50), 2),
        unit: 'ms',
      },
      { name: 'drain.press-to-stored-p99-draining', value: round(p99Drain, 2), unit: 'ms' },
      {
        name: 'drain.press-to-stored-max-draining',
        value: round(Math.max(...r.pressDraining), 2),
        unit: 'ms',
      },
      { name: 'drain.presses-draining', value: r.pressDraining.length, unit: 'count' },
      { name: 'drain.press-to-stored-p50-idle', value: round(percentile(r.pressIdle, 50), 2), unit: 'ms' },
      { name: 'drain.press-to-stored-p99-idle', value: round(p99Idle, 2), unit: 'ms' },
      { name: 'drain.press-p99-ratio', value: round(ratio, 2), unit: 'ratio', target: '≤ 2', ok: ratio <= 2 },
      {
        name: 'drain.delivered-exactly-once-chain-ok',
        value: exactlyOnce ? 1 : 0,
        unit: 'bool',
        target: '1',
        ok: exactlyOnce,
      },
    ];
  } finally {
    await server.close();
    simulatorInBackground(false);
    try {
      os.setPriority(0, niceBefore); // raising priority back needs root; otherwise later groups run niced
    } catch {
      // not root: the remaining bench groups run at the lower priority, which only slows them
    }
    fs.rmSync(shm === disk.dir ? fillDir : shm, { recursive: true, force: true });
    disk.cleanup();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchDrain().then(
    (rows) => {
      for (const row of rows) {
        const verdict = row.ok === undefined ? '' : row.ok ? '  ok' : '  MISSED';
        console.log(
          `${row.name.padEnd(44)} ${String(row.value).padStart(10)} ${row.unit}${row.target ? `  (target ${row.target})` : ''}${verdict}`,
        );
      }
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
