/**
 * Found by bench/drain.ts: after EVERY successful request the outbox worker runs the PII sweep
 * (`port.erasePii`), whose statements walk the whole delivered history (outbox_delivered index, then
 * ratings by rowid): ~90 ms per statement at 100k delivered. Draining 100k took 289 s (target ≤ 60 s),
 * and on a kiosk with a long history every single rating sent afterwards blocks the event loop for
 * hundreds of ms (idle press → stored p50 369 ms). This test pins the behaviour the fix must give: a
 * backlog of 10 batches is drained without a whole-history sweep after each batch.
 * EXPECTED TO FAIL until src/sync/outbox-worker.ts throttles the sweep (see the report).
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type KioskStore } from '../../src/store/index.js';
import { createOutboxWorker, type OutboxWorker } from '../../src/sync/outbox-worker.js';
import { createNationalTemplateAdapter } from '../../src/sync/province/national-template/adapter.js';
import type { OutboxPort } from '../../src/sync/outbox-port.js';
import { until } from '../support/polling.js';
import {
  APP_MARK,
  APP_WORD,
  commitBacklog,
  DEVICE_ID,
  integrationConfig,
  newProvinceKeys,
  PII_KEY,
  startProvince,
  tempDir,
} from '../support/sync-integration/rig.js';

const KEYS = newProvinceKeys();
let cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

/** The real store as the worker's port, counting sweeps (a sweep is one or more erasePii slices in a row). */
function countingPort(store: KioskStore): { port: OutboxPort; sweeps: () => number } {
  let sweeps = 0;
  let sliceLeft = false;
  const port: OutboxPort = {
    nextBatch: (limit) => store.nextBatch(limit),
    markDelivered: (results, at) => store.markDelivered(results, at),
    markDead: (seq, code, message, at) => store.markDead(seq, code, message, at),
    recordAttempt: (seqs, at, code) => store.recordAttempt(seqs, at, code),
    resend: (seq, at) => store.resend(seq, at),
    stats: () => store.stats(),
    erasePii: (before, budget) => {
      if (!sliceLeft) sweeps += 1;
      const step = store.erasePii(before, budget);
      sliceLeft = step.more;
      return step;
    },
    lastLink: () => store.lastLink(),
    abandonedBadCount: () => store.abandonedBadCount(),
  };
  return { port, sweeps: () => sweeps };
}

describe('The PII sweep while a backlog drains', () => {
  it('When 1,000 buffered ratings drain in 10 batches, the whole-history PII sweep does not run after every batch, and every delivered record still loses its PII', async () => {
    const dir = tempDir('hcp-pii-sweep-');
    const server = await startProvince(KEYS, ':memory:');
    cleanup.push(dir.cleanup, () => server.close());
    const store = openStore({ path: path.join(dir.dir, 'kiosk.sqlite'), piiKey: PII_KEY });
    cleanup.push(() => store.close());
    commitBacklog(store, integrationConfig(server.url, KEYS.publicKey), 1_000);

    const adapter = createNationalTemplateAdapter({
      baseUrl: server.url,
      appMark: APP_MARK,
      appWord: APP_WORD,
      publicKey: KEYS.publicKey,
      deviceId: DEVICE_ID,
      timeoutMs: 5_000,
    });
    const { port, sweeps } = countingPort(store);
    const worker: OutboxWorker = createOutboxWorker({ port, adapter, batchSize: 100, piiRetentionDays: 0 });
    cleanup.push(
      () => adapter.close(),
      () => worker.stop(),
    );
    worker.start();
    await until('the backlog to drain', () => store.stats().delivered === 1_000, 20_000);
    await until('the worker to go idle', () => worker.status().state === 'idle', 5_000);

    // Retention 0 days: PII is gone once acknowledged (domain-rules §5), whatever the sweep schedule.
    await until('the PII erase', () => store.getRating(1)!.record.certKey === undefined, 5_000);
    // One sweep at start and one when the outbox is empty are enough; one per batch (11 today) is the bug.
    expect(sweeps()).toBeLessThanOrEqual(3);
  });
});
