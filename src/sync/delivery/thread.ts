/**
 * The delivery thread (started by host.ts; never imported elsewhere). It runs the outbox worker with
 * everything a batch costs the kiosk: reading and rebuilding the records on its own read-only connection,
 * SM2 encryption, the HTTP exchange and the answer's parsing. The few writes a batch ends with (delivery
 * marks, dead letters, attempts, PII erase slices) are asked of the main thread, which holds the store's
 * only writing connection; each is awaited before the queue is read again.
 * Why a thread: on the main thread a batch's work and garbage delayed about 1 % of a citizen's presses by
 * 4–17 ms during a backlog drain (drain benchmark: press → stored p99 ×2.5–3.8 of idle; target ≤ ×2).
 */
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { moveCallingThreadToBackground } from '../../shared/background-thread.js';
import { openOutboxReader } from '../../store/outbox-reader.js';
import type { OutboxQueue } from '../outbox-port.js';
import { createOutboxWorker } from '../outbox-worker.js';
import { createNationalTemplateAdapter } from '../province/national-template/adapter.js';
import { inlineSm2Encryptor } from '../province/encryptor.js';
import type { DeliveryThreadData, HostMessage, StoreAnswer, StoreCall, ThreadMessage } from './protocol.js';

if (!parentPort) throw new Error('delivery thread: start it through startDeliveryThread (host.ts)');
const port = parentPort;
const data = workerData as DeliveryThreadData;
const post = (message: ThreadMessage) => port.postMessage(message);

moveCallingThreadToBackground(data.background, createRequire(import.meta.url));

const now = () => Date.now() + data.clockOffsetMs;
/**
 * Records whose sealed identity cannot be decrypted (lost pii.key, altered ciphertext; issue 18 item 1), by seq
 * → code, until the main thread has made each a dead letter. They never reach the province: its profile wants
 * the identity fields all or none, and the hashed record names the document type. As dead letters they are
 * kept and can be resent once the right key is back; meanwhile they never hold up the rest of the queue.
 */
const unreadable = new Map<number, string>();
const newlyUnreadable: number[] = [];
const reader = openOutboxReader({
  path: data.dbPath,
  piiKey: Buffer.from(data.piiKey),
  onUnreadable: (seq, code) => {
    if (unreadable.has(seq)) return;
    unreadable.set(seq, code);
    newlyUnreadable.push(seq);
    // Seq and code only: never the ciphertext.
    post({ t: 'log', event: 'sync.identity-unreadable', details: { seq, code } });
  },
});

/** The next `limit` records that can be sent, reading past the unreadable ones, which become dead letters. */
function nextSendable(limit: number): ReturnType<typeof reader.nextBatch> {
  for (;;) {
    const want = limit + unreadable.size;
    const rows = reader.nextBatch(want);
    const sendable = rows.filter((item) => !unreadable.has(item.seq));
    // Every row read is known now; rows found unreadable in this read grew the set, so read again past them.
    if (rows.length < want || sendable.length >= limit || newlyUnreadable.length === 0) {
      for (const seq of newlyUnreadable.splice(0)) deadLetter(seq);
      return sendable.slice(0, limit);
    }
    for (const seq of newlyUnreadable.splice(0)) deadLetter(seq);
  }
}

function deadLetter(seq: number): void {
  const code = unreadable.get(seq) ?? 'E2302';
  call({
    op: 'markDead',
    seq,
    code,
    message: 'identity cannot be decrypted (pii.key lost or data altered)',
  }).then(
    () => unreadable.delete(seq),
    () => unreadable.delete(seq), // read again next time, and tried again
  );
}
const adapter = createNationalTemplateAdapter({ ...data.province, now, encryptor: inlineSm2Encryptor });

let nextCall = 0;
const calls = new Map<number, { resolve: (answer: StoreAnswer) => void; reject: (error: Error) => void }>();
function call(request: StoreCall): Promise<StoreAnswer> {
  return new Promise((resolve, reject) => {
    const id = nextCall++;
    calls.set(id, { resolve, reject });
    post({ t: 'call', id, call: request });
  });
}

/** The queue as the worker sees it: reads here, writes stamped and made by the main thread with its clock. */
const queue: OutboxQueue = {
  nextBatch: (limit) => nextSendable(limit),
  markDelivered: async (results) => {
    await call({ op: 'markDelivered', results: [...results] });
  },
  markDead: async (seq, code, message) => {
    await call({ op: 'markDead', seq, code, message });
  },
  recordAttempt: async (seqs, _at, code) => {
    await call({ op: 'recordAttempt', seqs: [...seqs], code });
  },
  // The cut-off is the main thread's (its clock and the configured retention), so only the budget travels.
  erasePii: async (_deliveredBefore, budget) => {
    const answer = await call({ op: 'erasePii', budget });
    if (answer.op !== 'erasePii') throw new Error('delivery thread: unexpected answer to erasePii');
    return answer.step;
  },
};

const worker = createOutboxWorker({
  port: queue,
  adapter,
  batchSize: data.batchSize,
  piiRetentionDays: data.piiRetentionDays,
  now,
  onStatus: (status) => post({ t: 'status', status }),
  log: (event, details) => post({ t: 'log', event, details }),
});

async function stop(): Promise<void> {
  await worker.stop();
  adapter.close();
  reader.close();
  port.close(); // nothing else keeps the thread alive: it exits (the host waits for its 'exit')
}

port.on('message', (message: HostMessage) => {
  switch (message.t) {
    case 'notify':
      worker.notify();
      break;
    case 'syncNow':
      worker.syncNow();
      break;
    case 'encrypt':
      // The main thread's heartbeat and catalogue requests: SM2 stays on this thread.
      inlineSm2Encryptor.encrypt(message.text, message.publicKey).then(
        (cipher) => post({ t: 'encrypted', id: message.id, cipher }),
        (error: unknown) => post({ t: 'encrypted', id: message.id, error: String(error) }),
      );
      break;
    case 'answer': {
      const pending = calls.get(message.id);
      if (!pending) break;
      calls.delete(message.id);
      if (message.ok) pending.resolve(message.answer);
      else pending.reject(new Error(message.error));
      break;
    }
    case 'stop':
      void stop();
      break;
  }
});

worker.start();
