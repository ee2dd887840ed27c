/**
 * WAL checkpoints on their own thread and SQLite connection. A PASSIVE checkpoint copies every WAL page written
 * since the last one into the database file and fsyncs it: after a busy spell (a backlog drain, a PII erase)
 * that took 6–20 ms of the main thread every 5 s, in front of whatever press came next (drain benchmark).
 * Any connection may checkpoint a WAL database; PASSIVE never waits for the writer, so the kiosk's commits go
 * on meanwhile. Once started, the thread also catches up by itself every 400 ms, so the WAL is restarted about
 * that often however busy the kiosk is. Started on first use, so stores that are opened and closed without idle
 * maintenance (tests, tools) never start a thread.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  BACKGROUND_THREAD_SOURCE,
  backgroundCpu,
  type BackgroundOptions,
} from '../shared/background-thread.js';

export interface Checkpointer {
  /**
   * Asks for a catch-up (PASSIVE passes until one finds nothing new; none twice at once); resolves when the one
   * running now has finished. The first request starts the thread.
   */
  request(): Promise<void>;
  /** Stops the thread (its connection is closed first); safe to call more than once. */
  close(): void;
}

// Plain CommonJS evaluated in the worker (no TypeScript loader needed). It first moves itself to the
// kiosk's background CPU at a background nice value (src/shared/background-thread.ts): a checkpoint copies
// megabytes after a busy spell, on the core the citizen's press is not using. Not the idle class: the WAL is
// only reset once a checkpoint completes, so it must not starve behind a backlog drain.
const SOURCE = `
${BACKGROUND_THREAD_SOURCE}
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.library);
// Opened at the first catch-up, so that a file it cannot use is reported like a failed checkpoint, with
// SQLite's message (an error thrown out of the thread reaches the host without it).
let db = null;
function connection() {
  if (db !== null) return db;
  const opened = new Database(workerData.path, { fileMustExist: true });
  try {
    // A checkpoint must sync the database file before the WAL can be reused: FULL, as the kiosk's connection.
    opened.pragma('synchronous = FULL');
    opened.pragma('wal_autocheckpoint = 0');
  } catch (error) {
    opened.close();
    throw error;
  }
  return (db = opened);
}
// One PASSIVE pass copies the frames that were in the WAL when it began. The writer restarts the WAL (writes
// from its start again, over blocks the file already has) only if every frame has been copied when it begins
// a transaction. While the kiosk commits all the time (a backlog drain: a delivery mark every ~20 ms, presses
// between them), a pass that copies seconds of frames always ends behind, and the WAL was seldom restarted:
// it grew through the drain (75 MB at 100 k), and each press's fsync also allocated the file's new
// blocks and wrote its inode and extent tree (drain benchmark: ~14 % of presses 3–7 ms). So passes follow
// each other while the last one found new frames; each copies only what came during the one before, so they
// shorten until one finds none (2–5 passes while draining).
const MAX_PASSES = 16;
function catchUp() {
  let previousLog = -1;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { log, checkpointed } = connection().pragma('wal_checkpoint(PASSIVE)')[0];
    if (log === checkpointed && log === previousLog) return;
    previousLog = log;
  }
}
// Besides the kiosk's requests, a catch-up every workerData.everyMs: the WAL then restarts about that often
// however busy the kiosk is, so it stays a few MB, reused, instead of growing for as long as the writes go on.
// A pass with nothing to copy reads the WAL index and returns.
let timer = null;
// After a failure the kiosk checkpoints on its own connection instead (store.ts): this thread stops its own.
const report = (error) => {
  clearInterval(timer);
  parentPort.postMessage({ ok: false, error: String((error && error.message) || error) });
};
timer = setInterval(() => {
  try {
    catchUp();
  } catch (error) {
    report(error);
  }
}, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message === 'close') {
    clearInterval(timer);
    db?.close();
    parentPort.close();
    return;
  }
  try {
    catchUp();
    parentPort.postMessage({ ok: true });
  } catch (error) {
    report(error);
  }
});
`;

/**
 * How often the thread catches up by itself (see the source above), on top of the kiosk's requests. Drain
 * benchmark: every 1 s the WAL peaked at 3.5–8 MB and the press p99 ratio was ×0.7–2.2 (14 runs, two over ×2);
 * every 400 ms, 1.4–3.8 MB and ×1.3–1.7 (five runs), with fewer presses waiting on the WAL's growth at the
 * start. A pass with nothing to copy costs microseconds, so an idle kiosk pays nothing for it.
 */
const CATCH_UP_EVERY_MS = 400;

export function createCheckpointer(path: string, onError: (message: string) => void): Checkpointer {
  let worker: Worker | null = null;
  let running: Promise<void> | null = null;
  let settle: (() => void) | null = null;
  let closed = false;
  const finished = () => {
    worker?.unref();
    running = null;
    settle?.();
    settle = null;
  };
  const start = (): Worker => {
    const library = createRequire(import.meta.url).resolve('better-sqlite3');
    const background: BackgroundOptions = { nice: 10, idleClass: false, cpu: backgroundCpu() };
    const w = new Worker(SOURCE, {
      eval: true,
      workerData: { library, path, background, everyMs: CATCH_UP_EVERY_MS },
    });
    w.on('message', (message: { ok: boolean; error?: string }) => {
      finished();
      if (!message.ok) onError(message.error ?? 'checkpoint failed');
    });
    w.on('error', (error: unknown) => {
      finished();
      worker = null; // a later request starts a fresh thread
      // Thrown out of the thread (not a failed checkpoint, which is reported with its message), an error may
      // arrive as a plain object with its code only.
      const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
      onError(typeof message === 'string' ? message : typeof code === 'string' ? code : String(error));
    });
    // After the listeners: adding a 'message' listener refs the worker again, which would keep a process that
    // never closes its store (a tool, a test) alive.
    w.unref();
    return w;
  };
  return {
    request() {
      if (closed) return Promise.resolve();
      if (running) return running;
      worker ??= start();
      running = new Promise<void>((resolve) => (settle = resolve));
      worker.ref(); // while a checkpoint runs, whoever awaits it keeps the process up
      worker.postMessage('checkpoint');
      return running;
    },
    close() {
      if (closed) return;
      closed = true;
      finished();
      // The worker closes its connection, then its port; it exits by itself (unref'd, nothing awaits it).
      worker?.postMessage('close');
      worker = null;
    },
  };
}
