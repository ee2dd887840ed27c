/**
 * The main thread's side of the delivery thread (thread.ts): starts it, forwards notify / syncNow,
 * makes the writes it asks for on the store's connection (stamped with this thread's clock),
 * lends its SM2 to the heartbeat and catalogue requests, and restarts it with backoff should it ever stop
 * unexpectedly. What is left on the main thread per batch is one small write transaction.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { backgroundCpu, type BackgroundOptions } from '../../shared/background-thread.js';
import {
  keepMainThreadOffBackgroundCpu,
  moveRuntimeHelpersToBackground,
} from '../../shared/runtime-helpers.js';
import { SYNC_ERRORS } from '../../shared/errors/sync.js';
import type { OutboxPort } from '../outbox-port.js';
import { offStatus, type OutboxWorker } from '../outbox-worker.js';
import type { Sm2Encryptor } from '../province/encryptor.js';
import type { DeliveryThreadData, HostMessage, StoreAnswer, StoreCall, ThreadMessage } from './protocol.js';

export interface DeliveryHostOptions {
  /** The store's writing side: only these run here, on the thread's behalf. */
  store: Pick<OutboxPort, 'markDelivered' | 'markDead' | 'recordAttempt' | 'erasePii'>;
  dbPath: string;
  piiKey: Buffer;
  province: DeliveryThreadData['province'];
  batchSize: number;
  piiRetentionDays: number;
  now: () => number;
  /** Never receives PII or secrets (the thread's events, and this host's). */
  log: (event: string, details: Record<string, unknown>) => void;
  /** First restart delay after an unexpected stop (doubling up to maxRestartMs). Default 5 s. */
  restartMs?: number;
  maxRestartMs?: number;
  /** How the thread gets out of the citizen's way. Default: nice 10, idle class, on the last CPU. */
  background?: BackgroundOptions;
  /** How long stop() waits for the request in flight before ending the thread. Default 20 s. */
  stopTimeoutMs?: number;
}

/**
 * The outbox worker's controls, run on the thread: stop() lets the request in flight finish (its marks are
 * written) and ends the thread; status() is what the thread last reported.
 */
export interface DeliveryHost extends OutboxWorker {
  /** SM2 on the delivery thread, for requests made on the main thread (heartbeat, catalogue). */
  readonly encryptor: Sm2Encryptor;
}

// Plain CommonJS evaluated in the new thread: it loads thread.js (built) or thread.ts (from source, through
// tsx's loader, which only development and tests have), so no TypeScript loader is needed in production.
const BOOT = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.loader) (await import(workerData.loader)).register();
  await import(workerData.entry);
})().catch((error) => setImmediate(() => { throw error; }));
`;

/** tsx's ESM loader API (`tsx/esm/api`, its `import` condition: require.resolve would give the CommonJS one). */
function tsxLoader(): string {
  const manifestPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  const file = manifest.exports['./esm/api']?.import.default;
  if (!file) throw new Error('tsx/esm/api not found: the delivery thread cannot load TypeScript sources');
  return pathToFileURL(path.join(path.dirname(manifestPath), file)).href;
}

function entryPoints(): { entry: string; loader: string | null } {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(fromSource ? './thread.ts' : './thread.js', import.meta.url).href;
  return { entry, loader: fromSource ? tsxLoader() : null };
}

export function startDeliveryThread(options: DeliveryHostOptions): DeliveryHost {
  const { store, now, log } = options;
  const restartMs = options.restartMs ?? 5_000;
  const maxRestartMs = options.maxRestartMs ?? 300_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 20_000;
  let thread: Worker | null = null;
  let wanted = false;
  let status = offStatus();
  let erasing = false;
  let restartDelay = restartMs;
  let restartTimer: NodeJS.Timeout | null = null;
  let stopping: Promise<void> | null = null;
  let nextEncrypt = 0;
  const encrypts = new Map<number, { resolve: (cipher: string) => void; reject: (error: Error) => void }>();

  const send = (message: HostMessage) => thread?.postMessage(message);

  /** The writes the thread asks for; the store's own checks (triggers, pending state) still apply. */
  function answer(call: StoreCall): StoreAnswer {
    const at = now();
    switch (call.op) {
      case 'markDelivered':
        store.markDelivered(call.results, at);
        return { op: 'done' };
      case 'markDead':
        store.markDead(call.seq, call.code, call.message, at);
        return { op: 'done' };
      case 'recordAttempt':
        store.recordAttempt(call.seqs, at, call.code);
        return { op: 'done' };
      case 'erasePii': {
        const step = store.erasePii(at - options.piiRetentionDays * 86_400_000, call.budget);
        erasing = step.more;
        return { op: 'erasePii', step };
      }
    }
  }

  function onMessage(from: Worker, message: ThreadMessage): void {
    if (from !== thread) return; // a thread already replaced
    switch (message.t) {
      case 'call': {
        let reply: HostMessage;
        try {
          reply = { t: 'answer', id: message.id, ok: true, answer: answer(message.call) };
        } catch (error) {
          erasing = false;
          reply = { t: 'answer', id: message.id, ok: false, error: String(error) };
        }
        from.postMessage(reply);
        break;
      }
      case 'status':
        status = message.status;
        if (status.state === 'sending') restartDelay = restartMs; // it works again: the next failure starts over
        break;
      case 'log':
        log(message.event, message.details);
        break;
      case 'encrypted': {
        const pending = encrypts.get(message.id);
        if (!pending) break;
        encrypts.delete(message.id);
        if ('cipher' in message) pending.resolve(message.cipher);
        else pending.reject(new Error(`SM2 on the delivery thread: ${message.error}`));
        break;
      }
    }
  }

  function failEncrypts(reason: string): void {
    for (const pending of encrypts.values()) pending.reject(new Error(reason));
    encrypts.clear();
  }

  /** An unexpected stop (or a start that could not happen): report it, keep the records, start again later. */
  function failed(message: string): void {
    const at = now();
    status = {
      ...status,
      state: 'off',
      inFlight: 0,
      nextAttemptAt: at + restartDelay,
      lastError: {
        code: SYNC_ERRORS.deliveryThread.code,
        name: SYNC_ERRORS.deliveryThread.name,
        provinceCode: null,
        httpStatus: null,
        at,
      },
    };
    log('sync.delivery-thread-stopped', { code: SYNC_ERRORS.deliveryThread.code, error: message });
    restartTimer = setTimeout(() => {
      restartTimer = null;
      if (wanted && !thread) spawn();
    }, restartDelay);
    restartTimer.unref();
    restartDelay = Math.min(restartDelay * 2, maxRestartMs);
  }

  function spawn(): void {
    let points: { entry: string; loader: string | null };
    try {
      points = entryPoints();
    } catch (error) {
      failed(String(error));
      return;
    }
    const { entry, loader } = points;
    const data: DeliveryThreadData & { entry: string; loader: string | null } = {
      dbPath: options.dbPath,
      piiKey: new Uint8Array(options.piiKey),
      province: options.province,
      batchSize: options.batchSize,
      piiRetentionDays: options.piiRetentionDays,
      clockOffsetMs: now() - Date.now(),
      background: options.background ?? { nice: 10, idleClass: true, cpu: backgroundCpu() },
      entry,
      loader,
    };
    // Its own small heap: the delivery work makes much short-lived garbage (SM2 in pure JS, JSON), and the
    // drain benchmark's RSS target (≤ 250 MB) counts every thread (peak 226–238 MB with these limits).
    // execArgv: none of the parent's flags.
    const w = new Worker(BOOT, {
      eval: true,
      workerData: data,
      execArgv: [],
      resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 48 },
    });
    thread = w;
    let failure: string | null = null;
    w.on('message', (message: ThreadMessage) => onMessage(w, message));
    w.on('error', (error) => {
      failure = String(error);
    });
    w.on('exit', (code) => {
      if (thread !== w) return;
      thread = null;
      erasing = false;
      failEncrypts('the delivery thread stopped');
      if (!wanted) {
        status = { ...status, state: 'off', inFlight: 0, nextAttemptAt: null };
        return;
      }
      failed(failure ?? `exited with code ${code}`);
    });
    // After the listeners (a 'message' listener refs the thread again): like the worker's own timers, the
    // thread must not keep a process alive that has nothing else to do; stop() refs it while it winds down.
    w.unref();
  }

  return {
    start() {
      if (wanted) return;
      wanted = true;
      // The thread's garbage is collected on the process's shared V8 helper threads: they go to its CPU too,
      // and the main thread leaves that CPU to them (runtime-helpers.ts).
      moveRuntimeHelpersToBackground();
      keepMainThreadOffBackgroundCpu();
      spawn();
    },
    stop() {
      wanted = false;
      if (restartTimer) clearTimeout(restartTimer);
      restartTimer = null;
      const w = thread;
      if (!w) return stopping ?? Promise.resolve();
      stopping ??= new Promise<void>((resolve) => {
        const guard = setTimeout(() => void w.terminate(), stopTimeoutMs);
        w.once('exit', () => {
          clearTimeout(guard);
          stopping = null;
          resolve();
        });
        w.ref();
        w.postMessage({ t: 'stop' } satisfies HostMessage);
      });
      return stopping;
    },
    notify: () => send({ t: 'notify' }),
    syncNow: () => send({ t: 'syncNow' }),
    status: () => ({ ...status }),
    erasing: () => erasing,
    encryptor: {
      encrypt(text, publicKey) {
        const w = thread;
        if (!w) return Promise.reject(new Error('the delivery thread is not running'));
        return new Promise((resolve, reject) => {
          const id = nextEncrypt++;
          encrypts.set(id, { resolve, reject });
          w.postMessage({ t: 'encrypt', id, text, publicKey } satisfies HostMessage);
        });
      },
    },
  };
}
