/**
 * Sync figures (province-profile.md "Envelope", "Kiosk behaviour"):
 * - SM2 encryption of a 100-record batch (the per-request CPU cost; SM2 is pure JS in Electron);
 * - the fleet herd: 2,000 devices (real outbox worker + backoff code, in-memory outboxes, simulated
 *   clock) come back after a 10-minute province outage; the province's per-second request rate after
 *   the outage, peak / mean, must stay below 5 (full jitter spreads the returns).
 */
import { createOutboxWorker, type OutboxWorker } from '../src/sync/outbox-worker.js';
import { encryptPayload } from '../src/sync/province/national-template/envelope.js';
import { buildRecordDraft } from '../src/sync/province/national-template/record.js';
import { FakeAdapter, fail, networkDown } from '../test/sync/support/fake-adapter.js';
import { commitRatings, PROVINCE_KEYS, rating, recordConfig } from '../test/sync/support/fixtures.js';
import { MemoryOutbox } from '../test/sync/support/memory-outbox.js';
import { SimScheduler } from '../test/sync/support/sim-scheduler.js';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function benchEncrypt(): Promise<Figure[]> {
  const outbox = new MemoryOutbox();
  commitRatings(outbox, 100);
  const records = outbox.rows.map((r) => r.item.record);
  const bytes = Buffer.byteLength(JSON.stringify({ records }));
  await encryptPayload({ records }, PROVINCE_KEYS.publicKey); // warm-up (key precomputation)
  const times: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    await encryptPayload({ records }, PROVINCE_KEYS.publicKey);
    times.push(performance.now() - t0);
  }
  return [
    {
      name: 'sync.sm2-encrypt-100-records',
      value: Number(median(times).toFixed(2)),
      unit: 'ms',
      target: '< 200 ms (request timeout 15 s)',
    },
    {
      name: 'sync.batch-100-plaintext',
      value: Math.round(bytes / 1024),
      unit: 'KiB',
      target: '< 512 KiB (1 MiB body cap, hex doubles)',
    },
  ];
}

/** Deterministic PRNG (mulberry32) so the fleet figure is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function benchHerd(devices = 2_000): Promise<Figure[]> {
  const sim = new SimScheduler();
  const random = prng(20261126);
  const MIN = 60_000;
  const outageStart = sim.now() + 5 * MIN;
  const outageEnd = outageStart + 10 * MIN;
  const horizon = outageEnd + 10 * MIN;
  const arrivals: number[] = [];
  const fleet: Array<{ outbox: MemoryOutbox; worker: OutboxWorker }> = [];
  for (let d = 0; d < devices; d++) {
    const outbox = new MemoryOutbox();
    const adapter = new FakeAdapter(sim, sim.now, 80);
    adapter.script = (_ids, at) => {
      if (at >= outageStart && at < outageEnd) return fail(networkDown());
      arrivals.push(at);
      return null;
    };
    const worker = createOutboxWorker({
      port: outbox,
      adapter,
      batchSize: 100,
      piiRetentionDays: 0,
      now: sim.now,
      timers: sim,
      random,
    });
    worker.start();
    fleet.push({ outbox, worker });
    const deviceId = `HK-${String(d).padStart(4, '0')}`;
    // A busy window: one rating every 5 min on average (exponential gaps).
    const next = () => {
      sim.setTimeout(
        () => {
          const now = sim.now();
          outbox.append(buildRecordDraft(rating('satisfied', {}, now), recordConfig(deviceId)), now);
          worker.notify();
          if (now < horizon) next();
        },
        -Math.log(1 - random()) * 5 * MIN,
      );
    };
    next();
  }
  const wallStart = performance.now();
  await sim.advance(horizon - sim.now());
  const wallMs = performance.now() - wallStart;

  const buckets = new Map<number, number>();
  for (const at of arrivals) {
    if (at < outageEnd || at >= horizon) continue;
    const second = Math.floor((at - outageEnd) / 1000);
    buckets.set(second, (buckets.get(second) ?? 0) + 1);
  }
  const seconds = (horizon - outageEnd) / 1000;
  const total = [...buckets.values()].reduce((a, b) => a + b, 0);
  const peak = Math.max(...buckets.values());
  const mean = total / seconds;
  const steady =
    arrivals.filter((at) => at < outageStart).length / ((outageStart - (outageStart - 5 * MIN)) / 1000);
  const backlogDrained = fleet.every((f) => f.outbox.pendingCount() <= 1);
  // stop() waits for requests in flight, which answer on the simulated clock: keep it running meanwhile.
  const stopped = Promise.all(fleet.map((f) => f.worker.stop()));
  await sim.advance(1_000);
  await stopped;
  return [
    { name: 'sync.herd-peak-to-mean', value: Number((peak / mean).toFixed(2)), unit: 'ratio', target: '< 5' },
    { name: 'sync.herd-peak-rate', value: peak, unit: 'req/s' },
    { name: 'sync.herd-mean-rate', value: Number(mean.toFixed(1)), unit: 'req/s' },
    { name: 'sync.steady-rate-before-outage', value: Number(steady.toFixed(1)), unit: 'req/s' },
    { name: 'sync.herd-backlog-drained-10min', value: backlogDrained ? 1 : 0, unit: 'bool', target: '1' },
    { name: 'sync.herd-sim-wall-time', value: Math.round(wallMs), unit: 'ms' },
  ];
}

export async function benchSync(): Promise<Figure[]> {
  return [...(await benchEncrypt()), ...(await benchHerd())];
}
