/**
 * `GET /v1/events` and `GET /v1/services/{ticketNo}` never carry a level (window-link.md; domain-rules §5:
 * the staff side gets no cue of which level was chosen), keep-alive comments, unsubscribe and shutdown.
 */
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { LEVEL_KEYS } from '../../src/shared/levels.js';
import type { LinkEvent } from '../../src/link/index.js';
import { LINK_TOKEN, get, post, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.server.close();
  h = null;
});

interface Stream {
  res: IncomingMessage;
  text: () => string;
  waitFor: (needle: string) => Promise<void>;
  ended: Promise<void>;
  close: () => void;
}

function openStream(harness: Harness): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: harness.server.port,
        path: '/v1/events',
        headers: { authorization: `Bearer ${LINK_TOKEN}` },
        agent: false,
      },
      (res) => {
        let text = '';
        const waiters: (() => void)[] = [];
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          for (const w of waiters.splice(0)) w();
        });
        const ended = new Promise<void>((done) => res.on('close', () => done()));
        const waitFor = async (needle: string): Promise<void> => {
          while (!text.includes(needle)) await new Promise<void>((r) => waiters.push(r));
        };
        resolve({ res, text: () => text, waitFor, ended, close: () => req.destroy() });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const until = async (check: () => boolean): Promise<void> => {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
};

describe('event stream', () => {
  it('streams session.opened and session.closed with whitelisted fields only, never a level', async () => {
    h = await startHarness();
    const stream = await openStream(h);
    expect(stream.res.statusCode).toBe(200);
    expect(stream.res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.res.headers['cache-control']).toBe('no-store');
    await until(() => h?.backend.listeners.size === 1);
    h.backend.emit({
      type: 'session.opened',
      ticketNo: 'A012',
      sessionId: 's-1',
      level: 'satisfied',
    } as LinkEvent);
    h.backend.emit({
      type: 'session.closed',
      ticketNo: 'A012',
      sessionId: 's-1',
      state: 'rated',
      level: 'very_dissatisfied',
      rating: { level: 'basic' },
    } as LinkEvent);
    await stream.waitFor('event: session.closed');
    const text = stream.text();
    expect(text).toContain('event: session.opened\ndata: {"ticketNo":"A012","sessionId":"s-1"}\n\n');
    expect(text).toContain(
      'event: session.closed\ndata: {"ticketNo":"A012","sessionId":"s-1","state":"rated"}\n\n',
    );
    for (const level of LEVEL_KEYS) expect(text).not.toContain(level);
    expect(text).not.toContain('level');
    stream.close();
  });

  it('drops an event whose state is not a service state (a level passed as state never reaches the clerk)', async () => {
    h = await startHarness();
    const stream = await openStream(h);
    await until(() => h?.backend.listeners.size === 1);
    h.backend.emit({
      type: 'session.closed',
      ticketNo: 'A1',
      sessionId: 's-1',
      state: 'satisfied',
    } as unknown as LinkEvent);
    h.backend.emit({ type: 'session.rated', ticketNo: 'A1', sessionId: 's-1' } as unknown as LinkEvent);
    h.backend.emit({ type: 'session.closed', ticketNo: 'A1', sessionId: 's-1', state: 'unrated' });
    await stream.waitFor('unrated');
    expect(stream.text()).not.toContain('satisfied');
    expect(stream.text()).not.toContain('session.rated');
    stream.close();
  });

  it('sends a keep-alive comment at the configured interval', async () => {
    h = await startHarness({ sseKeepAliveMs: 20 });
    const stream = await openStream(h);
    await stream.waitFor(': keep-alive\n\n');
    stream.close();
  });

  it('unsubscribes from the core when the client goes away', async () => {
    h = await startHarness();
    const stream = await openStream(h);
    await until(() => h?.backend.listeners.size === 1);
    stream.close();
    await until(() => h?.backend.listeners.size === 0);
  });

  it('ends open streams and resolves when the server is closed', async () => {
    h = await startHarness();
    const streams = [await openStream(h), await openStream(h)];
    await until(() => h?.backend.listeners.size === 2);
    await h.server.close();
    await Promise.all(streams.map((s) => s.ended));
    expect(h.backend.listeners.size).toBe(0);
    await h.server.close();
  });
});

describe('service state', () => {
  it('answers only the state even when the core knows the level, and 500 if the core answers a level as state', async () => {
    h = await startHarness();
    await post(h, '/v1/service/completed', { ticketNo: 'A012' });
    const session = [...h.backend.sessions.values()][0];
    if (!session) throw new Error('no session');
    Object.assign(session, { state: 'rated', level: 'very_satisfied' });
    const reply = await get(h, '/v1/services/A012');
    expect(reply.json).toEqual({ state: 'rated' });
    for (const level of LEVEL_KEYS) expect(reply.text).not.toContain(level);
    session.state = 'very_satisfied' as never;
    const bad = await get(h, '/v1/services/A012');
    expect([bad.status, bad.json]).toEqual([500, { error: 'internal' }]);
  });
});

describe('shutdown', () => {
  it('resolves close() promptly even with an idle keep-alive connection open', async () => {
    h = await startHarness();
    const reply = await fetch(`${h.server.url}/v1/health`);
    expect(reply.status).toBe(200);
    const started = Date.now();
    await h.server.close();
    expect(Date.now() - started).toBeLessThan(900);
  });
});
