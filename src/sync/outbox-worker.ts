/**
 * The outbox worker: delivers pending records exactly once (province-profile.md "Kiosk behaviour").
 * - Order: 差评 first, then oldest (the port orders); batches of `batchSize`; ONE request in flight.
 * - Retries network / 5xx / 429 / 503 / bad answers with full-jitter backoff, never sooner than Retry-After.
 * - AUTH / BAD_ENVELOPE / TIME_SKEW: stop sending, report in status(), retry every 10 min.
 * - A record is delivered only on `accepted` / `duplicate`; `rejected` → dead letter (kept, resendable).
 * - No pipelining: a batch is read and encrypted when it is due, after the previous answer. Encrypting the
 *   next batch during the request saved under 10 % of the drain once SM2 got fast (src/crypto/sm3-core.ts),
 *   and held a second batch in memory (drain benchmark: kiosk RSS peaks up to 265 MB against 217–238).
 * Callers are never blocked: `notify()` / `syncNow()` only schedule; the kiosk thanks the citizen regardless.
 */
import { SYNC_ERRORS } from '../shared/errors/sync.js';
import type { ErrorCodeInfo } from '../shared/errors/types.js';
import { isKioskError } from '../shared/errors/kiosk-error.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import type { OutboxItem, OutboxQueue } from './outbox-port.js';
import type { ProvinceAdapter, SyncFailure } from './province/adapter.js';
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
  port: OutboxQueue;
  adapter: ProvinceAdapter;
  /** config.province.batchSize (≤ 100). */
  batchSize: number;
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
  status(): SyncStatus;
  /** A PII erase is under way (its slices are still running). */
  erasing(): boolean;
}

/** Deliveries one PII-erase slice looks at (about a millisecond of the main thread), and the pause after it. */
const ERASE_SLICE = 64;
const ERASE_PAUSE_MS = 10;

/** The status of a worker that has not started (or has stopped) and never sent anything. */
export const offStatus = (): SyncStatus => ({
  state: 'off',
  lastError: null,
  lastSuccessAt: null,
  clockOffsetMs: null,
  nextAttemptAt: null,
  inFlight: 0,
  consecutiveFailures: 0,
});

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
  const eraseTimer = new TimerSlot(timers);
  let running: Promise<void> | null = null;
  let started = false;
  /** The batch size now: the configured one, halved after TOO_LARGE. */
  let batchLimit = options.batchSize;
  /** Retry-After floor: no request before this instant. */
  let notBefore = 0;
  const status = offStatus();

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
    const slice = async () => {
      try {
        const step = await port.erasePii(now() - options.piiRetentionDays * 86_400_000, ERASE_SLICE);
        erased += step.erased;
        if (step.more && started) {
          eraseTimer.arm(() => void slice(), ERASE_PAUSE_MS);
          return;
        }
        if (erased > 0) log('sync.pii-erased', { count: erased });
      } catch (error) {
        log('sync.pii-erase-failed', { error: String(error) });
      }
      sweeping = false;
    };
    void slice();
  }

  async function fail(items: readonly OutboxItem[], f: SyncFailure): Promise<'continue' | 'wait'> {
    const at = now();
    status.lastError = {
      code: f.error.code,
      name: f.error.name,
      provinceCode: f.provinceCode,
      httpStatus: f.httpStatus,
      at,
    };
    if (items.length > 0)
      await port.recordAttempt(
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
      if (only) await port.markDead(only.seq, 'TOO_LARGE', f.message, at);
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
      try {
        const items = port.nextBatch(batchLimit);
        if (items.length === 0) {
          if (unswept) sweepPii();
          schedule(idlePollMs, 'idle');
          return;
        }
        const prepared = await adapter.prepareRecords(items.map((i) => i.record));
        status.inFlight = items.length;
        changed();
        const outcome = await adapter.sendRecords(prepared);
        status.inFlight = 0;
        if (outcome.clockOffsetMs !== null) status.clockOffsetMs = outcome.clockOffsetMs;
        if (!outcome.ok) {
          if ((await fail(items, outcome.failure)) === 'wait') return;
          continue;
        }
        const at = now();
        const delivered: Array<{ seq: number; status: 'accepted' | 'duplicate' }> = [];
        for (const [i, result] of outcome.results.entries()) {
          const item = items[i]!;
          if (result.status === 'rejected') {
            await port.markDead(item.seq, result.code ?? 'REJECTED', result.message ?? '', at);
          } else {
            delivered.push({ seq: item.seq, status: result.status });
          }
        }
        // Awaited before the queue is read again, so a delivered record never comes back in the next batch.
        if (delivered.length > 0) await port.markDelivered(delivered, at);
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
        await fail([], {
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
      eraseTimer.clear();
      sweeping = false; // an erase cut short resumes from its mark at the next sweep
      await running;
      attemptTimer.clear(); // the cycle that just ended may have scheduled its next attempt
      status.state = 'off';
      status.nextAttemptAt = null;
      changed();
    },
    notify,
    syncNow() {
      if (started && !running) schedule(0, status.state);
    },
    status: () => ({ ...status }),
    erasing: () => sweeping,
  };
}
