/**
 * Moves the calling thread out of the citizen's way (Linux: nice value, scheduling class and CPU affinity
 * are all per thread). The kiosk's background threads — delivery (src/sync/delivery/) and WAL checkpoints
 * (src/store/checkpointer.ts) — run:
 * - at a background nice value and in the idle class (SCHED_IDLE), so a press on the main thread wins the
 *   CPU at once;
 * - on one CPU, the last, so another core stays free for the main thread (drain benchmark: ~8 % of presses
 *   over 3 ms while draining, 2 % once confined). On a kernel without preemption a waking thread waits for
 *   the next tick (≈ 4 ms) behind a thread of the same nice value; five nice levels, or the idle class, let
 *   it in at once (fsync probe sharing a CPU with a busy loop: p99 4.7 ms at nice 0, 0.5–0.6 ms at nice 5,
 *   nice 19 or SCHED_IDLE).
 * Elsewhere (no /proc, no chrt or taskset, one CPU) a step is skipped: slower to yield, never wrong.
 *
 * The function is self-contained and takes `require`, so an eval'd worker (the checkpointer) runs the same
 * code through its source text (see BACKGROUND_THREAD_SOURCE).
 */
import type * as NodeChildProcess from 'node:child_process';
import type * as NodeFs from 'node:fs';
import type * as NodeOs from 'node:os';

export interface BackgroundOptions {
  nice: number;
  idleClass: boolean;
  /** Confine to the last CPU (when there is more than one). */
  lastCpu: boolean;
}

export function moveCallingThreadToBackground(options: BackgroundOptions, load: NodeRequire): void {
  const os = load('node:os') as typeof NodeOs;
  const fs = load('node:fs') as typeof NodeFs;
  const { execFile } = load('node:child_process') as typeof NodeChildProcess;
  try {
    os.setPriority(0, options.nice);
  } catch {
    // not permitted: keep the inherited priority
  }
  let tid: string | undefined;
  try {
    tid = fs.readlinkSync('/proc/thread-self').split('/').pop();
  } catch {
    return; // no /proc: not Linux
  }
  if (!tid) return;
  if (options.idleClass) execFile('chrt', ['--idle', '-p', '0', tid], () => undefined);
  const cpus = os.availableParallelism();
  if (options.lastCpu && cpus > 1) execFile('taskset', ['-p', '-c', String(cpus - 1), tid], () => undefined);
}

/**
 * Source text calling moveCallingThreadToBackground(workerData.background, require) in an eval'd worker.
 * `__name` is the helper a TypeScript runner (tsx, vitest) may insert to keep function names.
 */
export const BACKGROUND_THREAD_SOURCE = `{ const __name = (f) => f;
(${moveCallingThreadToBackground.toString()})(require('node:worker_threads').workerData.background, require); }`;
