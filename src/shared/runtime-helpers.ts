/**
 * Moves the JavaScript runtime's garbage-collection helpers (V8's platform worker threads) to the kiosk's
 * background CPU (the last one, where the delivery and checkpoint threads run: background-thread.ts) at nice
 * 10, once per process, when the kiosk starts its background work (src/sync/delivery/host.ts).
 *
 * Why: every isolate of a process — the main thread's and the delivery thread's — has its garbage collected
 * partly on the same few platform threads (concurrent marking, sweeping, parallel scavenges), at the process's
 * normal priority even when the garbage is the delivery thread's. On a kernel without preemption a waking
 * thread waits for the next tick (≈ 4 ms) behind a running thread of the same priority; `perf sched` during a
 * backlog drain showed the main thread, woken from a citizen's press commit, waiting up to 9 ms behind one.
 * Lowering their nice value alone did not help reliably (press p99 ratio ×1.5–3.6 over eight runs); on the
 * background CPU, after the record-rebuild fix had cut their work, it was ×0.8–2.5 over six runs and only 3
 * of 2 424 main-thread wake-ups waited over 1 ms (23–32 before).
 *
 * The main thread, in turn, leaves the background CPU (keepMainThreadOffBackgroundCpu). Woken by the delivery
 * thread's message, it was often queued on that thread's CPU, behind it, for up to a tick (1.2–3.7 ms) while the
 * other CPU was idle: the kernel marks an idle-class thread for preemption but lets it run to the next tick.
 *
 * Which threads: those the runtime names `V8Worker` (Node ≥ 22). Plain Node 20 names no thread, so there they
 * are found by creation order: the platform (its workers and its delayed-task thread) is the first thing the
 * runtime starts, so its threads are the lowest thread ids after the main thread. Under Electron only named
 * threads are taken (Chromium's own threads are not guessed at). Nothing else is touched: libuv's pool (which
 * reads the serial ports) and Chromium's threads keep their CPUs and priority.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { backgroundCpu, processCpuCount } from './background-thread.js';

/** One thread of this process, as /proc/self/task shows it. */
export interface ThreadInfo {
  tid: number;
  name: string;
}

const HELPER_NICE = 10;
/** Node's default platform pool (`--v8-pool-size`, 4) plus its delayed-task scheduler thread. */
const NODE20_PLATFORM_THREADS = 4 + 1;

/**
 * The runtime's GC helper threads among `threads` (main thread `mainTid`): by name when the runtime names
 * them, else (Node 20) the `unnamedCount` lowest thread ids after the main thread that carry its name.
 */
export function runtimeHelperThreads(
  threads: readonly ThreadInfo[],
  mainTid: number,
  unnamedCount = NODE20_PLATFORM_THREADS,
): number[] {
  const named = threads.filter((t) => t.name === 'V8Worker' && t.tid !== mainTid).map((t) => t.tid);
  if (named.length > 0 || unnamedCount === 0) return named.sort((a, b) => a - b);
  const mainName = threads.find((t) => t.tid === mainTid)?.name;
  return threads
    .filter((t) => t.tid > mainTid && t.name === mainName)
    .map((t) => t.tid)
    .sort((a, b) => a - b)
    .slice(0, unnamedCount);
}

function listThreads(): ThreadInfo[] {
  const threads: ThreadInfo[] = [];
  for (const entry of fs.readdirSync('/proc/self/task')) {
    try {
      const name = fs.readFileSync(`/proc/self/task/${entry}/comm`, 'utf8').trim();
      threads.push({ tid: Number(entry), name });
    } catch {
      // the thread ended meanwhile
    }
  }
  return threads;
}

/**
 * Unnamed platform threads to expect: none under Electron or a runtime that names them; on plain Node 20,
 * `--v8-pool-size` workers (0: one fewer than the CPUs) plus the delayed-task thread.
 */
function platformThreadCount(): number {
  if (process.versions.electron || Number(process.versions.node.split('.')[0]) >= 22) return 0;
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].join(' ');
  const size = /--v8-pool-size[= ](\d+)/.exec(flags)?.[1];
  if (size === undefined) return NODE20_PLATFORM_THREADS;
  const workers = Number(size) === 0 ? Math.max(1, processCpuCount() - 1) : Number(size);
  return workers + 1;
}

/** Sets one thread's CPUs (a taskset list), in the background; a missing or refused taskset changes nothing. */
const confine = (tid: number, cpus: string): void => {
  execFile('taskset', ['-p', '-c', cpus, String(tid)], () => undefined);
};

let moved: number[] | null = null;

/**
 * Moves the runtime's helper threads to the last CPU at `HELPER_NICE`. Once per process, and only from the
 * main thread (a worker's `process.pid` is not its own thread); returns the helper thread ids (empty where
 * there is no /proc or one CPU). Each step that is not permitted or not available is skipped.
 */
export function moveRuntimeHelpersToBackground(): readonly number[] {
  if (moved) return moved;
  moved = [];
  const cpu = backgroundCpu();
  if (!isMainThread || cpu === null) return moved;
  let threads: ThreadInfo[];
  try {
    threads = listThreads();
  } catch {
    return moved; // no /proc: not Linux
  }
  // The main thread's id is the process id.
  for (const tid of runtimeHelperThreads(threads, process.pid, platformThreadCount())) {
    try {
      if (os.getPriority(tid) < HELPER_NICE) os.setPriority(tid, HELPER_NICE);
    } catch {
      // gone, or not permitted: it keeps its priority
    }
    confine(tid, String(cpu));
    moved.push(tid);
  }
  return moved;
}

/** The CPUs the main thread keeps, as a taskset list: all but the last; null with fewer than two. */
export function foregroundCpuList(cpus: number): string | null {
  if (cpus < 2) return null;
  return cpus === 2 ? '0' : `0-${cpus - 2}`;
}

let keptOff = false;

/**
 * Keeps the main thread (only that thread: the process id) off the background CPU, once per process and only
 * from the main thread. Drain benchmark, same conditions, two runs each: draining press p99 0.98 and 1.35 ms
 * against 1.74 and 2.44 ms without. Threads and processes the main thread starts later inherit the mask; the
 * kiosk's own background threads set theirs (background-thread.ts). Chromium launches its child processes from
 * its process-launcher thread and renderers from its zygote, so they should not inherit it (not checked here:
 * no Electron binary on the build machine). Where taskset is missing or not permitted, nothing changes.
 */
export function keepMainThreadOffBackgroundCpu(): void {
  if (keptOff || !isMainThread) return;
  keptOff = true;
  const list = foregroundCpuList(processCpuCount());
  if (list === null) return;
  confine(process.pid, list);
}
