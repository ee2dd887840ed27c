/**
 * The bad-input matrix (window-link.md "Service"): for every call, wrong types, missing fields, oversize
 * strings, non-JSON, oversize bodies and bad tokens are refused with the right code, and nothing reaches the core.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, CERT_KEY, LINK_TOKEN, call, get, post, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.server.close();
});

const POSTS = [
  { path: '/v1/staff/signin', token: LINK_TOKEN },
  { path: '/v1/staff/signout', token: LINK_TOKEN },
  { path: '/v1/window/status', token: LINK_TOKEN },
  { path: '/v1/service/called', token: LINK_TOKEN },
  { path: '/v1/service/completed', token: LINK_TOKEN },
  { path: '/v1/sync/now', token: ADMIN_TOKEN },
];
const GETS = [
  { path: '/v1/services/A012', token: LINK_TOKEN },
  { path: '/v1/events', token: LINK_TOKEN },
  { path: '/v1/diagnostics', token: ADMIN_TOKEN },
  { path: '/v1/ratings/summary?date=2024-05-01', token: ADMIN_TOKEN },
];

const s = (n: number, ch = 'a') => ch.repeat(n);
const signin = { staffId: 'S001', name: '王小明' };
const done = { ticketNo: 'A012' };
const citizen = { certType: 'id-card', certKey: CERT_KEY, userName: '张三' };
const jpeg = (bytes: number[]) => `data:image/jpeg;base64,${Buffer.from(bytes).toString('base64')}`;

/** [path, body, field] — each must answer 400 invalid-body naming `field`. */
const INVALID: [string, unknown, string][] = [
  ['/v1/staff/signin', {}, 'staffId'],
  ['/v1/staff/signin', { ...signin, staffId: 1001 }, 'staffId'],
  ['/v1/staff/signin', { ...signin, staffId: s(33) }, 'staffId'],
  ['/v1/staff/signin', { ...signin, staffId: 'S 01' }, 'staffId'],
  ['/v1/staff/signin', { staffId: 'S001' }, 'name'],
  ['/v1/staff/signin', { ...signin, name: s(41, '王') }, 'name'],
  ['/v1/staff/signin', { ...signin, name: '   ' }, 'name'],
  ['/v1/staff/signin', { ...signin, name: 'a\u0000b' }, 'name'],
  ['/v1/staff/signin', { ...signin, title: s(41) }, 'title'],
  ['/v1/staff/signin', { ...signin, title: ['x'] }, 'title'],
  ['/v1/staff/signin', { ...signin, photo: 'https://example.org/a.jpg' }, 'photo'],
  ['/v1/staff/signin', { ...signin, photo: 'data:image/gif;base64,R0lGODlh' }, 'photo'],
  ['/v1/staff/signin', { ...signin, photo: 'data:image/jpeg;base64,@@@@' }, 'photo'],
  ['/v1/staff/signin', { ...signin, photo: 'data:image/jpeg;base64,/9j' }, 'photo'],
  ['/v1/staff/signin', { ...signin, photo: jpeg([1, 2, 3, 4]) }, 'photo'],
  ['/v1/staff/signin', { ...signin, photo: jpeg([0xff, 0xd8, 0xff]).replace('jpeg', 'png') }, 'photo'],
  ['/v1/staff/signin', [signin], ''],
  ['/v1/staff/signin', null, ''],
  ['/v1/staff/signout', [], ''],
  ['/v1/staff/signout', '"bye"', ''],
  ['/v1/window/status', {}, 'status'],
  ['/v1/window/status', { status: 'busy' }, 'status'],
  ['/v1/window/status', { status: true }, 'status'],
  ['/v1/window/status', { status: 'paused', message: s(201) }, 'message'],
  ['/v1/window/status', { status: 'paused', message: 42 }, 'message'],
  ['/v1/service/called', {}, 'ticketNo'],
  ['/v1/service/called', { ticketNo: 12 }, 'ticketNo'],
  ['/v1/service/called', { ticketNo: s(33, '1') }, 'ticketNo'],
  ['/v1/service/called', { ticketNo: 'A 12' }, 'ticketNo'],
  ['/v1/service/called', { ticketNo: '' }, 'ticketNo'],
  ['/v1/service/completed', { projectNo: 'P1' }, 'ticketNo'],
  ['/v1/service/completed', { ticketNo: 'A/12' }, 'ticketNo'],
  ['/v1/service/completed', { ...done, projectNo: s(65, '1') }, 'projectNo'],
  ['/v1/service/completed', { ...done, projectNo: 12 }, 'projectNo'],
  ['/v1/service/completed', { ...done, taskCode: s(65, '1') }, 'taskCode'],
  ['/v1/service/completed', { ...done, taskName: s(201, '办') }, 'taskName'],
  ['/v1/service/completed', { ...done, serviceNumber: 2 }, 'serviceNumber'],
  ['/v1/service/completed', { ...done, serviceNumber: '12345' }, 'serviceNumber'],
  ['/v1/service/completed', { ...done, serviceNumber: '0' }, 'serviceNumber'],
  ['/v1/service/completed', { ...done, serviceNumber: 'x' }, 'serviceNumber'],
  ['/v1/service/completed', { ...done, completedAt: '2024-05-01T09:30:00' }, 'completedAt'],
  ['/v1/service/completed', { ...done, completedAt: '2024-05-01 09:30:00+08:00' }, 'completedAt'],
  ['/v1/service/completed', { ...done, completedAt: '2024-02-30T09:30:00+08:00' }, 'completedAt'],
  ['/v1/service/completed', { ...done, completedAt: 1714527000000 }, 'completedAt'],
  ['/v1/service/completed', { ...done, citizen: 'yes' }, 'citizen'],
  [
    '/v1/service/completed',
    { ...done, citizen: { certType: 'id-card', userName: '张三' } },
    'citizen.certKey',
  ],
  // A number must say its type (domain-rules §5 r2), and pass that type's check.
  [
    '/v1/service/completed',
    { ...done, citizen: { certKey: CERT_KEY, userName: '张三' } },
    'citizen.certType',
  ],
  ['/v1/service/completed', { ...done, citizen: { ...citizen, certType: 'passport' } }, 'citizen.certType'],
  [
    '/v1/service/completed',
    { ...done, citizen: { ...citizen, certType: 'residence-permit' } },
    'citizen.certKey',
  ],
  [
    '/v1/service/completed',
    { ...done, citizen: { ...citizen, certType: 'foreign-permanent' } },
    'citizen.certKey',
  ],
  [
    '/v1/service/completed',
    { ...done, citizen: { ...citizen, certType: 'id-card', certKey: '810000199001011230' } },
    'citizen.certKey',
  ],
  [
    '/v1/service/completed',
    { ...done, citizen: { ...citizen, certType: 'residence-permit', certKey: '810000199001011231' } },
    'citizen.certKey',
  ],
  [
    '/v1/service/completed',
    { ...done, citizen: { ...citizen, certType: 'foreign-permanent', certKey: '935840198801012349' } },
    'citizen.certKey',
  ],
  [
    '/v1/service/completed',
    { ...done, citizen: { ...citizen, certType: 'foreign-permanent', certKey: 'US1234567890123' } },
    'citizen.certKey',
  ],
  [
    '/v1/service/completed',
    { ...done, citizen: { ...citizen, certType: 'uscc', certKey: '91350100M000100Y44' } },
    'citizen.certKey',
  ],
  ['/v1/service/completed', { ...done, node: 'rated' }, 'node'],
  ['/v1/service/completed', { ...done, staff: { staffId: 'S001' } }, 'staff.name'],
  ['/v1/service/completed', { ...done, staff: { staffId: 'S 1', name: '王' } }, 'staff.staffId'],
  [
    '/v1/service/completed',
    { ...done, citizen: { ...citizen, certKey: '110105194912310021' } },
    'citizen.certKey',
  ],
  [
    '/v1/service/completed',
    { ...done, citizen: { ...citizen, certKey: '110105194913310028' } },
    'citizen.certKey',
  ],
  ['/v1/service/completed', { ...done, citizen: { ...citizen, certKey: s(19, '1') } }, 'citizen.certKey'],
  ['/v1/service/completed', { ...done, citizen: { ...citizen, certKey: 91350100 } }, 'citizen.certKey'],
  [
    '/v1/service/completed',
    { ...done, citizen: { ...citizen, certKey: '91350100M000100Y43' } },
    'citizen.certKey',
  ],
  [
    '/v1/service/completed',
    { ...done, citizen: { certType: 'id-card', certKey: CERT_KEY } },
    'citizen.userName',
  ],
  ['/v1/service/completed', { ...done, citizen: { ...citizen, userName: s(61, '张') } }, 'citizen.userName'],
  ['/v1/sync/now', [1], ''],
];

describe('invalid bodies', () => {
  it.each(INVALID)(
    '%s refuses %j with 400 naming the field %j, and stores nothing',
    async (path, body, field) => {
      const token = path === '/v1/sync/now' ? ADMIN_TOKEN : LINK_TOKEN;
      const reply = await post(h, path, body, { token });
      expect(reply.status).toBe(400);
      expect(reply.json).toEqual({ error: 'invalid-body', field });
      expect(h.backend.mutations()).toEqual([]);
    },
  );

  it.each(['/v1/services/A%2012', `/v1/services/${s(33, '1')}`, '/v1/services/%E0%A4%A'])(
    'GET %s refuses a malformed ticket number with 400 naming ticketNo',
    async (path) => {
      const reply = await get(h, path);
      expect([reply.status, reply.json]).toEqual([400, { error: 'invalid-body', field: 'ticketNo' }]);
      expect(h.backend.calls).toEqual([]);
    },
  );

  it.each(['', '?date=2024-02-30', '?date=2024-5-1', '?date=2024-05-01&date=2024-05-02', '?date=x'])(
    'the ratings summary refuses the query %j with 400 naming date',
    async (query) => {
      const reply = await get(h, `/v1/ratings/summary${query}`, { token: ADMIN_TOKEN });
      expect([reply.status, reply.json]).toEqual([400, { error: 'invalid-body', field: 'date' }]);
      expect(h.backend.calls).toEqual([]);
    },
  );
});

describe.each(POSTS)('POST $path', ({ path, token }) => {
  it.each(['{"ticketNo":', 'hello', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])])(
    'refuses the non-JSON body %j with 400 invalid-json and stores nothing',
    async (body) => {
      const reply = await post(h, path, body, { token });
      expect([reply.status, reply.json]).toEqual([400, { error: 'invalid-json' }]);
      expect(h.backend.mutations()).toEqual([]);
    },
  );

  it('refuses a body declared over 256 KiB with 413 before reading it', async () => {
    const reply = await post(h, path, { ticketNo: 'A1', pad: s(300 * 1024) }, { token });
    expect([reply.status, reply.json]).toEqual([413, { error: 'body-too-large' }]);
    expect(reply.headers.connection).toBe('close');
    expect(h.backend.mutations()).toEqual([]);
  });

  it('stops reading a chunked body once it passes 256 KiB and answers 413', async () => {
    const reply = await post(
      h,
      path,
      { ticketNo: 'A1', pad: s(2 * 1024 * 1024) },
      { token, chunked: 16 * 1024 },
    );
    expect([reply.status, reply.json]).toEqual([413, { error: 'body-too-large' }]);
    expect(h.backend.mutations()).toEqual([]);
  });

  it('accepts a body just under 256 KiB (unknown fields ignored)', async () => {
    const body = { ticketNo: 'A1', staffId: 'S1', name: 'n', status: 'open', pad: s(250 * 1024) };
    expect([200, 202]).toContain((await post(h, path, body, { token })).status);
  });
});

describe.each([
  ...POSTS.map((p) => ({ ...p, method: 'POST' })),
  ...GETS.map((g) => ({ ...g, method: 'GET' })),
])('$method $path', ({ method, path, token }) => {
  const other = token === LINK_TOKEN ? ADMIN_TOKEN : LINK_TOKEN;
  it.each([
    ['no token', null, {}],
    ['a wrong token', `${token}x`, {}],
    ['the other token', other, {}],
    ['an empty bearer', '', {}],
    ['a Basic scheme', null, { authorization: `Basic ${token}` }],
  ] as const)('refuses %s with 401 unauthorized and stores nothing', async (_label, bad, headers) => {
    const body = method === 'POST' ? { ticketNo: 'A1', staffId: 'S1', name: 'n', status: 'open' } : undefined;
    const reply = await call(h.server, method, path, { token: bad, body, headers });
    expect([reply.status, reply.json]).toEqual([401, { error: 'unauthorized' }]);
    expect(reply.headers['www-authenticate']).toBe('Bearer');
    expect(h.backend.calls).toEqual([]);
    expect(h.backend.listeners.size).toBe(0);
  });
});
