/** Token failures over HTTP (window-link.md "Service"): counted per address, 429 for a minute after the 21st. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, get, post, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.server.close();
});

const fail20 = async (): Promise<void> => {
  for (let i = 0; i < 20; i += 1) {
    expect((await post(h, '/v1/service/called', { ticketNo: 'A1' }, { token: 'wrong' })).status).toBe(401);
  }
};

describe('failed-token throttle over HTTP', () => {
  it('answers the 21st failure within a minute with 429 too-many-failures and Retry-After', async () => {
    await fail20();
    const reply = await post(h, '/v1/service/called', { ticketNo: 'A1' }, { token: null });
    expect([reply.status, reply.json]).toEqual([429, { error: 'too-many-failures' }]);
    expect(reply.headers['retry-after']).toBe('60');
    expect(h.logs.at(-1)).toMatchObject({ level: 'warn', code: 'E3002', remote: '127.0.0.1' });
  });

  it('keeps answering 429 even with the right token until the minute has passed, then serves again', async () => {
    await fail20();
    await get(h, '/v1/diagnostics', { token: 'wrong' });
    h.clock.now += 30_000;
    const blocked = await post(h, '/v1/service/completed', { ticketNo: 'A1' });
    expect([blocked.status, blocked.headers['retry-after']]).toEqual([429, '30']);
    h.clock.now += 29_999;
    expect((await get(h, '/v1/diagnostics', { token: ADMIN_TOKEN })).status).toBe(429);
    expect(h.backend.calls).toEqual([]);
    h.clock.now += 1;
    expect((await post(h, '/v1/service/completed', { ticketNo: 'A1' })).status).toBe(202);
    expect(h.backend.mutations()).toEqual(['serviceCompleted']);
    // The address starts afresh: one wrong token is a plain 401 again.
    expect((await post(h, '/v1/service/called', { ticketNo: 'A1' }, { token: 'wrong' })).status).toBe(401);
  });

  it('does not block for 20 failures spread so that no minute holds more than 20', async () => {
    for (let i = 0; i < 30; i += 1) {
      h.clock.now += 3_001;
      expect((await get(h, '/v1/services/A1', { token: 'wrong' })).status).toBe(401);
    }
    expect((await post(h, '/v1/service/called', { ticketNo: 'A1' })).status).toBe(200);
  });

  it('blocks only the failing address: another address with the right token is served', async () => {
    await fail20();
    expect((await post(h, '/v1/service/called', { ticketNo: 'A1' }, { token: 'x' })).status).toBe(429);
    const other = await post(h, '/v1/service/called', { ticketNo: 'A1' }, { localAddress: '127.0.0.2' });
    expect(other.status).toBe(200);
  });

  it('still answers health, which needs no token, from a blocked address', async () => {
    await fail20();
    await post(h, '/v1/service/called', { ticketNo: 'A1' }, { token: 'x' });
    expect((await get(h, '/v1/health', { token: null })).status).toBe(200);
  });

  it('does not count unknown paths or wrong methods as token failures', async () => {
    for (let i = 0; i < 25; i += 1) expect((await get(h, '/v1/secret', { token: 'x' })).status).toBe(404);
    for (let i = 0; i < 25; i += 1)
      expect((await get(h, '/v1/staff/signin', { token: 'x' })).status).toBe(405);
    expect((await post(h, '/v1/service/called', { ticketNo: 'A1' })).status).toBe(200);
  });
});
