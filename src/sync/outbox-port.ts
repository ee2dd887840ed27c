/**
 * The ports between the durable store and the sync side. The store (src/store/) implements them on
 * SQLite; the outbox worker, the default-rating job and the catalogue service (src/sync/) use only these,
 * so the worker can also run against an in-memory implementation (fleet benchmark).
 */
import type { ProvinceRecord } from '../shared/province-record.js';
import type { ServiceNode } from '../rating-path/service-key.js';

export interface OutboxItem {
  seq: number;
  ratingId: string;
  /** 差评 (satisfaction ≤ 2): sent before other records (province-profile.md "Kiosk behaviour"). */
  bad: boolean;
  /** The full record, PII decrypted (it goes only into the encrypted envelope). */
  record: ProvinceRecord;
  attempts: number;
  createdAt: number;
}

export interface DeadLetter {
  seq: number;
  ratingId: string;
  code: string;
  message: string;
  at: number;
}

export interface OutboxStats {
  depth: number;
  oldestUnsentAt: number | null;
  deadLetters: DeadLetter[];
  delivered: number;
}

export type MaybePromise<T> = T | Promise<T>;

/**
 * What the outbox worker needs of the queue. Reads are local and synchronous; the writes may be answered
 * later: in the kiosk the worker runs on the delivery thread and asks the store's connection, on the main
 * thread, to make them (src/sync/delivery/), so each is awaited before the worker reads the queue again.
 */
export interface OutboxQueue {
  /** Up to `limit` pending items: 差评 first, then oldest (lowest seq) first. Delivered and dead items never appear. */
  nextBatch(limit: number): OutboxItem[];
  /** `accepted` or `duplicate` results: the only way an item becomes delivered. */
  markDelivered(
    results: ReadonlyArray<{ seq: number; status: 'accepted' | 'duplicate' }>,
    at: number,
  ): MaybePromise<void>;
  /** A `rejected` result: the item becomes a dead letter (kept, never deleted). */
  markDead(seq: number, code: string, message: string, at: number): MaybePromise<void>;
  /** A failed attempt for these items (network, 5xx, …), for diagnostics. */
  recordAttempt(seqs: readonly number[], at: number, code: string): MaybePromise<void>;
  /**
   * Erases `certKey`/`userName` of records delivered at or before `deliveredBefore`, looking at no more than
   * `budget` deliveries (bounded main-thread time); `more` says a further call has work left.
   */
  erasePii(deliveredBefore: number, budget: number): MaybePromise<EraseStep>;
}

export interface EraseStep {
  erased: number;
  more: boolean;
}

/** The whole outbox as the store offers it (synchronous: one connection, one thread). */
export interface OutboxPort extends OutboxQueue {
  markDelivered(results: ReadonlyArray<{ seq: number; status: 'accepted' | 'duplicate' }>, at: number): void;
  markDead(seq: number, code: string, message: string, at: number): void;
  recordAttempt(seqs: readonly number[], at: number, code: string): void;
  erasePii(deliveredBefore: number, budget: number): EraseStep;
  /** A dead letter goes back to pending (technician's resend after the cause is fixed). Returns false when `seq` is not dead. */
  resend(seq: number, at: number): boolean;
  stats(): OutboxStats;
  /** Last chain link, for the heartbeat. */
  lastLink(): { seq: number; hash: string };
  /** 差评 sessions that ended without a reason (domain-rules §3), reported in the heartbeat. */
  abandonedBadCount(): number;
}

/** A completed service that has no rating and no default yet (domain-rules §4). */
export interface DefaultCandidate {
  serviceId: number;
  ticketNo: string;
  projectNo: string | null;
  serviceNumber: string;
  /** The evaluation node (domain-rules §2 ⟨r2⟩): the default's `proStatus`. */
  node: ServiceNode;
  taskCode: string | null;
  taskName: string | null;
  /** Epoch ms the window system says the service completed. */
  completedAt: number;
  staffId: string | null;
  staffName: string | null;
}

export interface DefaultRatingPort {
  /** Services whose session ended `unrated` (timeout, superseded) and that have no rating and no default. Abandoned 差评 never appear. */
  defaultCandidates(completedBefore: number, limit: number): DefaultCandidate[];
}

export interface CataloguePort {
  loadCatalogue(): { version: string; json: string } | null;
  saveCatalogue(version: string, json: string, at: number): void;
}
