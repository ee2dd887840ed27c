/**
 * WAL checkpoints on their own thread and SQLite connection. A PASSIVE checkpoint copies every WAL page written
 * since the last one into the database file and fsyncs it: after a busy spell (a backlog drain, a PII erase)
 * that took 6–20 ms of the main thread every 5 s, in front of whatever press came next (drain benchmark).
 * Any connection may checkpoint a WAL database; PASSIVE never waits for the writer, so the kiosk's commits go
 * on meanwhile. Started on first use, so stores that are opened and closed without idle maintenance (tests,
 * tools) never start a thread.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { BACKGROUND_THREAD_SOURCE, type BackgroundOptions } from '../shared/background-thread.js';

export interface Checkpointer {
  /** Asks for a PASSIVE checkpoint (none twice at once); resolves when the one running now has finished. */
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
const db = new Database(workerData.path, { fileMustExist: true });
// A checkpoint must sync the database file before the WAL can be reused: FULL, as the kiosk's connection.
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String((error && error.message) || error) });
  }
});
`;

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
    const background: BackgroundOptions = { nice: 10, idleClass: false, lastCpu: true };
    const w = new Worker(SOURCE, { eval: true, workerData: { library, path, background } });
    w.on('message', (message: { ok: boolean; error?: string }) => {
      finished();
      if (!message.ok) onError(message.error ?? 'checkpoint failed');
    });
    w.on('error', (error) => {
      finished();
      worker = null; // a later request starts a fresh thread
      onError(String(error));
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
