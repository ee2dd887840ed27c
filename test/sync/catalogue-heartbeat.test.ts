import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCatalogueService, fromProvince, readBuiltinCatalogue } from '../../src/sync/catalogue.js';
import { buildHeartbeatPayload, createHeartbeat } from '../../src/sync/heartbeat.js';
import type { CataloguePort } from '../../src/sync/outbox-port.js';
import { formatRecordTime } from '../../src/sync/time.js';
import { commitRatings } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';
import { MemoryOutbox } from './support/memory-outbox.js';
import { SimScheduler } from './support/sim-scheduler.js';

const builtin = readBuiltinCatalogue(join(process.cwd(), 'assets/default-catalogue.json'));

function memoryCache(): CataloguePort & { saved: Array<{ version: string; json: string }> } {
  const saved: Array<{ version: string; json: string }> = [];
  return {
    saved,
    loadCatalogue: () => saved.at(-1) ?? null,
    saveCatalogue: (version, json) => void saved.push({ version, json }),
  };
}

let harness: Harness | null = null;
afterEach(async () => {
  await harness?.close();
  harness = null;
});

describe('The reason catalogue service', () => {
  it('serves the built-in catalogue, in three languages, until the first download', () => {
    const service = createCatalogueService({
      adapter: { fetchCatalogue: () => new Promise(() => undefined) },
      port: memoryCache(),
      builtin,
    });
    const view = service.current();
    expect(view).toMatchObject({ version: 'builtin-1', textAllowed: true, textMax: 150 });
    expect(view.reasons.dissatisfied[0]).toEqual({
      code: '501',
      text: { 'zh-CN': '等候时间过长', 'zh-TW': '等候時間過長', en: 'Waited too long' },
    });
    expect(service.status().source).toBe('builtin');
  });

  it('downloads the province catalogue, caches it, and keeps translations only where code and text match', async () => {
    harness = await startHarness();
    const cache = memoryCache();
    const service = createCatalogueService({ adapter: harness.adapter, port: cache, builtin });
    expect(await service.refresh()).toBe(true);
    const view = service.current();
    expect(view.version).toBe('hi-2026.1');
    expect(view.reasons.dissatisfied.map((r) => r.code)).toEqual(['501', '521', '901']);
    expect(view.reasons.dissatisfied[0]!.text.en).toBe('Waited too long');
    expect(view.reasons.dissatisfied[2]!.text).toEqual({ 'zh-CN': '窗口开放数量不足' });
    expect(cache.saved.map((s) => s.version)).toEqual(['hi-2026.1']);
    expect(await service.refresh()).toBe(false); // same version: nothing new
    const restarted = createCatalogueService({
      adapter: { fetchCatalogue: () => new Promise(() => undefined) },
      port: cache,
      builtin,
    });
    expect(restarted.status()).toMatchObject({ source: 'cache', version: 'hi-2026.1' });
  });

  it('drops a reworded built-in code to zh-CN only', () => {
    const answer = {
      success: true,
      code: '0',
      version: 'x',
      reasons: { '2': [{ code: '501', text: '排队太久了' }], '1': [{ code: '502', text: '办理时间过长' }] },
    };
    const view = fromProvince(answer, builtin);
    expect(view.reasons.dissatisfied[0]!.text).toEqual({ 'zh-CN': '排队太久了' });
    expect(view.reasons.very_dissatisfied[0]!.text.en).toBe('The service itself took too long');
  });

  it('keeps the current catalogue and reports E6012 when the province is offline or answers nonsense', async () => {
    const offline = createCatalogueService({
      adapter: {
        fetchCatalogue: async () => ({
          ok: false,
          clockOffsetMs: null,
          failure: {
            error: { code: 'E6001', name: 'sync.network', help: '' },
            action: 'retry',
            retryAfterMs: null,
            httpStatus: null,
            provinceCode: null,
            message: 'down',
          },
        }),
      },
      port: memoryCache(),
      builtin,
    });
    expect(await offline.refresh()).toBe(false);
    expect(offline.status().lastError?.code).toBe('E6012');
    const nonsense = createCatalogueService({
      adapter: {
        fetchCatalogue: async () => ({
          ok: true,
          clockOffsetMs: null,
          answer: {
            success: true,
            code: '0',
            version: 'v2',
            reasons: { '2': [], '1': [{ code: 'a b', text: '' }] },
          },
        }),
      },
      port: memoryCache(),
      builtin,
    });
    expect(await nonsense.refresh()).toBe(false);
    expect(nonsense.current().version).toBe('builtin-1');
    expect(nonsense.status().lastError?.code).toBe('E6012');
  });

  it('fetches at start and again every 6 hours', async () => {
    const sim = new SimScheduler();
    const asked: number[] = [];
    const service = createCatalogueService({
      adapter: {
        fetchCatalogue: async () => (
          asked.push(sim.now()),
          {
            ok: false,
            clockOffsetMs: null,
            failure: {
              error: { code: 'E6001', name: 'n', help: '' },
              action: 'retry',
              retryAfterMs: null,
              httpStatus: null,
              provinceCode: null,
              message: '',
            },
          }
        ),
      },
      port: memoryCache(),
      builtin,
      now: sim.now,
      timers: sim,
    });
    service.start();
    await sim.advance(13 * 3_600_000);
    service.stop();
    expect(asked.map((t) => t - asked[0]!)).toEqual([0, 6 * 3_600_000, 12 * 3_600_000]);
  });
});

describe('The heartbeat', () => {
  it('reports outbox depth, oldest unsent, last link and abandoned 差评, and the server receives it', async () => {
    harness = await startHarness();
    const outbox = new MemoryOutbox();
    const at = Date.UTC(2026, 10, 26, 1, 30, 15);
    commitRatings(outbox, 4, 'HK-0001', at);
    outbox.addAbandonedBad();
    const payload = buildHeartbeatPayload(outbox, 'HK-0001', '0.1.0');
    expect(payload).toEqual({
      deviceId: 'HK-0001',
      appVersion: '0.1.0',
      outboxDepth: 4,
      oldestUnsentAt: formatRecordTime(at),
      lastSeq: 4,
      lastHash: outbox.lastLink().hash,
      abandonedBad: 1,
    });
    const heartbeat = createHeartbeat({
      adapter: harness.adapter,
      port: outbox,
      deviceId: 'HK-0001',
      appVersion: '0.1.0',
      isOnline: () => true,
    });
    expect(await heartbeat.beat()).toBe(true);
    expect(harness.server.stats.heartbeats).toEqual([payload]);
    expect(heartbeat.status().serverTime).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('beats every 5 minutes only while online', async () => {
    const sim = new SimScheduler();
    let online = false;
    const beats: number[] = [];
    const heartbeat = createHeartbeat({
      adapter: {
        heartbeat: async () => (beats.push(sim.now()), { ok: true, serverTime: null, clockOffsetMs: null }),
      },
      port: new MemoryOutbox(),
      deviceId: 'd',
      appVersion: '1',
      isOnline: () => online,
      now: sim.now,
      timers: sim,
    });
    heartbeat.start();
    await sim.advance(11 * 60_000);
    expect(beats).toHaveLength(0);
    online = true;
    await sim.advance(10 * 60_000);
    heartbeat.stop();
    expect(beats).toHaveLength(2);
  });
});
