import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SYNC_ERRORS } from '../../src/shared/errors/sync.js';
import type { ErrorCodeInfo } from '../../src/shared/errors/types.js';
import { backoffCeiling, backoffDelay } from '../../src/sync/backoff.js';
import { createOutboxWorker, type OutboxWorkerOptions } from '../../src/sync/outbox-worker.js';
import type { SyncFailure } from '../../src/sync/province/adapter.js';
import { FakeAdapter, fail, networkDown } from './support/fake-adapter.js';
import { commitRatings } from './support/fixtures.js';
import { MemoryOutbox } from './support/memory-outbox.js';
import { SimScheduler } from './support/sim-scheduler.js';

function setup(options: Partial<OutboxWorkerOptions> = {}) {
  const sim = new SimScheduler();
  const outbox = new MemoryOutbox();
  const adapter = new FakeAdapter(sim, sim.now);
  const worker = createOutboxWorker({
    port: outbox,
    adapter,
    batchSize: 10,
    piiRetentionDays: 0,
    now: sim.now,
    timers: sim,
    random: () => 0.5,
    ...options,
  });
  return { sim, outbox, adapter, worker };
}

const stopFailure = (error: ErrorCodeInfo, provinceCode: string): SyncFailure => ({
  error,
  action: 'stop',
  retryAfterMs: null,
  httpStatus: 401,
  provinceCode,
  message: provinceCode,
});

describe('The outbox worker', () => {
  it('delivers everything in batches of batchSize, 差评 first, with one request in flight', async () => {
    const { sim, outbox, adapter, worker } = setup();
    commitRatings(outbox, 35);
    worker.start();
    await sim.runUntil(() => outbox.pendingCount() === 0, 10_000, 10);
    expect(adapter.sent.map((s) => s.ratingIds.length)).toEqual([10, 10, 10, 5]);
    expect(adapter.maxInFlight).toBe(1);
    const badIds = new Set(outbox.rows.filter((r) => r.item.bad).map((r) => r.item.ratingId));
    expect(adapter.sent[0]!.ratingIds.every((id) => badIds.has(id))).toBe(true);
    expect(outbox.stats().delivered).toBe(35);
    expect(worker.status()).toMatchObject({ state: 'idle', inFlight: 0, consecutiveFailures: 0 });
  });

  it('encrypts each batch only when it is due, never a second one while a request is in flight', async () => {
    const { sim, outbox, adapter, worker } = setup();
    commitRatings(outbox, 30);
    worker.start();
    await sim.runUntil(() => outbox.pendingCount() === 0, 10_000, 10);
    expect(adapter.sent).toHaveLength(3);
    expect(adapter.prepared).toHaveLength(3);
    for (let i = 1; i < 3; i++) {
      expect(adapter.prepared[i]!.ratingIds).toEqual(adapter.sent[i]!.ratingIds);
      expect(adapter.prepared[i]!.at).toBeGreaterThanOrEqual(adapter.sent[i - 1]!.answeredAt!);
    }
  });

  it('never blocks a caller: notify() returns at once while the province hangs', async () => {
    const { sim, outbox, adapter, worker } = setup();
    adapter.script = () => new Promise(() => undefined) as never;
    commitRatings(outbox, 3);
    worker.start();
    await sim.advance(100);
    commitRatings(outbox, 1);
    const t0 = performance.now();
    worker.notify();
    worker.syncNow();
    expect(performance.now() - t0).toBeLessThan(5);
  });

  it('backs off with full jitter and never retries sooner than Retry-After', async () => {
    const { sim, outbox, adapter, worker } = setup({ random: () => 0 });
    const rateLimited: SyncFailure = {
      error: SYNC_ERRORS.rateLimited,
      action: 'retry',
      retryAfterMs: 30_000,
      httpStatus: 429,
      provinceCode: 'RATE_LIMIT',
      message: '',
    };
    let calls = 0;
    adapter.script = () => (++calls <= 2 ? fail(rateLimited) : null);
    commitRatings(outbox, 5);
    worker.start();
    await sim.runUntil(() => outbox.pendingCount() === 0, 200_000, 100);
    const [a, b, c] = adapter.sent;
    expect(b!.at - a!.answeredAt!).toBeGreaterThanOrEqual(30_000);
    expect(c!.at - b!.answeredAt!).toBeGreaterThanOrEqual(30_000);
    expect(outbox.attempts.map((x) => x.code)).toEqual([
      SYNC_ERRORS.rateLimited.code,
      SYNC_ERRORS.rateLimited.code,
    ]);
  });

  it('keeps backoff delays inside [0, min(5 min, 1 s·2^(n−1))) and at least Retry-After', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 600_000 })),
        (n, r, ra) => {
          const d = backoffDelay(n, () => r, ra);
          const ceiling = backoffCeiling(n);
          expect(ceiling).toBeLessThanOrEqual(300_000);
          if (ra === null) expect(d >= 0 && d < ceiling).toBe(true);
          else expect(d).toBeGreaterThanOrEqual(ra);
        },
      ),
    );
  });

  it('stops on AUTH, shows it in status(), ignores new ratings and retries every 10 minutes', async () => {
    const { sim, outbox, adapter, worker } = setup();
    let refuse = true;
    adapter.script = () => (refuse ? fail(stopFailure(SYNC_ERRORS.auth, 'AUTH')) : null);
    commitRatings(outbox, 4);
    worker.start();
    await sim.advance(1_000);
    expect(worker.status()).toMatchObject({
      state: 'halted',
      lastError: { code: 'E6005', provinceCode: 'AUTH' },
    });
    commitRatings(outbox, 2);
    worker.notify();
    await sim.advance(599_000);
    expect(adapter.sent).toHaveLength(1);
    refuse = false;
    await sim.advance(1_100);
    expect(adapter.sent).toHaveLength(2);
    expect(outbox.pendingCount()).toBe(0);
  });

  it('reports the clock offset on TIME_SKEW', async () => {
    const { sim, outbox, adapter, worker } = setup();
    adapter.script = () => fail(stopFailure(SYNC_ERRORS.timeSkew, 'TIME_SKEW'), 612_000);
    commitRatings(outbox, 1);
    worker.start();
    await sim.advance(1_000);
    expect(worker.status()).toMatchObject({
      state: 'halted',
      clockOffsetMs: 612_000,
      lastError: { code: 'E6006' },
    });
  });

  it('dead-letters a rejected record, delivers the rest, and delivers it after resend(seq)', async () => {
    const { sim, outbox, adapter, worker } = setup();
    let reject = true;
    adapter.script = (ids) =>
      reject
        ? {
            ok: true,
            clockOffsetMs: 0,
            results: ids.map((ratingId, i) =>
              i === 0
                ? { ratingId, status: 'rejected' as const, code: 'FIELD_INVALID', message: 'x' }
                : { ratingId, status: 'accepted' as const },
            ),
          }
        : null;
    commitRatings(outbox, 5);
    worker.start();
    await sim.advance(1_000);
    const [dead] = outbox.stats().deadLetters;
    expect(dead).toMatchObject({ code: 'FIELD_INVALID' });
    expect(outbox.stats().delivered).toBe(4);
    reject = false;
    expect(outbox.resend(dead!.seq)).toBe(true);
    worker.notify();
    await sim.advance(1_000);
    expect(outbox.stats()).toMatchObject({ delivered: 5, depth: 0, deadLetters: [] });
    expect(outbox.resend(dead!.seq)).toBe(false);
  });

  it('halves the batch on 413 and dead-letters a single record that is still too large', async () => {
    const { sim, outbox, adapter, worker } = setup();
    const tooLarge: SyncFailure = {
      error: SYNC_ERRORS.tooLarge,
      action: 'split',
      retryAfterMs: null,
      httpStatus: 413,
      provinceCode: 'TOO_LARGE',
      message: '',
    };
    adapter.script = (ids) =>
      ids.length > 3 || ids.includes(outbox.rows[9]!.item.ratingId) ? fail(tooLarge) : null;
    commitRatings(outbox, 10);
    worker.start();
    await sim.runUntil(() => outbox.pendingCount() === 0, 10_000, 10);
    expect(adapter.sent.slice(0, 3).map((s) => s.ratingIds.length)).toEqual([10, 5, 2]);
    expect(outbox.stats().deadLetters.map((d) => [d.seq, d.code])).toEqual([[10, 'TOO_LARGE']]);
    expect(outbox.stats().delivered).toBe(9);
  });

  it('erases PII after delivery once the retention has passed', async () => {
    const { sim, outbox, worker } = setup({ piiRetentionDays: 1 });
    commitRatings(outbox, 8);
    const withPii = () => outbox.rows.filter((r) => r.item.record.certKey !== undefined).length;
    expect(withPii()).toBeGreaterThan(0);
    worker.start();
    await sim.advance(10_000);
    expect(outbox.stats().delivered).toBe(8);
    expect(withPii()).toBeGreaterThan(0);
    await sim.advance(25 * 3_600_000);
    expect(withPii()).toBe(0);
  });

  it('retries a network failure and delivers once the province is back', async () => {
    const { sim, outbox, adapter, worker } = setup({ random: () => 0.99 });
    let down = true;
    adapter.script = () => (down ? fail(networkDown()) : null);
    commitRatings(outbox, 3);
    worker.start();
    await sim.advance(60_000);
    expect(worker.status()).toMatchObject({ state: 'backoff', lastError: { code: 'E6001' } });
    expect(worker.status().nextAttemptAt).toBeGreaterThan(sim.now());
    down = false;
    await sim.runUntil(() => outbox.pendingCount() === 0, 400_000);
    expect(worker.status().lastSuccessAt).not.toBeNull();
    await worker.stop();
    expect(worker.status().state).toBe('off');
  });
});
