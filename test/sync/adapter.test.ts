import { afterEach, describe, expect, it } from 'vitest';
import { SYNC_ERRORS } from '../../src/shared/errors/sync.js';
import type { ProvinceRecord } from '../../src/shared/province-record.js';
import {
  checkBaseUrl,
  createNationalTemplateAdapter,
} from '../../src/sync/province/national-template/adapter.js';
import type { Fault } from '../../dev-tools/province-sim/faults.js';
import { APP_MARK, APP_WORD, commitRatings, PROVINCE_KEYS } from './support/fixtures.js';
import { startHarness, TEST_TLS, type Harness } from './support/harness.js';
import { MemoryOutbox } from './support/memory-outbox.js';

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

function records(n: number): ProvinceRecord[] {
  const outbox = new MemoryOutbox();
  commitRatings(outbox, n);
  return outbox.rows.map((r) => r.item.record);
}

describe('The national-template/1 adapter against the province test server', () => {
  it('delivers a batch, then gets duplicate for every record sent again, and the chain verifies', async () => {
    harness = await startHarness();
    const batch = records(12);
    const first = await harness.adapter.sendRecords(batch);
    expect(first.ok && first.results.map((r) => r.status)).toEqual(Array(12).fill('accepted'));
    const again = await harness.adapter.sendRecords(await harness.adapter.prepareRecords(batch));
    expect(again.ok && again.results.map((r) => r.status)).toEqual(Array(12).fill('duplicate'));
    expect(harness.server.records()).toHaveLength(12);
    expect(harness.server.chainBreaks()).toEqual([]);
    expect(first.clockOffsetMs).not.toBeNull();
    expect(Math.abs(first.clockOffsetMs ?? Infinity)).toBeLessThan(1_500);
  });

  it('never puts appWord in clear in a request body, and the server decrypts the envelope', async () => {
    harness = await startHarness();
    await harness.adapter.sendRecords(records(3));
    await harness.adapter.heartbeat({
      deviceId: 'HK-0001',
      appVersion: '0.1.0',
      outboxDepth: 0,
      oldestUnsentAt: '',
      lastSeq: 3,
      lastHash: '0'.repeat(64),
      abandonedBad: 0,
    });
    await harness.adapter.fetchCatalogue('');
    expect(harness.server.stats.requests.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const request of harness.server.stats.requests) {
      expect(request.body).not.toContain(APP_WORD);
      expect(JSON.parse(request.body)).toMatchObject({
        appMark: APP_MARK,
        time: expect.stringMatching(/^\d{14}$/),
        sign: expect.stringMatching(/^04[0-9a-f]+$/),
      });
    }
  });

  it('gets REASON_REQUIRED for a 差评 that has no evalDetail', async () => {
    harness = await startHarness();
    const [bad] = records(4).slice(3);
    const { evalDetail: _drop, ...withoutReason } = bad!;
    const outcome = await harness.adapter.sendRecords([withoutReason as ProvinceRecord]);
    expect(outcome.ok && outcome.results[0]).toMatchObject({ status: 'rejected', code: 'REASON_REQUIRED' });
  });

  const cases: Array<[string, Fault, string, string, number | null]> = [
    ['a 500 is a retryable server error', { kind: 'status500' }, SYNC_ERRORS.server.code, 'retry', null],
    [
      'a 503 is maintenance with its Retry-After',
      { kind: 'maintenance503', retryAfterSec: 7 },
      SYNC_ERRORS.maintenance.code,
      'retry',
      7_000,
    ],
    [
      'a 429 is rate limiting with its Retry-After',
      { kind: 'rateLimit429', retryAfterSec: 3 },
      SYNC_ERRORS.rateLimited.code,
      'retry',
      3_000,
    ],
    ['AUTH stops sending', { kind: 'auth' }, SYNC_ERRORS.auth.code, 'stop', null],
    ['BAD_ENVELOPE stops sending', { kind: 'badEnvelope' }, SYNC_ERRORS.badEnvelope.code, 'stop', null],
    ['TIME_SKEW stops sending', { kind: 'timeSkew' }, SYNC_ERRORS.timeSkew.code, 'stop', null],
    ['413 splits the batch', { kind: 'tooLarge', maxRecords: 2 }, SYNC_ERRORS.tooLarge.code, 'split', null],
    [
      'malformed JSON is a retryable bad answer',
      { kind: 'malformed', variant: 'json' },
      SYNC_ERRORS.badAnswer.code,
      'retry',
      null,
    ],
    [
      'results not one per record are a retryable bad answer',
      { kind: 'malformed', variant: 'count' },
      SYNC_ERRORS.badAnswer.code,
      'retry',
      null,
    ],
    [
      'a reset connection is a retryable network error',
      { kind: 'reset' },
      SYNC_ERRORS.network.code,
      'retry',
      null,
    ],
    [
      'no answer is a retryable network error after the timeout',
      { kind: 'timeout' },
      SYNC_ERRORS.network.code,
      'retry',
      null,
    ],
    [
      'an answer trickling past the timeout is cut off as a network error',
      { kind: 'slowBody', byteEveryMs: 100 },
      SYNC_ERRORS.network.code,
      'retry',
      null,
    ],
  ];
  for (const [name, fault, code, action, retryAfterMs] of cases) {
    it(`classifies: ${name}`, async () => {
      harness = await startHarness();
      harness.server.faults.set(fault);
      const outcome = await harness.adapter.sendRecords(records(3));
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.failure).toMatchObject({ error: { code }, action, retryAfterMs });
    });
  }

  it('reads the province clock offset from the Date header when it answers TIME_SKEW', async () => {
    harness = await startHarness();
    harness.server.faults.set({ kind: 'timeSkew', skewSec: 900 });
    const outcome = await harness.adapter.sendRecords(records(1));
    expect(outcome.ok).toBe(false);
    expect(Math.abs((outcome.clockOffsetMs ?? 0) - 900_000)).toBeLessThan(1_500);
  });

  it('gets a real AUTH for a wrong appWord and BAD_ENVELOPE for the wrong province key', async () => {
    harness = await startHarness({ appWord: 'not-the-word' });
    const auth = await harness.adapter.sendRecords(records(1));
    expect(!auth.ok && auth.failure.provinceCode).toBe('AUTH');
    const other = createNationalTemplateAdapter({
      baseUrl: harness.server.url,
      appMark: APP_MARK,
      appWord: APP_WORD,
      deviceId: 'HK-0001',
      publicKey: (await import('../../src/sync/province/sm2.js')).generateSm2KeyPair().publicKey,
    });
    const bad = await other.sendRecords(records(1));
    other.close();
    expect(!bad.ok && bad.failure.error.code).toBe(SYNC_ERRORS.badEnvelope.code);
  });

  it('reports a refused connection as a retryable network error', async () => {
    const adapter = createNationalTemplateAdapter({
      baseUrl: 'http://127.0.0.1:9',
      appMark: APP_MARK,
      appWord: APP_WORD,
      publicKey: PROVINCE_KEYS.publicKey,
      deviceId: 'd',
    });
    const outcome = await adapter.sendRecords(records(1));
    adapter.close();
    expect(!outcome.ok && outcome.failure).toMatchObject({
      error: { code: SYNC_ERRORS.network.code },
      action: 'retry',
    });
  });

  it('accepts http only for loopback hosts', () => {
    expect(() => checkBaseUrl('http://province.example.cn/api')).toThrow(TypeError);
    expect(() => checkBaseUrl('ftp://127.0.0.1')).toThrow(TypeError);
    expect(checkBaseUrl('http://127.0.0.1:8080').hostname).toBe('127.0.0.1');
    expect(checkBaseUrl('https://hcp.hainan.gov.cn/gateway').protocol).toBe('https:');
  });

  it('refuses a gateway certificate from an unknown CA with a TLS error, and trusts it with the CA bundle', async () => {
    harness = await startHarness({}, { tls: { key: TEST_TLS.key, cert: TEST_TLS.cert } });
    const untrusted = await harness.adapter.sendRecords(records(1));
    expect(!untrusted.ok && untrusted.failure.error.code).toBe(SYNC_ERRORS.tls.code);
    const trusted = createNationalTemplateAdapter({
      baseUrl: harness.server.url,
      appMark: APP_MARK,
      appWord: APP_WORD,
      publicKey: PROVINCE_KEYS.publicKey,
      deviceId: 'HK-0001',
      caBundle: TEST_TLS.ca,
    });
    const outcome = await trusted.sendRecords(records(2));
    trusted.close();
    expect(outcome.ok).toBe(true);
  });

  it('does not send a body over 1 MiB and asks for a split instead', async () => {
    harness = await startHarness({ maxBodyBytes: 4_000 });
    const outcome = await harness.adapter.sendRecords(records(10));
    expect(!outcome.ok && outcome.failure).toMatchObject({
      error: { code: SYNC_ERRORS.tooLarge.code },
      action: 'split',
    });
    expect(harness.server.stats.requests).toHaveLength(0);
  });
});
