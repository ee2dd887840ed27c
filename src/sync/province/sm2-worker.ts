/**
 * SM2 encryption off the main thread. A 100-record batch (≈ 75 KB) takes 12–18 ms of pure-JS SM2 (sm-crypto-v2;
 * Electron's BoringSSL has none); on the main thread that time blocks every press → stored commit behind it.
 * The worker runs the same library with the same C1C3C2 + `04` rule as sm2.ts (tested for equal output by
 * decrypting both), so the main thread only awaits the ciphertext.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { sm2Encrypt } from './sm2.js';

export interface Sm2Encryptor {
  /** `04 ‖ C1 ‖ C3 ‖ C2`, lower-case hex, of the UTF-8 text (province-profile.md "Envelope"). */
  encrypt(text: string, publicKey: string): Promise<string>;
  close(): Promise<void>;
}

/** Encrypts on the calling thread (tests, tools). */
export const inlineSm2Encryptor: Sm2Encryptor = {
  encrypt: async (text, publicKey) => sm2Encrypt(text, publicKey),
  close: async () => undefined,
};

// Plain CommonJS evaluated in the worker, so it needs no TypeScript loader (works under tsx, vitest and Electron).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// Background priority for this thread only (Linux nice values are per thread, and setPriority(0) names the
// calling thread): draining a backlog keeps a core busy with SM2, and a citizen's press on the main thread
// must win the CPU at once (drain benchmark: press → stored p99 within 2× of idle). Elsewhere: no-op.
try { require('node:os').setPriority(0, workerData.nice); } catch {}
if (workerData.idleClass) {
  try {
    const tid = require('node:fs').readlinkSync('/proc/thread-self').split('/').pop();
    require('node:child_process').execFile('chrt', ['--idle', '-p', '0', tid], () => {});
  } catch {}
}
const { sm2 } = require(workerData.library);
const points = new Map();
const utf8 = new TextEncoder(); // the same UTF-8 encoder as sm2.ts, never the library's own (see src/crypto/sm3.ts)
parentPort.on('message', ({ id, text, publicKey }) => {
  try {
    const key = publicKey.toLowerCase();
    if (!/^04[0-9a-f]{128}$/.test(key)) throw new TypeError('SM2 public key must be 130 hex characters starting 04');
    let point = points.get(key);
    if (!point) { point = sm2.precomputePublicKey(key); if (points.size > 8) points.clear(); points.set(key, point); }
    parentPort.postMessage({ id, cipher: '04' + sm2.doEncrypt(utf8.encode(text), point, 1).toLowerCase() });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

/** Nice value of the SM2 thread: low enough to yield to the main thread, not idle-only (it must still drain). */
export const SM2_WORKER_NICE = 10;

/** One worker thread (the kiosk has one request in flight; a second core would only pre-encrypt). */
export function createSm2Worker(): Sm2Encryptor {
  const library = createRequire(import.meta.url).resolve('sm-crypto-v2');
  // SM2 in pure JS makes much short-lived garbage: small heap limits keep the isolate's RSS bounded
  // (drain benchmark: kiosk RSS ≤ 250 MB) at no measurable cost in speed.
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { library, nice: SM2_WORKER_NICE, idleClass: true },
    resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 48 },
  });
  let nextId = 0;
  const waiting = new Map<number, { resolve: (cipher: string) => void; reject: (error: Error) => void }>();
  const failAll = (error: Error) => {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  };
  worker.on('message', (message: { id: number; cipher?: string; error?: string }) => {
    const pending = waiting.get(message.id);
    if (!pending) return;
    waiting.delete(message.id);
    if (message.cipher !== undefined) pending.resolve(message.cipher);
    else pending.reject(new Error(`SM2 worker: ${message.error ?? 'failed'}`));
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', () => failAll(new Error('SM2 worker stopped')));
  // After the listeners: adding a 'message' listener refs the worker again (it must not keep the process alive).
  worker.unref();
  return {
    encrypt(text, publicKey) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, text, publicKey });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
