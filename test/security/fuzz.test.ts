/**
 * Threat: a compromised or buggy renderer, a hostile page on the kiosk PC, or anything on the hall LAN
 * sends malformed calls to crash the kiosk, plant data or change what the citizen sees.
 * Defences: src/host/api-validate.ts (zod for every KioskApi call, E8001), src/host/browser/server.ts (origin,
 * per-start secret, message size, id shape), src/link/server.ts + schemas.ts (schema per call, 400/413).
 * Attack: fast-check random and malformed payloads through dispatchApiCall, the browser host's WebSocket and
 * every window-link call, against the real composition root (createKioskCore): every one gets a clean
 * error, the process survives, no table gains a row, and the KioskView stays the same.
 */
import fc from 'fast-check';
import path from 'node:path';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKioskCore, type RunningCore } from '../../src/app/core-factory.js';
import { silentLogger } from '../../src/app/logger.js';
import { API_PARAM_SCHEMAS, dispatchApiCall } from '../../src/host/api-validate.js';
import { startBrowserHost, type BrowserHost } from '../../src/host/browser/server.js';
import {
  emptySchema,
  provisionFileSchema,
  serviceCalledSchema,
  serviceCompletedSchema,
  staffSignInSchema,
  windowStatusSchema,
} from '../../src/link/schemas.js';
import { KIOSK_API_METHODS } from '../../src/shared/kiosk-api.js';
import { makeDataDir, ROOT } from '../support/kiosk-process.js';
import { ApiClient, linkRequest, stableView, tableCounts, until } from '../support/security/kiosk.js';
import type { z } from 'zod';

const RUNS = Number(process.env.SECURITY_FUZZ_RUNS ?? 150);

let running: RunningCore;
let host: BrowserHost;
let dataDir: string;
let sessionId = '';

const snapshot = () => ({ counts: tableCounts(dataDir), view: stableView(running.core.view()) });

beforeAll(async () => {
  dataDir = makeDataDir('hcp-sec-fuzz-');
  running = await createKioskCore({
    demo: true,
    dataDir,
    log: silentLogger,
    demoDevices: false,
    demoOverrides: { session: { timeoutSec: 120 } },
  });
  host = await startBrowserHost({
    provider: running.core.provider,
    staticDir: path.join(ROOT, 'dist', 'renderer'),
  });
  // The catalogue download at start writes catalogue_cache in the background: let it land first, so
  // the row counts compared below move only if a fuzzed call stored something.
  await until('the first catalogue download', () => {
    const status = running.sync.diagnostics().catalogue as { lastFetchAt: number | null; lastError: unknown };
    return status.lastFetchAt !== null || status.lastError !== null;
  });
  // A realistic state to disturb: a clerk, an open session with a real-name citizen.
  running.core.staffSignIn({ staffId: '0815', name: '王小明', title: null, photo: null });
  sessionId = running.core.serviceCompleted({
    ticketNo: 'F001',
    projectNo: 'P-FUZZ-1',
    taskCode: null,
    taskName: null,
    serviceNumber: '1',
    node: 'completed',
    completedAt: Date.now(),
    staff: null,
    citizen: { certType: 'id-card', certKey: '460100199001011230', userName: '张三' },
  }).sessionId;
}, 60_000);

afterAll(async () => {
  await host?.close();
  await running?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Values near the KioskApi parameters: right types with wrong content, wrong types, huge, hostile. */
const apiValue = fc.oneof(
  fc.constantFrom<unknown>(
    '',
    ' ',
    'very_satisfied',
    'VERY_SATISFIED',
    'en',
    'xx',
    'Digit5',
    'Digit 5',
    '__proto__',
    'constructor',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    '\u202egnp.exe',
    'x'.repeat(10_000),
    null,
    true,
    0,
    -1,
    Number.NaN,
    [],
    {},
    { length: 2 },
  ),
  fc.constant(undefined).map(() => sessionId + '!'),
  fc.string({ maxLength: 70 }),
  fc.integer(),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.string({ maxLength: 20 }), { maxLength: 40 }),
);
const apiParams = fc.oneof(
  fc.array(apiValue, { maxLength: 4 }),
  fc.tuple(fc.constant(sessionId), apiValue),
  fc.tuple(apiValue, fc.constantFrom('satisfied', 'very_dissatisfied')),
  fc.tuple(fc.constant(sessionId), fc.array(fc.string(), { maxLength: 40 }), fc.string({ maxLength: 400 })),
  apiValue,
  fc.anything({ maxDepth: 3 }),
);
const apiMethod = fc.oneof(
  fc.constantFrom<unknown>(...KIOSK_API_METHODS),
  fc.constantFrom<unknown>(
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'stop',
    'view',
    'padRating',
    'cardRead',
  ),
  fc.string({ maxLength: 20 }),
  fc.anything({ maxDepth: 1 }),
);

function parseFrame(text: string): { id?: unknown; method?: unknown; params?: unknown } | null {
  try {
    return JSON.parse(text) as { id?: unknown; method?: unknown; params?: unknown } | null;
  } catch {
    return null;
  }
}

function apiCallValidates(method: unknown, params: unknown): boolean {
  if (typeof method !== 'string' || !(KIOSK_API_METHODS as readonly string[]).includes(method)) return false;
  return (API_PARAM_SCHEMAS as Record<string, z.ZodType>)[method]!.safeParse(params).success;
}

describe('fuzzing the KioskApi and the window link', () => {
  it('random and malformed KioskApi calls through dispatchApiCall get E8001 and change no row and no view', async () => {
    await fc.assert(
      fc.asyncProperty(apiMethod, apiParams, async (method, params) => {
        fc.pre(!apiCallValidates(method, params));
        const before = snapshot();
        const outcome = await dispatchApiCall(running.core.provider.api, method, params);
        expect(outcome).toMatchObject({ ok: false, code: 'E8001' });
        expect(snapshot()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('random frames on the browser host WebSocket get a clean error or a policy close, and change nothing', async () => {
    let client = await ApiClient.connect(host.url);
    const frame = fc.oneof(
      fc.record({ id: fc.nat(), method: apiMethod, params: apiParams }).map((m) => JSON.stringify(m)),
      fc.record({ id: fc.anything({ maxDepth: 1 }), method: apiMethod, params: apiParams }).map((m) => {
        try {
          return JSON.stringify(m) ?? 'undefined';
        } catch {
          return '{';
        }
      }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(frame, async (text) => {
        const parsed = parseFrame(text);
        fc.pre(!(parsed && typeof parsed === 'object' && apiCallValidates(parsed.method, parsed.params)));
        if (client.closed) client = await ApiClient.connect(host.url);
        const before = snapshot();
        const usableId = typeof parsed?.id === 'number' && Number.isSafeInteger(parsed.id) && parsed.id >= 0;
        if (usableId) {
          const answer = await new Promise<unknown>((resolve) => {
            client.socket.once('message', (data) => resolve(JSON.parse(data.toString())));
            client.sendRaw(text);
          });
          expect(answer).toMatchObject({ id: parsed!.id, error: { code: 'E8001' } });
        } else {
          client.sendRaw(text);
          await until('the policy close', () => client.closed, 2_000);
          expect(client.closed?.code).toBe(1008);
        }
        expect(snapshot()).toEqual(before);
      }),
      // Each policy close costs a reconnect (~100 ms), so fewer runs here.
      { numRuns: Math.ceil(RUNS / 2) },
    );
    client.close();
  });

  it('the browser host refuses a foreign origin, a wrong secret, binary and oversized frames, and still serves the page afterwards', async () => {
    const before = snapshot();
    await expect(ApiClient.connect(host.url, { origin: 'http://evil.example' })).rejects.toThrow(/403/);
    const wrong = await ApiClient.connect(host.url, { hello: 'not-the-secret' });
    await until('close after a wrong secret', () => wrong.closed, 3_000);
    expect(wrong.closed?.code).toBe(1008);
    const silent = await ApiClient.connect(host.url, { hello: null });
    silent.sendRaw(JSON.stringify({ id: 1, method: 'rate', params: [sessionId, 'very_satisfied'] }));
    await until('close of an unauthenticated call', () => silent.closed, 3_000);
    expect(silent.closed?.code).toBe(1008);
    const binary = await ApiClient.connect(host.url);
    binary.sendRaw(Buffer.from(JSON.stringify({ id: 1, method: 'getView', params: [] })), true);
    await until('close after a binary frame', () => binary.closed, 3_000);
    const huge = await ApiClient.connect(host.url);
    huge.sendRaw(
      JSON.stringify({ id: 1, method: 'submitReasons', params: [sessionId, [], 'x'.repeat(70_000)] }),
    );
    await until('close after an oversized frame', () => huge.closed, 3_000);
    expect(huge.closed?.code).toBe(1009);
    expect(snapshot()).toEqual(before);
    const ok = await ApiClient.connect(host.url);
    expect((await ok.view()).session?.sessionId).toBe(sessionId);
    ok.close();
  });

  const LINK_CALLS: Array<{ path: string; schema: z.ZodType; token: 'link' | 'admin' }> = [
    { path: '/v1/staff/signin', schema: staffSignInSchema, token: 'link' },
    { path: '/v1/staff/signout', schema: emptySchema, token: 'link' },
    { path: '/v1/window/status', schema: windowStatusSchema, token: 'link' },
    { path: '/v1/service/called', schema: serviceCalledSchema, token: 'link' },
    { path: '/v1/service/completed', schema: serviceCompletedSchema, token: 'link' },
    { path: '/v1/sync/now', schema: emptySchema, token: 'admin' },
    { path: '/v1/admin/provision', schema: provisionFileSchema, token: 'admin' },
  ];
  const linkField = fc.oneof(
    apiValue,
    fc.constantFrom<unknown>(
      'open',
      'paused',
      'A012',
      '460100199001011230',
      '2024-05-01T09:30:00+08:00',
      'x'.repeat(300),
    ),
  );
  /** Request bodies are bytes: text bodies are sent as UTF-8, exactly as a window system would send them. */
  const utf8 = (text: string) => Buffer.from(text, 'utf8');
  const linkBody = fc.oneof(
    fc
      .record(
        {
          staffId: linkField,
          name: linkField,
          title: linkField,
          photo: linkField,
          status: linkField,
          message: linkField,
          ticketNo: linkField,
          projectNo: linkField,
          taskName: linkField,
          serviceNumber: linkField,
          completedAt: linkField,
          citizen: fc.oneof(
            linkField,
            fc.record({ certType: linkField, certKey: linkField, userName: linkField }),
          ),
          config: linkField,
          signature: linkField,
        },
        { requiredKeys: [] },
      )
      .map((v) => utf8(JSON.stringify(v))),
    fc.jsonValue({ maxDepth: 3 }).map((v) => utf8(JSON.stringify(v))),
    fc.string({ maxLength: 200 }).map(utf8),
    fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  );

  it('random and malformed bodies to every window-link call get a 4xx JSON error and change no row and no view', async () => {
    const info = {
      uiUrl: host.url,
      linkUrl: running.link.url,
      linkToken: running.config.link.linkToken,
      adminToken: running.config.link.adminToken,
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...LINK_CALLS), linkBody, async (call, body) => {
        // Judged as the server reads it: the bytes decoded as UTF-8 (invalid sequences can only make it worse).
        const text = body.toString('utf8');
        let value: unknown;
        let json = true;
        try {
          value = text.trim() === '' ? {} : JSON.parse(text);
        } catch {
          json = false;
        }
        fc.pre(!json || !call.schema.safeParse(value).success);
        const before = snapshot();
        const answer = await linkRequest(info, 'POST', call.path, {
          token: call.token === 'link' ? info.linkToken : info.adminToken,
          body,
        });
        expect([400, 404, 413]).toContain(answer.status);
        expect(answer.json).toMatchObject({ error: expect.any(String) });
        expect(snapshot()).toEqual(before);
      }),
      { numRuns: RUNS * 2 },
    );
    // Path and query parameters of the GET calls.
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 60 }), async (raw) => {
        const before = snapshot();
        const segment = encodeURIComponent(raw).replace(/%2F/gi, '%252F');
        const state = await linkRequest(info, 'GET', `/v1/services/${segment}x%`, { token: info.linkToken });
        expect([400, 404]).toContain(state.status);
        const summary = await linkRequest(
          info,
          'GET',
          `/v1/ratings/summary?date=${encodeURIComponent(raw)}x`,
          {
            token: info.adminToken,
          },
        );
        expect(summary.status).toBe(400);
        expect(snapshot()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
    // The kiosk is still up and its session intact.
    expect(running.core.view().session?.sessionId).toBe(sessionId);
  });
});
