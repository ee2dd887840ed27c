/**
 * Property: random JSON bodies (and near-valid ones) to every POST call never crash the server; each gets
 * one of the contract's answers, and a refused one changes nothing in the core (window-link.md "Service").
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, CERT_KEY, LINK_TOKEN, post, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.server.close();
});

const PATHS = [
  '/v1/staff/signin',
  '/v1/staff/signout',
  '/v1/window/status',
  '/v1/service/called',
  '/v1/service/completed',
  '/v1/sync/now',
];
const ALLOWED = [200, 202, 400, 401, 409, 413];

/** Field values near the contract: valid ones, wrong types, edge sizes. */
const value = fc.oneof(
  fc.constantFrom(
    'A012',
    'S001',
    'open',
    'paused',
    'closed',
    '1',
    '2',
    '0',
    '12345',
    CERT_KEY,
    '张三',
    '',
    ' ',
    null,
  ),
  fc.constantFrom(
    '2024-05-01T09:30:00+08:00',
    '2024-05-01T09:30:00',
    'data:image/jpeg;base64,/9j/4A==',
    'x'.repeat(300),
  ),
  fc.string({ maxLength: 80 }),
  fc.integer(),
  fc.boolean(),
  fc.jsonValue({ maxDepth: 2 }),
);
const nearValid = fc.record(
  {
    ticketNo: value,
    projectNo: value,
    taskCode: value,
    taskName: value,
    serviceNumber: value,
    completedAt: value,
    staffId: value,
    name: value,
    title: value,
    photo: value,
    status: value,
    message: value,
    citizen: fc.oneof(
      value,
      fc.record({ certType: value, certKey: value, userName: value }, { requiredKeys: [] }),
    ),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(fc.jsonValue({ maxDepth: 4 }), nearValid);

describe('random bodies to every POST', () => {
  it('always get one of 200/202/400/401/409/413, with a JSON error code when refused, and refusals store nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PATHS),
        body,
        fc.boolean(),
        fc.constantFrom('open', 'paused'),
        async (path, json, rightToken, windowStatus) => {
          // Wrong tokens at most one per 4 s keep the address under the 20-a-minute throttle.
          h.clock.now += 4_000;
          h.backend.windowStatus = windowStatus;
          const before = h.backend.mutations().length;
          const token = rightToken ? (path === '/v1/sync/now' ? ADMIN_TOKEN : LINK_TOKEN) : 'wrong-token';
          const reply = await post(h, path, json, { token });
          expect(ALLOWED).toContain(reply.status);
          if (reply.status >= 400) {
            expect(typeof (reply.json as { error?: unknown }).error).toBe('string');
            if (reply.status !== 409) expect(h.backend.mutations().length).toBe(before);
          }
          if (!rightToken) expect(reply.status).toBe(401);
        },
      ),
      { numRuns: 300 },
    );
    // The server is still up and well.
    expect((await post(h, '/v1/service/called', { ticketNo: 'A1' })).status).toBe(200);
  });
});
