/**
 * Messages between the kiosk's main thread (host.ts) and its delivery thread (thread.ts). Both ends are this
 * program, in one process; the types keep them in step. No message carries PII in clear: records travel
 * only inside the thread, encrypted by it, and the main thread sees sequence numbers, codes and counts.
 */
import type { BackgroundOptions } from '../../shared/background-thread.js';
import type { EraseStep } from '../outbox-port.js';
import type { NationalTemplateOptions } from '../province/national-template/adapter.js';
import type { SyncStatus } from '../outbox-worker.js';

/** What the thread is started with (workerData). The PII key is copied into the thread's own memory. */
export interface DeliveryThreadData {
  dbPath: string;
  piiKey: Uint8Array;
  province: Omit<NationalTemplateOptions, 'now' | 'encryptor'>;
  batchSize: number;
  piiRetentionDays: number;
  /** The host's clock minus Date.now() at start: the thread's timestamps follow the host's clock. */
  clockOffsetMs: number;
  /** How the thread gets out of the citizen's way (src/shared/background-thread.ts). */
  background: BackgroundOptions;
}

/** A write the thread asks of the store's connection, which only the main thread holds. */
export type StoreCall =
  | { op: 'markDelivered'; results: Array<{ seq: number; status: 'accepted' | 'duplicate' }> }
  | { op: 'markDead'; seq: number; code: string; message: string }
  | { op: 'recordAttempt'; seqs: number[]; code: string }
  | { op: 'erasePii'; budget: number };

export type StoreAnswer = { op: 'erasePii'; step: EraseStep } | { op: 'done' };

export type HostMessage =
  | { t: 'notify' }
  | { t: 'syncNow' }
  | { t: 'encrypt'; id: number; text: string; publicKey: string }
  | { t: 'answer'; id: number; ok: true; answer: StoreAnswer }
  | { t: 'answer'; id: number; ok: false; error: string }
  | { t: 'stop' };

export type ThreadMessage =
  | { t: 'call'; id: number; call: StoreCall }
  | { t: 'status'; status: SyncStatus }
  | { t: 'log'; event: string; details: Record<string, unknown> }
  | { t: 'encrypted'; id: number; cipher: string }
  | { t: 'encrypted'; id: number; error: string };
