/**
 * The outbox worker: delivers pending records exactly once (province-profile.md "Kiosk behaviour").
 * - Order: 差评 first, then oldest (the port orders); batches of `batchSize`; ONE request in flight.
 * - Retries network / 5xx / 429 / 503 / bad answers with full-jitter backoff, never sooner than Retry-After.
 * - AUTH / BAD_ENVELOPE / TIME_SKEW: stop sending, report in status(), retry every 10 min.
 * - A record is delivered only on `accepted` / `duplicate`; `rejected` → dead letter (kept, resendable).
 * - Pipelining: while batch n is in flight, batch n+1 is encrypted (SM2 is the bottleneck).
 * Callers are never blocked: `notify()` / `syncNow()` only schedule; the kiosk thanks the citizen regardless.
 */
import { SYNC_ERRORS } from '../shared/errors/sync.js';
import type { ErrorCodeInfo } from '../shared/errors/types.js';
import { isKioskError } from '../shared/errors/kiosk-error.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type { OutboxItem, OutboxPort } from './outbox-port.js';
import type { PreparedRecords, ProvinceAdapter, SyncFailure } from './province/adapter.js';
import { realTimers, TimerSlot, type Timers } from './scheduler.js';

export type WorkerState = 'off' | 'idle' | 'sending' | 'backoff' | 'halted';

export interface SyncStatus {
  state: WorkerState;
  lastError: {
    code: string;
    name: string;
    provinceCode: string | null;
    httpStatus: number | null;
    at: number;
  } | null;
  lastSuccessAt: number | null;
  /** Province clock − device clock, ms (profile: TIME_SKEW "also reports the clock offset"). */
  clockOffsetMs: number | null;
  nextAttemptAt: number | null;
  /** Records in the request now in flight (0 or the batch length). */
  inFlight: number;
  consecutiveFailures: number;
}

export interface OutboxWorkerOptions {
  port: OutboxPort;
  adapter: ProvinceAdapter;
  /** config.province.batchSize (≤ 100). */
  batchSize: number;
  /**
   * Batch size while citizens are rating (see citizenActive): each batch is a few ms of this thread and a
   * burst of disk writes, which a press arriving meanwhile waits behind. Default 25 (drain benchmark, presses
   * every 50 ms throughout: press → stored p99 4.0–4.5 ms at 25 per batch against 4.8–7.3 ms at 100, while
   * 100 000 records still drain in 47–48 s, under the 60 s target).
   */
  busyBatchSize?: number;
  /** How long after the last citizen activity the smaller batches are used. Default 30 s. */
  busyForMs?: number;
  /** config.province.piiRetentionDays (domain-rules §5). */
  piiRetentionDays: number;
  now?: () => number;
  timers?: Timers;
  random?: () => number;
  backoff?: BackoffPolicy;
  /** AUTH / BAD_ENVELOPE / TIME_SKEW retry period (profile: every 10 min). */
  haltRetryMs?: number;
  /** Look for work even without notify() (resends, defaults committed elsewhere). */
  idlePollMs?: number;
  piiSweepMs?: number;
  onStatus?: (status: SyncStatus) => void;
  /** Never receives PII or secrets. */
  log?: (event: string, details: Record<string, unknown>) => void;
}

export interface OutboxWorker {
  start(): void;
  /** Resolves once the request in flight (if any) has finished. */
  stop(): Promise<void>;
  /** A record was committed: send soon if idle; a worker in backoff keeps its schedule (herd safety). */
  notify(): void;
  /** Technician / diagnostics: try now, cancelling backoff or halt, but never before Retry-After. */
  syncNow(): void;
  /** Dead letter → pending again, then try now. */
  resend(seq: number): boolean;
  /** A citizen is rating at this kiosk: deliver in smaller batches for a while (busyBatchSize). */
  citizenActive(): void;
  status(): SyncStatus;
  /** A PII erase is under way (its slices are still running). */
  erasing(): boolean;
}

/** Deliveries one PII-erase slice looks at (about a millisecond of the main thread), and the pause after it. */
const ERASE_SLICE = 64;
const ERASE_PAUSE_MS = 10;

const ITEM_KEY = (items: readonly OutboxItem[]) => items.map((i) => i.seq).join(',');

export function createOutboxWorker(options: OutboxWorkerOptions): OutboxWorker {
  const { port, adapter } = options;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? realTimers;
  const random = options.random ?? Math.random;
  const policy = options.backoff ?? DEFAULT_BACKOFF;
  const haltRetryMs = options.haltRetryMs ?? 600_000;
  const idlePollMs = options.idlePollMs ?? 60_000;
  const piiSweepMs = options.piiSweepMs ?? 3_600_000;
  const log = options.log ?? (() => undefined);

  const attemptTimer = new TimerSlot(timers);
  const piiTimer = new TimerSlot(timers);
  const aheadTimer = new TimerSlot(timers);
  const eraseTimer = new TimerSlot(timers);
  let running: Promise<void> | null = null;
  let started = false;
  let batchLimit = options.batchSize;
  const busyBatchSize = Math.max(1, Math.min(options.busyBatchSize ?? 25, options.batchSize));
  const busyForMs = options.busyForMs ?? 30_000;
  let citizenAt = -Infinity;
  /** The batch size now: the configured one, the smaller one while citizens rate, halved after TOO_LARGE. */
  const limit = () => (now() - citizenAt < busyForMs ? Math.min(batchLimit, busyBatchSize) : batchLimit);
  /** Retry-After floor: no request before this instant. */
  let notBefore = 0;
  let ahead: { key: string; prepared: Promise<PreparedRecords> } | null = null;
  const status: SyncStatus = {
    state: 'off',
    lastError: null,
    lastSuccessAt: null,
    clockOffsetMs: null,
    nextAttemptAt: null,
    inFlight: 0,
    consecutiveFailures: 0,
  };

  const changed = () => options.onStatus?.({ ...status });

  function schedule(ms: number, state: WorkerState): void {
    const at = Math.max(now() + ms, notBefore);
    status.state = state;
    status.nextAttemptAt = at;
    attemptTimer.arm(() => void kick(), at - now());
    changed();
  }

  /**
   * PII is erased after delivery (domain-rules §5): as soon as the outbox is empty, and hourly. Not while a
   * backlog drains: a sweep rewrites thousands of service rows, and that disk traffic slowed the citizen's
   * fsync'd commits during the drain benchmark (press → stored p99 ×5); the erase waits for the drain's end
   * (about 30 s per 100 k records).
   * Each sweep erases in slices of ERASE_SLICE deliveries with a short pause between them, so a citizen's
   * press never waits behind it for more than a slice (drain benchmark: one unsliced sweep of 30 000
   * deliveries held the thread 170 ms; back-to-back slices still delayed presses by 15–20 ms).
   */
  let unswept = false;
  let sweeping = false;
  function sweepPii(): void {
    unswept = false;
    if (sweeping) return;
    sweeping = true;
    let erased = 0;
    const slice = () => {
      try {
        const step = port.erasePii(now() - options.piiRetentionDays * 86_400_000, ERASE_SLICE);
        erased += step.erased;
        if (step.more && started) {
          eraseTimer.arm(slice, ERASE_PAUSE_MS);
          return;
        }
        if (erased > 0) log('sync.pii-erased', { count: erased });
      } catch (error) {
        log('sync.pii-erase-failed', { error: String(error) });
      }
      sweeping = false;
    };
    slice();
  }

  /** Items for the next request, skipping those in flight. */
  function nextItems(exclude: ReadonlySet<number>): OutboxItem[] {
    return port
      .nextBatch(limit() + exclude.size)
      .filter((item) => !exclude.has(item.seq))
      .slice(0, limit());
  }

  async function prepare(items: readonly OutboxItem[]): Promise<PreparedRecords> {
    const key = ITEM_KEY(items);
    if (ahead && ahead.key === key) {
      const early = ahead.prepared;
      ahead = null;
      try {
        return await early;
      } catch {
        // the batch is encrypted again just below
      }
    }
    return adapter.prepareRecords(items.map((i) => i.record));
  }

  function fail(items: readonly OutboxItem[], f: SyncFailure): 'continue' | 'wait' {
    const at = now();
    status.lastError = {
      code: f.error.code,
      name: f.error.name,
      provinceCode: f.provinceCode,
      httpStatus: f.httpStatus,
      at,
    };
    if (items.length > 0)
      port.recordAttempt(
        items.map((i) => i.seq),
        at,
        f.error.code,
      );
    log('sync.failed', { code: f.error.code, message: f.message, records: items.length });
    if (f.action === 'split') {
      if (items.length > 1) {
        batchLimit = Math.max(1, Math.floor(items.length / 2));
        return 'continue';
      }
      const only = items[0];
      if (only) port.markDead(only.seq, 'TOO_LARGE', f.message, at);
      return 'continue';
    }
    status.consecutiveFailures += 1;
    if (f.action === 'stop') {
      schedule(haltRetryMs, 'halted');
      return 'wait';
    }
    if (f.retryAfterMs !== null) notBefore = at + f.retryAfterMs;
    schedule(backoffDelay(status.consecutiveFailures, random, f.retryAfterMs, policy), 'backoff');
    return 'wait';
  }

  async function cycle(): Promise<void> {
    status.state = 'sending';
    status.nextAttemptAt = null;
    changed();
    for (;;) {
      let items: OutboxItem[] = [];
      try {
        items = nextItems(new Set());
        if (items.length === 0) {
          if (unswept) sweepPii();
          schedule(idlePollMs, 'idle');
          return;
        }
        const prepared = await prepare(items);
        ahead = null;
        status.inFlight = items.length;
        changed();
        const pending = adapter.sendRecords(prepared);
        // Encrypt the next batch once the request has left (the timer runs after the write is issued).
        const inFlight = new Set(items.map((i) => i.seq));
        aheadTimer.arm(() => {
          try {
            const next = nextItems(inFlight);
            if (next.length > 0) {
              const early = adapter.prepareRecords(next.map((i) => i.record));
              // A failed early encryption is only logged; the batch is encrypted again when due.
              early.catch((error: unknown) => log('sync.prepare-ahead-failed', { error: String(error) }));
              ahead = { key: ITEM_KEY(next), prepared: early };
            }
          } catch (error) {
            log('sync.prepare-ahead-failed', { error: String(error) }); // the batch is encrypted again when due
          }
        }, 0);
        const outcome = await pending;
        status.inFlight = 0;
        if (outcome.clockOffsetMs !== null) status.clockOffsetMs = outcome.clockOffsetMs;
        if (!outcome.ok) {
          if (fail(items, outcome.failure) === 'wait') return;
          continue;
        }
        const at = now();
        const delivered: Array<{ seq: number; status: 'accepted' | 'duplicate' }> = [];
        outcome.results.forEach((result, i) => {
          const item = items[i]!;
          if (result.status === 'rejected') {
            port.markDead(item.seq, result.code ?? 'REJECTED', result.message ?? '', at);
          } else {
            delivered.push({ seq: item.seq, status: result.status });
          }
        });
        if (delivered.length > 0) port.markDelivered(delivered, at);
        if (delivered.length < items.length) log('sync.rejected', { count: items.length - delivered.length });
        status.lastSuccessAt = at;
        status.consecutiveFailures = 0;
        batchLimit = options.batchSize;
        notBefore = 0;
        unswept = true;
      } catch (error) {
        status.inFlight = 0;
        const info: ErrorCodeInfo = isKioskError(error)
          ? { code: error.code, name: error.codeName, help: '' }
          : SYNC_ERRORS.worker;
        fail([], {
          error: info,
          action: 'retry',
          message: String(error),
          retryAfterMs: null,
          httpStatus: null,
          provinceCode: null,
        });
        return;
      }
    }
  }

  function kick(): Promise<void> {
    if (!started) return Promise.resolve();
    if (running) return running;
    attemptTimer.clear();
    running = cycle().finally(() => {
      running = null;
    });
    return running;
  }

  function notify(): void {
    if (started && !running && status.state === 'idle') schedule(0, 'idle');
  }

  return {
    start() {
      if (started) return;
      started = true;
      sweepPii();
      const sweep = () => {
        sweepPii();
        piiTimer.arm(sweep, piiSweepMs);
      };
      piiTimer.arm(sweep, piiSweepMs);
      schedule(0, 'idle');
    },
    async stop() {
      started = false;
      attemptTimer.clear();
      piiTimer.clear();
      aheadTimer.clear();
      eraseTimer.clear();
      sweeping = false; // an erase cut short resumes from its mark at the next sweep
      await running;
      attemptTimer.clear(); // the cycle that just ended may have scheduled its next attempt
      aheadTimer.clear();
      status.state = 'off';
      status.nextAttemptAt = null;
      changed();
    },
    notify,
    syncNow() {
      if (started && !running) schedule(0, status.state);
    },
    resend(seq) {
      const ok = port.resend(seq, now());
      if (ok) notify();
      return ok;
    },
    status: () => ({ ...status }),
    erasing: () => sweeping,
    citizenActive() {
      citizenAt = now();
    },
  };
}
