/**
 * The boundary between the kiosk and one province dialect (province-profile.md, opening paragraph):
 * another province is a new `ProvinceAdapter`, not a rewrite. The outbox worker, catalogue service and
 * heartbeat program against this interface only.
 */
import type { ErrorCodeInfo } from '../../shared/errors/types.js';
import type { ProvinceRecord } from '../../shared/province-record.js';

export type RecordStatus = 'accepted' | 'duplicate' | 'rejected';

/** One result per record, same order (profile "Endpoints", `/records`). */
export interface RecordResult {
  ratingId: string;
  status: RecordStatus;
  code?: string;
  message?: string;
}

/**
 * What the worker should do after a failed request:
 * `retry` with backoff (at least `retryAfterMs`), `stop` sending and retry every 10 min (AUTH,
 * BAD_ENVELOPE, TIME_SKEW), or `split` the batch (413 / body over 1 MiB).
 */
export type FailureAction = 'retry' | 'stop' | 'split';

export interface SyncFailure {
  /** A SYNC_ERRORS entry (band E6). */
  error: ErrorCodeInfo;
  action: FailureAction;
  /** From `Retry-After` (429, 503), else null. */
  retryAfterMs: number | null;
  httpStatus: number | null;
  /** The province's `code` (e.g. `TIME_SKEW`), when it answered one. */
  provinceCode: string | null;
  /** For logs and diagnostics; never contains secrets or PII. */
  message: string;
}

interface Common {
  /** Province clock − device clock (ms) from the response `Date` header, null when none was read. */
  clockOffsetMs: number | null;
}

export type Outcome<T> = Common & (({ ok: true } & T) | { ok: false; failure: SyncFailure });

export type BatchOutcome = Outcome<{ results: RecordResult[] }>;
export type CatalogueOutcome = Outcome<{ answer: unknown }>;
export type HeartbeatOutcome = Outcome<{ serverTime: string | null }>;

/** A batch encrypted for sending (the worker encrypts, then sends: an encryption failure is a local error, not a network one). */
export interface PreparedRecords {
  readonly ratingIds: readonly string[];
  /** Opaque to the worker. */
  readonly data: string;
}

/** Heartbeat payload (profile "Endpoints", `/heartbeat`). */
export interface HeartbeatPayload {
  deviceId: string;
  appVersion: string;
  outboxDepth: number;
  /** `yyyy-MM-dd HH:mm:ss` Asia/Shanghai, or "" when the outbox is empty. */
  oldestUnsentAt: string;
  lastSeq: number;
  lastHash: string;
  abandonedBad: number;
}

export interface ProvinceAdapter {
  readonly profile: string;
  /** Encrypts a batch without sending it (CPU only, possibly on a worker thread). */
  prepareRecords(records: readonly ProvinceRecord[]): Promise<PreparedRecords>;
  /** Sends a batch (raw or prepared); never throws, every failure is classified. */
  sendRecords(records: readonly ProvinceRecord[] | PreparedRecords): Promise<BatchOutcome>;
  /** The catalogue answer as JSON (validated by the catalogue service). */
  fetchCatalogue(have: string): Promise<CatalogueOutcome>;
  heartbeat(payload: HeartbeatPayload): Promise<HeartbeatOutcome>;
  /** Releases keep-alive sockets. */
  close(): void;
}
