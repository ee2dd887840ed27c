/**
 * A scripted ProvinceAdapter for worker tests and the fleet bench: answers after `latencyMs` of simulated
 * time, from a script of outcomes, else accepts everything (duplicate for ratingIds already seen).
 */
import type { ProvinceRecord } from '../../../src/shared/province-record.js';
import { SYNC_ERRORS } from '../../../src/shared/errors/sync.js';
import type {
  BatchOutcome,
  PreparedRecords,
  ProvinceAdapter,
  SyncFailure,
} from '../../../src/sync/province/adapter.js';
import type { Timers } from '../../../src/sync/scheduler.js';

export type Script = (ratingIds: readonly string[], at: number) => BatchOutcome | null;

export function networkDown(): SyncFailure {
  return {
    error: SYNC_ERRORS.network,
    action: 'retry',
    retryAfterMs: null,
    httpStatus: null,
    provinceCode: null,
    message: 'ECONNREFUSED',
  };
}

export class FakeAdapter implements ProvinceAdapter {
  readonly profile = 'fake';
  readonly sent: Array<{ at: number; ratingIds: string[]; answeredAt: number | null }> = [];
  readonly prepared: Array<{ at: number; ratingIds: string[] }> = [];
  readonly seen = new Set<string>();
  inFlight = 0;
  maxInFlight = 0;
  script: Script | null = null;

  constructor(
    private readonly timers: Timers,
    private readonly now: () => number,
    private readonly latencyMs = 50,
  ) {}

  prepareRecords(records: readonly ProvinceRecord[]): Promise<PreparedRecords> {
    const ratingIds = records.map((r) => r.ratingId);
    this.prepared.push({ at: this.now(), ratingIds });
    return Promise.resolve({ ratingIds, data: 'fake' });
  }

  sendRecords(batch: readonly ProvinceRecord[] | PreparedRecords): Promise<BatchOutcome> {
    const ratingIds = 'data' in batch ? [...batch.ratingIds] : batch.map((r) => r.ratingId);
    const entry = { at: this.now(), ratingIds, answeredAt: null as number | null };
    this.sent.push(entry);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    return new Promise((resolve) => {
      this.timers.setTimeout(() => {
        this.inFlight -= 1;
        entry.answeredAt = this.now();
        const scripted = this.script?.(ratingIds, entry.at) ?? null;
        if (scripted) return resolve(scripted);
        const results = ratingIds.map((ratingId) => {
          const status = this.seen.has(ratingId) ? ('duplicate' as const) : ('accepted' as const);
          this.seen.add(ratingId);
          return { ratingId, status };
        });
        resolve({ ok: true, results, clockOffsetMs: 0 });
      }, this.latencyMs);
    });
  }

  fetchCatalogue(): never {
    throw new Error('not used');
  }

  heartbeat(): never {
    throw new Error('not used');
  }

  close(): void {}
}

export const fail = (failure: SyncFailure, clockOffsetMs: number | null = null): BatchOutcome => ({
  ok: false,
  failure,
  clockOffsetMs,
});
