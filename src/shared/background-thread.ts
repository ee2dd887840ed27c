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
import os from 'node:os';

export interface BackgroundOptions {
  nice: number;
  idleClass: boolean;
  /** The CPU to confine the thread to (backgroundCpu()); null leaves its CPUs as they are. */
  cpu: number | null;
}

// The CPUs this process may use, read when the kiosk loads its modules. availableParallelism() reads the calling
// thread's own CPU mask, and a thread starts with its creator's: once the main thread has left the background
// CPU (runtime-helpers.ts), it and every thread it starts would count one CPU fewer.
const PROCESS_CPUS = os.availableParallelism();

/** How many CPUs the process had at start (see above). */
export const processCpuCount = (): number => PROCESS_CPUS;

/** The kiosk's background CPU: the last of the process's, or null with a single CPU. */
export const backgroundCpu = (): number | null => (PROCESS_CPUS > 1 ? PROCESS_CPUS - 1 : null);

export function moveCallingThreadToBackground(options: BackgroundOptions, load: NodeRequire): void {
  const nodeOs = load('node:os') as typeof os;
  const fs = load('node:fs') as typeof NodeFs;
  const { execFile } = load('node:child_process') as typeof NodeChildProcess;
  try {
    nodeOs.setPriority(0, options.nice);
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
  if (options.cpu !== null) execFile('taskset', ['-p', '-c', String(options.cpu), tid], () => undefined);
}

/**
 * Source text calling moveCallingThreadToBackground(workerData.background, require) in an eval'd worker.
 * `__name` is the helper a TypeScript runner (tsx, vitest) may insert to keep function names.
 */
export const BACKGROUND_THREAD_SOURCE = `{ const __name = (f) => f;
(${moveCallingThreadToBackground.toString()})(require('node:worker_threads').workerData.background, require); }`;
