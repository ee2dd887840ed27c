/** Every window-link call on its happy path (window-link.md tables), against a recording core double. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KioskError, LINK_ERRORS, STORE_ERRORS } from '../../src/shared/errors/index.js';
import { startLinkServer } from '../../src/link/index.js';
import { ADMIN_TOKEN, CERT_KEY, call, get, post, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const JPEG = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]).toString('base64')}`;

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.server.close();
});

describe('window-system calls', () => {
  it('signs a clerk in with title and photo, and answers 200 with the safety headers', async () => {
    const reply = await post(h, '/v1/staff/signin', {
      staffId: 'S001',
      name: '王小明',
      title: '综合窗口',
      photo: JPEG,
      extra: 1,
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(h.backend.calls).toEqual([
      { method: 'staffSignIn', args: [{ staffId: 'S001', name: '王小明', title: '综合窗口', photo: JPEG }] },
    ]);
  });

  it('signs a clerk in without the optional fields, passing them on as null', async () => {
    expect((await post(h, '/v1/staff/signin', { staffId: 'S001', name: '王小明', title: null })).status).toBe(
      200,
    );
    expect(h.backend.calls[0]?.args[0]).toEqual({
      staffId: 'S001',
      name: '王小明',
      title: null,
      photo: null,
    });
  });

  it('signs the clerk out, with an empty object or with no body at all', async () => {
    expect((await post(h, '/v1/staff/signout', {})).status).toBe(200);
    expect((await call(h.server, 'POST', '/v1/staff/signout')).status).toBe(200);
    expect(h.backend.mutations()).toEqual(['staffSignOut', 'staffSignOut']);
  });

  it('sets the window status with and without a message', async () => {
    expect((await post(h, '/v1/window/status', { status: 'paused', message: '午休' })).status).toBe(200);
    expect((await post(h, '/v1/window/status', { status: 'open' })).status).toBe(200);
    expect(h.backend.calls.map((c) => c.args)).toEqual([
      ['paused', '午休'],
      ['open', null],
    ]);
  });

  it('passes a called ticket on', async () => {
    expect((await post(h, '/v1/service/called', { ticketNo: 'A-012' })).status).toBe(200);
    expect(h.backend.calls).toEqual([{ method: 'serviceCalled', args: ['A-012'] }]);
  });

  it('opens a session for a completed service and answers 202 with its sessionId, filling defaults', async () => {
    const reply = await post(h, '/v1/service/completed', { ticketNo: 'A012' });
    expect(reply.status).toBe(202);
    expect(reply.json).toEqual({ sessionId: 's-1' });
    expect(h.backend.calls[0]?.args[0]).toEqual({
      ticketNo: 'A012',
      projectNo: null,
      taskCode: null,
      taskName: null,
      serviceNumber: '1',
      node: 'completed',
      completedAt: h.clock.now,
      staff: null,
      citizen: null,
    });
  });

  it('passes every field of a full completed service, with the time converted from its offset', async () => {
    const body = {
      ticketNo: 'A012',
      projectNo: 'Q460100202405010001',
      taskCode: '11460100MB0000000X4000117001000',
      taskName: '居民身份证换领',
      serviceNumber: '2',
      completedAt: '2024-05-01T08:30:00+08:00',
      node: 'accepted',
      staff: { staffId: '0999', name: '赵六' },
      citizen: { certType: 'id-card', certKey: CERT_KEY.toLowerCase(), userName: '张三' },
    };
    expect((await post(h, '/v1/service/completed', body)).status).toBe(202);
    expect(h.backend.calls[0]?.args[0]).toEqual({
      ...body,
      completedAt: Date.parse('2024-05-01T00:30:00Z'),
      citizen: { certType: 'id-card', certKey: CERT_KEY, userName: '张三' },
    });
  });

  it('accepts each document type with a number that passes its check, and passes the type on', async () => {
    const citizens = [
      { certType: 'residence-permit', certKey: '810000199001011230', userName: '陈大文' },
      { certType: 'foreign-permanent', certKey: 'USA123456789012', userName: 'SMITH JOHN' },
      { certType: 'foreign-permanent', certKey: '935840198801012348', userName: 'SMITH JANE' },
      { certType: 'uscc', certKey: '91350100M000100Y43', userName: '某某有限公司' },
    ];
    for (const [i, citizen] of citizens.entries()) {
      expect((await post(h, '/v1/service/completed', { ticketNo: `A${i}`, citizen })).status).toBe(202);
    }
    expect(h.backend.calls.map((c) => (c.args[0] as { citizen: unknown }).citizen)).toEqual(citizens);
  });

  it('answers the same sessionId for a repeat of the same service, and a new one for the next service number', async () => {
    const first = await post(h, '/v1/service/completed', { ticketNo: 'A012', projectNo: 'P1' });
    const repeat = await post(h, '/v1/service/completed', {
      ticketNo: 'A012',
      projectNo: 'P1',
      serviceNumber: '1',
    });
    const next = await post(h, '/v1/service/completed', {
      ticketNo: 'A012',
      projectNo: 'P1',
      serviceNumber: '2',
    });
    expect(repeat.json).toEqual(first.json);
    expect(next.json).not.toEqual(first.json);
  });

  it('answers 409 window-not-open when the core refuses because the window is paused', async () => {
    await post(h, '/v1/window/status', { status: 'paused' });
    const reply = await post(h, '/v1/service/completed', { ticketNo: 'A012' });
    expect(reply.status).toBe(409);
    expect(reply.json).toEqual({ error: 'window-not-open' });
  });

  it('answers the state of a known ticket and 404 for an unknown one', async () => {
    await post(h, '/v1/service/completed', { ticketNo: 'A012' });
    const known = await get(h, '/v1/services/A012');
    expect(known.status).toBe(200);
    expect(known.json).toEqual({ state: 'awaiting' });
    const unknown = await get(h, '/v1/services/B999');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ error: 'not-found' });
  });
});

describe('technician calls', () => {
  it('answers health without any token', async () => {
    const reply = await get(h, '/v1/health', { token: null });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ status: 'ok', version: '0.1.0' });
  });

  it('answers diagnostics and the day summary with the admin token', async () => {
    const diag = await get(h, '/v1/diagnostics', { token: ADMIN_TOKEN });
    expect(diag.status).toBe(200);
    expect(diag.json).toEqual({ outbox: { depth: 0 } });
    const summary = await get(h, '/v1/ratings/summary?date=2024-02-29', { token: ADMIN_TOKEN });
    expect(summary.status).toBe(200);
    expect(h.backend.calls.at(-1)).toEqual({ method: 'ratingsSummary', args: ['2024-02-29'] });
  });

  it('asks the outbox to sync at once and answers 202', async () => {
    expect((await post(h, '/v1/sync/now', {}, { token: ADMIN_TOKEN })).status).toBe(202);
    expect(h.backend.mutations()).toEqual(['syncNow']);
  });
});

describe('routing and failures', () => {
  it('answers 404 for an unknown path and 405 with Allow for a wrong method', async () => {
    const unknown = await get(h, '/v1/nothing');
    expect([unknown.status, unknown.json]).toEqual([404, { error: 'not-found' }]);
    const wrong = await get(h, '/v1/service/completed');
    expect([wrong.status, wrong.json, wrong.headers.allow]).toEqual([
      405,
      { error: 'method-not-allowed' },
      'POST',
    ]);
    expect((await post(h, '/v1/health', {})).headers.allow).toBe('GET, HEAD');
  });

  it('answers 500 internal without leaking the message when the core fails unexpectedly', async () => {
    h.backend.failWith = new Error('secret 11010519491231002X');
    const reply = await post(h, '/v1/service/called', { ticketNo: 'A1' });
    expect([reply.status, reply.json]).toEqual([500, { error: 'internal' }]);
    expect(reply.text).not.toContain('secret');
    expect(JSON.stringify(h.logs)).not.toContain('secret');
    h.backend.failWith = new KioskError(
      STORE_ERRORS[Object.keys(STORE_ERRORS)[0] as keyof typeof STORE_ERRORS],
    );
    expect((await post(h, '/v1/service/called', { ticketNo: 'A1' })).status).toBe(500);
  });

  it('never logs bodies: no name, ID number or ticket content appears in the log', async () => {
    await post(h, '/v1/service/completed', {
      ticketNo: 'A012',
      citizen: { certType: 'id-card', certKey: CERT_KEY, userName: '张三' },
    });
    await post(h, '/v1/service/completed', {
      ticketNo: 'A012',
      citizen: { certType: 'id-card', certKey: 'bad', userName: '张三' },
    });
    const text = JSON.stringify(h.logs);
    expect(text).not.toContain(CERT_KEY);
    expect(text).not.toContain('张三');
    expect(h.logs.every((e) => e.remote === undefined || e.remote === '127.0.0.1')).toBe(true);
  });

  it('rejects with listen-failed when the port is already taken', async () => {
    await expect(
      startLinkServer({
        host: '127.0.0.1',
        port: h.server.port,
        linkToken: 'x',
        adminToken: 'y',
        backend: h.backend,
      }),
    ).rejects.toMatchObject({ code: LINK_ERRORS.listenFailed.code });
  });
});
