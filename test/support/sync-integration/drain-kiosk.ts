/**
 * Kiosk side of the drain bench (bench/drain.ts), run as a child process so its RSS is the kiosk's alone
 * (the province test server, its SM2 decryption and its ledger stay in the parent). Usage (IPC channel
 * required, i.e. started with child_process.fork):
 *   drain-kiosk.ts <dbPath> <provinceUrl> <publicKey> <backlog> <pressEveryMs> <minIdlePresses>
 * Opens the already filled store with the real sync wiring (which starts draining at once), runs a press
 * stream through the real commit path while the backlog drains, then the same stream with nothing to
 * drain, and sends one `DrainResult` message.
 */
import { readFileSync, statSync } from 'node:fs';
import { completeService, integrationConfig, pressFor, startStack, type Stack } from './rig.js';

export interface DrainResult {
  drainMs: number;
  rssPeakBytes: number;
  rssStartBytes: number;
  /** press → stored, ms: from the instant the press was due to the return of the commit. */
  pressDraining: number[];
  pressIdle: number[];
  lastSeq: number;
  delivered: number;
}

/** [ns on a CPU, ns waiting in a run queue, slices] of this thread (Linux; DRAIN_TRACE only). */
const schedstat = () => readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ').map(Number);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Now in epoch ms, with performance.now()'s resolution: one clock for every DRAIN_TRACE line. */
const epochNow = () => performance.timeOrigin + performance.now();

/**
 * Presses due every `everyMs` from now until `stop()` says so or `count` presses were made. As at a window,
 * the service is completed (window link → service row) before the citizen presses; the latency is the press's:
 * from its due instant to its rating committed, counting the event loop's lateness (a press arriving while
 * the loop is busy waits, as a pad event would).
 */
async function pressStream(stack: Stack, everyMs: number, stop: (made: number) => boolean, first: number) {
  const latencies: number[] = [];
  const t0 = performance.now();
  for (let k = 0; !stop(k); k++) {
    const due = t0 + k * everyMs;
    const service = completeService(stack, first + k);
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const ss0 = process.env.DRAIN_TRACE ? schedstat() : [0, 0];
    const start = performance.now();
    pressFor(stack, service, first + k);
    const end = performance.now();
    const ss1 = process.env.DRAIN_TRACE ? schedstat() : [0, 0];
    latencies.push(end - due);
    if (process.env.DRAIN_TRACE)
      process.stderr.write(
        `press at ${(performance.timeOrigin + start).toFixed(1)} late ${(start - due).toFixed(2)} work ${(end - start).toFixed(2)} cpu ${((ss1[0]! - ss0[0]!) / 1e6).toFixed(2)} runq ${((ss1[1]! - ss0[1]!) / 1e6).toFixed(2)}\n`,
      );
  }
  return latencies;
}

async function main(): Promise<void> {
  if (process.env.DRAIN_TRACE) {
    const { PerformanceObserver } = await import('node:perf_hooks');
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.duration > 1)
          process.stderr.write(`gc at ${e.startTime.toFixed(0)} took ${e.duration.toFixed(2)}\n`);
      }
    }).observe({ entryTypes: ['gc'] });
  }
  const [dbPath, url, publicKey, backlogText, everyText, idleText] = process.argv.slice(2);
  if (!dbPath || !url || !publicKey || !process.send) throw new Error('usage: see the file header');
  const backlog = Number(backlogText);
  const everyMs = Number(everyText ?? 50);
  const idlePresses = Number(idleText ?? 200);

  let rssPeak = process.memoryUsage().rss;
  const rssStart = rssPeak;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);

  const started = performance.now();
  const startedAt = Date.now();
  const stack = startStack(
    dbPath,
    integrationConfig(
      url,
      publicKey,
      process.env.DRAIN_BATCH ? { batchSize: Number(process.env.DRAIN_BATCH) } : {},
    ),
  );
  if (process.env.DRAIN_TRACE) {
    // Each checkpoint's span, on the presses' clock (epoch ms), to set beside slow presses.
    const maintain = stack.store.maintain.bind(stack.store);
    stack.store.maintain = async () => {
      const t0 = epochNow();
      const checkpoint = maintain();
      const onMain = epochNow() - t0; // time index, high-water mark
      await checkpoint;
      const t1 = epochNow();
      const wal = statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0;
      process.stderr.write(
        `checkpoint at ${t0.toFixed(1)} took ${(t1 - t0).toFixed(1)} (main thread ${onMain.toFixed(2)}) wal ${(wal / 1048576).toFixed(1)} MB\n`,
      );
    };
  }
  let drainMs: number | null = null;
  // The backlog is drained when nothing older than this run is pending (presses made meanwhile may be).
  const watcher = setInterval(() => {
    const { oldestUnsentAt } = stack.store.stats();
    if (drainMs === null && (oldestUnsentAt === null || oldestUnsentAt >= startedAt)) {
      drainMs = performance.now() - started;
    }
  }, 250);
  // Presses count as "during the drain" from when delivery runs. Before that the delivery thread loads its
  // code: here from the TypeScript sources, compiled by tsx's esbuild on both cores for a second or so, which
  // a built kiosk (plain JavaScript) does not do. The drain time still counts from the start above.
  // Meanwhile the same stream runs untimed, as a warm-up: otherwise the draining side alone would carry the
  // first presses of the process (code not yet compiled by the JIT, the WAL's first growth), which the idle
  // side, measured after it, never meets.
  const syncState = () => (stack.sync.diagnostics().sync as { state: string }).state;
  const warmUp = await pressStream(
    stack,
    everyMs,
    () => syncState() !== 'off' || drainMs !== null,
    backlog + 2_000_000,
  );
  if (process.env.DRAIN_TRACE) process.stderr.write(`warm-up presses ${warmUp.length}\n`);
  const pressDraining = await pressStream(stack, everyMs, () => drainMs !== null, backlog);
  clearInterval(watcher);

  while (stack.store.stats().depth > 0) await sleep(100); // the presses made while draining
  // The idle figure is taken with nothing left over from the drain: the PII erase after it must have finished.
  const erasing = () => (stack.sync.diagnostics().piiErase as { pending: boolean }).pending;
  await sleep(200);
  while (erasing()) await sleep(100);
  await sleep(1_000);
  // As many idle presses as there were during the drain (at least minIdlePresses): two p99s over samples
  // of the same size, so the ratio compares like with like.
  const idleCount = Math.max(idlePresses, pressDraining.length);
  const pressIdle = await pressStream(stack, everyMs, (k) => k >= idleCount, backlog + 1_000_000);
  while (stack.store.stats().depth > 0) await sleep(100);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  clearInterval(sampler);

  const result: DrainResult = {
    drainMs: drainMs ?? Number.NaN,
    rssPeakBytes: rssPeak,
    rssStartBytes: rssStart,
    pressDraining,
    pressIdle,
    lastSeq: stack.store.lastLink().seq,
    delivered: stack.store.stats().delivered,
  };
  await stack.stop();
  process.send(result, () => process.exit(0));
}

main().catch((error: unknown) => {
  process.stderr.write(`drain-kiosk: ${String(error)}\n`);
  process.exit(1);
});
