/**
 * The fault matrix against the REAL stack: `openStore` on a temp file + `startSyncServices` (the wiring
 * core-factory uses, with its real timers: backoff base 1 s / cap 5 min, halt retry 10 min), ratings made
 * through `sync.commitRating` while a province fault is active. Then the fault clears and the technician
 * presses "sync now": the province must hold each rating exactly once with an unbroken chain, no request
 * may come sooner than a Retry-After allowed, and rejected records are dead letters that arrive once
 * resent. Timers are not shortened; only the request timeout is provisioned at its minimum (1 s), so the
 * timeout and slow-body faults cost 1 s per hit. 500 ratings for 503 and 429, 100 for the others.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../dev-tools/province-sim/faults.js';
import type { ProvinceServer } from '../../dev-tools/province-sim/server.js';
import { until } from '../support/polling.js';
import {
  integrationConfig,
  ledgerSummary,
  newProvinceKeys,
  rateOne,
  startProvince,
  startStack,
  tempDir,
  type Stack,
} from '../support/sync-integration/rig.js';

const RECORDS = '/evaluation/v1/records';
const KEYS = newProvinceKeys();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function setup(): Promise<{ server: ProvinceServer; stack: Stack }> {
  const dir = tempDir();
  const server = await startProvince(KEYS, ':memory:');
  const stack = startStack(
    path.join(dir.dir, 'kiosk.sqlite'),
    integrationConfig(server.url, KEYS.publicKey, { timeoutMs: 1_000 }),
  );
  cleanup.push(
    dir.cleanup,
    () => server.close(),
    () => stack.stop(),
  );
  return { server, stack };
}

const recordRequests = (server: ProvinceServer) => server.stats.requests.filter((r) => r.path === RECORDS);
const faultHits = (server: ProvinceServer) => recordRequests(server).filter((r) => r.fault !== null);

/** Commits `n` ratings in chunks, yielding between them so the worker meets the fault meanwhile. */
/** Rates a first quarter, waits (given a server) until the fault has answered a request, then rates the rest. */
async function rateWhileFaulty(stack: Stack, server: ProvinceServer | null, n: number): Promise<number> {
  for (let i = 0; i < n; i++) {
    rateOne(stack, i);
    if (server && i === Math.floor(n / 4))
      await until('the first fault hit', () => faultHits(server).length >= 1, 15_000);
    if (i % 25 === 24) await sleep(15);
  }
  return Date.now();
}

/** Every record the store holds, as the province must hold it: ratingId by seq. */
function storeRatingIds(stack: Stack): string[] {
  const ids: string[] = [];
  for (let seq = 1; seq <= stack.store.lastLink().seq; seq++)
    ids.push(stack.store.getRating(seq)!.record.ratingId);
  return ids;
}

function expectRetryAfterHonoured(server: ProvinceServer): void {
  const requests = recordRequests(server);
  requests.forEach((request, i) => {
    const next = requests[i + 1];
    if (request.retryAfterSec !== null && next) {
      expect(next.at - request.answeredAt!, `request ${i + 1} after a Retry-After`).toBeGreaterThanOrEqual(
        request.retryAfterSec * 1000,
      );
    }
  });
}

function expectExactlyOnce(server: ProvinceServer, stack: Stack, n: number): void {
  const ledger = ledgerSummary(server);
  expect(ledger.total).toBe(n);
  expect([...ledger.counts.values()].every((c) => c === 1)).toBe(true);
  expect(new Set(ledger.counts.keys())).toEqual(new Set(storeRatingIds(stack)));
  expect(server.chainBreaks()).toEqual([]);
  expect(stack.store.verifyChain(Date.now())).toMatchObject({ ok: true, lastSeq: n });
  expect(stack.store.stats()).toMatchObject({ depth: 0, delivered: n, deadLetters: [] });
}

interface Case {
  name: string;
  fault: Fault;
  ratings: number;
  /** Fault hits to wait for before clearing. */
  hits: number;
  /** The worker stops sending (AUTH / TIME_SKEW / BAD_ENVELOPE) and the kiosk reports it. */
  halts?: { code: string; provinceCode: string };
}

const MATRIX: Case[] = [
  { name: '500 Internal Server Error', fault: { kind: 'status500' }, ratings: 100, hits: 2 },
  {
    name: '503 MAINTENANCE with Retry-After',
    fault: { kind: 'maintenance503', retryAfterSec: 1 },
    ratings: 500,
    hits: 2,
  },
  {
    name: '429 RATE_LIMIT with Retry-After',
    fault: { kind: 'rateLimit429', retryAfterSec: 1 },
    ratings: 500,
    hits: 2,
  },
  { name: 'no answer (timeout)', fault: { kind: 'timeout' }, ratings: 100, hits: 2 },
  { name: 'connection reset after processing', fault: { kind: 'reset' }, ratings: 100, hits: 2 },
  { name: 'a very slow answer body', fault: { kind: 'slowBody', byteEveryMs: 50 }, ratings: 100, hits: 1 },
  { name: 'malformed JSON', fault: { kind: 'malformed', variant: 'json' }, ratings: 100, hits: 2 },
  {
    name: 'results not one per record',
    fault: { kind: 'malformed', variant: 'count' },
    ratings: 100,
    hits: 2,
  },
  { name: '413 TOO_LARGE', fault: { kind: 'tooLarge', maxRecords: 8 }, ratings: 100, hits: 2 },
  {
    name: 'AUTH',
    fault: { kind: 'auth' },
    ratings: 100,
    hits: 1,
    halts: { code: 'E6005', provinceCode: 'AUTH' },
  },
  {
    name: 'TIME_SKEW',
    fault: { kind: 'timeSkew', skewSec: 720 },
    ratings: 100,
    hits: 1,
    halts: { code: 'E6006', provinceCode: 'TIME_SKEW' },
  },
  {
    name: 'BAD_ENVELOPE',
    fault: { kind: 'badEnvelope' },
    ratings: 100,
    hits: 1,
    halts: { code: 'E6007', provinceCode: 'BAD_ENVELOPE' },
  },
];

describe('The fault matrix on the real SQLite store and sync wiring', () => {
  for (const c of MATRIX) {
    it(`When the province answers "${c.name}" while ${c.ratings} ratings are made, once it recovers it holds each exactly once with the chain unbroken and no Retry-After broken`, async () => {
      const { server, stack } = await setup();
      server.faults.set(c.fault);
      const lastCommitAt = await rateWhileFaulty(stack, server, c.ratings);
      await until(`${c.hits} fault hits`, () => faultHits(server).length >= c.hits, 15_000);
      expect(faultHits(server)[0]!.at).toBeLessThan(lastCommitAt); // ratings were made while it failed
      if (c.halts) {
        await until('the worker to halt', () => !stack.sync.healthy(), 5_000);
        const sent = recordRequests(server).length;
        rateOne(stack, c.ratings); // one more while halted: nothing is sent until the retry or sync-now
        await sleep(300);
        expect(recordRequests(server)).toHaveLength(sent);
        expect((stack.sync.diagnostics().sync as { lastError: unknown }).lastError).toMatchObject(c.halts);
      }
      const total = stack.store.lastLink().seq;
      server.faults.clear();
      stack.sync.syncNow();
      await until('the outbox to drain', () => stack.store.stats().depth === 0, 20_000);
      expect(stack.sync.healthy()).toBe(true);
      expectExactlyOnce(server, stack, total);
      expectRetryAfterHonoured(server);
    });
  }

  it('When the province rejects some records while 100 ratings are made, they become dead letters with their code, and after resend with the cause fixed each arrives exactly once', async () => {
    const { server, stack } = await setup();
    server.faults.set({ kind: 'reject', everySeq: 7 });
    await rateWhileFaulty(stack, null, 100);
    await until('every record answered', () => stack.store.stats().depth === 0, 15_000);
    const dead = stack.store.stats().deadLetters;
    expect(dead.map((d) => d.seq)).toEqual(Array.from({ length: 14 }, (_, i) => (i + 1) * 7));
    expect(dead.every((d) => d.code === 'FAULT_REJECT')).toBe(true);
    expect(ledgerSummary(server).total).toBe(86);
    // Dead letters stay dead (kept, never resent by themselves) until the technician resends them.
    stack.sync.syncNow();
    await sleep(200);
    expect(stack.store.stats().deadLetters).toHaveLength(14);

    server.faults.clear();
    for (const d of dead) expect(stack.sync.resend(d.seq)).toBe(true);
    expect(stack.sync.resend(1)).toBe(false); // delivered, not dead
    await until('the resent records', () => stack.store.stats().delivered === 100, 15_000);
    expectExactlyOnce(server, stack, 100);
  });

  it('When a 503 Retry-After is answered and the fault is cleared at once, sync-now still waits out the Retry-After', async () => {
    const { server, stack } = await setup();
    server.faults.set({ kind: 'maintenance503', retryAfterSec: 2 }, { times: 1 });
    rateOne(stack, 0);
    await until('the 503', () => faultHits(server).length === 1, 5_000);
    stack.sync.syncNow();
    await until('delivery', () => stack.store.stats().delivered === 1, 10_000);
    const [first, second] = recordRequests(server);
    expect(second!.at - first!.answeredAt!).toBeGreaterThanOrEqual(2_000);
    expectExactlyOnce(server, stack, 1);
  });
});
