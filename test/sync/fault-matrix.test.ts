/**
 * The fault matrix over loopback: for each province fault, ratings are made while it is active, then it
 * clears; the province must hold every rating exactly once with an unbroken chain, and no request may
 * come sooner than a Retry-After allowed (province-profile.md "Kiosk behaviour"). Backoff is shortened
 * (base 20 ms, cap 250 ms, halt retry 300 ms, timeout 1 s); Retry-After stays real (1 s).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOutboxWorker, type OutboxWorker } from '../../src/sync/outbox-worker.js';
import type { Fault } from '../../dev-tools/province-sim/faults.js';
import { commitRatings } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';
import { MemoryOutbox } from './support/memory-outbox.js';

const RECORDS = '/evaluation/v1/records';
let harness: Harness | null = null;
let worker: OutboxWorker | null = null;

afterEach(async () => {
  await worker?.stop();
  await harness?.close();
  worker = null;
  harness = null;
});

async function setup() {
  harness = await startHarness({ timeoutMs: 1_000 });
  const outbox = new MemoryOutbox();
  worker = createOutboxWorker({
    port: outbox,
    adapter: harness.adapter,
    batchSize: 20,
    piiRetentionDays: 0,
    backoff: { baseMs: 20, capMs: 250 },
    haltRetryMs: 300,
  });
  worker.start();
  return { server: harness.server, outbox, worker };
}

const faultHits = (h: Harness) =>
  h.server.stats.requests.filter((r) => r.path === RECORDS && r.fault !== null).length;

const MATRIX: Array<[string, Fault, number]> = [
  ['500 Internal Server Error', { kind: 'status500' }, 3],
  ['503 MAINTENANCE with Retry-After', { kind: 'maintenance503', retryAfterSec: 1 }, 2],
  ['429 RATE_LIMIT with Retry-After', { kind: 'rateLimit429', retryAfterSec: 1 }, 2],
  ['no answer (timeout)', { kind: 'timeout' }, 2],
  ['connection reset after processing', { kind: 'reset' }, 3],
  ['a very slow answer body', { kind: 'slowBody', byteEveryMs: 50 }, 2],
  ['malformed JSON answer', { kind: 'malformed', variant: 'json' }, 3],
  ['results not one per record', { kind: 'malformed', variant: 'count' }, 3],
  ['some records rejected', { kind: 'reject', everySeq: 7 }, 2],
  ['AUTH', { kind: 'auth' }, 2],
  ['TIME_SKEW', { kind: 'timeSkew' }, 2],
  ['BAD_ENVELOPE', { kind: 'badEnvelope' }, 2],
  ['413 TOO_LARGE', { kind: 'tooLarge', maxRecords: 8 }, 2],
];

describe('Delivery through every province fault', () => {
  for (const [name, fault, hits] of MATRIX) {
    it(`When the province answers "${name}" while 50 ratings are made, it ends with each exactly once and the chain unbroken`, async () => {
      const { server, outbox, worker: w } = await setup();
      server.faults.set(fault);
      commitRatings(outbox, 25);
      w.notify();
      await vi.waitFor(() => expect(faultHits(harness!)).toBeGreaterThanOrEqual(hits), {
        timeout: 10_000,
        interval: 10,
      });
      commitRatings(outbox, 25);
      w.notify();
      await vi.waitFor(() => expect(faultHits(harness!)).toBeGreaterThanOrEqual(hits + 1), {
        timeout: 10_000,
        interval: 10,
      });
      server.faults.clear();

      await vi.waitFor(() => expect(outbox.pendingCount()).toBe(0), { timeout: 15_000, interval: 20 });
      for (const dead of outbox.stats().deadLetters) {
        expect(dead.code).toBe('FAULT_REJECT');
        expect(outbox.resend(dead.seq)).toBe(true);
      }
      w.notify();
      await vi.waitFor(() => expect(outbox.stats().delivered).toBe(50), { timeout: 15_000, interval: 20 });

      const held = server.records().map((r) => r.record.ratingId);
      expect(held).toHaveLength(50);
      expect(new Set(held)).toEqual(new Set(outbox.rows.map((r) => r.item.ratingId)));
      expect(server.chainBreaks()).toEqual([]);

      const requests = server.stats.requests.filter((r) => r.path === RECORDS);
      requests.forEach((request, i) => {
        const next = requests[i + 1];
        if (request.retryAfterSec !== null && next) {
          expect(next.at - request.answeredAt!).toBeGreaterThanOrEqual(request.retryAfterSec * 1000);
        }
      });
    });
  }

  it('stops sending on AUTH, shows it in status(), and sends nothing more until the retry', async () => {
    harness = await startHarness();
    const outbox = new MemoryOutbox();
    worker = createOutboxWorker({
      port: outbox,
      adapter: harness.adapter,
      batchSize: 20,
      piiRetentionDays: 0,
    });
    worker.start();
    harness.server.faults.set({ kind: 'auth' });
    commitRatings(outbox, 5);
    worker.notify();
    await vi.waitFor(() => expect(worker!.status().state).toBe('halted'), { timeout: 5_000, interval: 10 });
    expect(worker.status().lastError).toMatchObject({
      code: 'E6005',
      name: 'sync.auth',
      provinceCode: 'AUTH',
      httpStatus: 401,
    });
    expect(worker.status().nextAttemptAt! - Date.now()).toBeGreaterThan(590_000);
    commitRatings(outbox, 5);
    worker.notify();
    await new Promise((r) => setTimeout(r, 300));
    expect(harness.server.stats.requests).toHaveLength(1);
    harness.server.faults.clear();
    worker.syncNow(); // the technician fixed the secrets
    await vi.waitFor(() => expect(outbox.stats().delivered).toBe(10), { timeout: 5_000, interval: 10 });
    expect(worker.status().state).toBe('idle');
  });

  it('stops sending on TIME_SKEW and shows the province clock offset in status()', async () => {
    harness = await startHarness();
    const outbox = new MemoryOutbox();
    worker = createOutboxWorker({
      port: outbox,
      adapter: harness.adapter,
      batchSize: 20,
      piiRetentionDays: 0,
    });
    worker.start();
    harness.server.faults.set({ kind: 'timeSkew', skewSec: 720 });
    commitRatings(outbox, 3);
    worker.notify();
    await vi.waitFor(() => expect(worker!.status().state).toBe('halted'), { timeout: 5_000, interval: 10 });
    expect(worker.status().lastError).toMatchObject({ code: 'E6006', provinceCode: 'TIME_SKEW' });
    expect(Math.abs(worker.status().clockOffsetMs! - 720_000)).toBeLessThan(1_500);
    expect(harness.server.records()).toHaveLength(0);
  });
});
