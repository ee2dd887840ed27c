/**
 * Threats (issue 18 items 3 and 8): a host on the hall LAN holds thousands of connections with large bodies
 * half-sent, or opens event streams without end, until the kiosk runs out of memory; a foreign web page posts
 * `text/plain` (no CORS preflight) and has it read as JSON; a monitor's `HEAD /v1/health` is refused.
 * Defences: src/link/server.ts (connections capped per address and in all, event streams capped, content
 * type required, HEAD as GET), src/link/http.ts (body timeout 408, shared body budget 503).
 * Attack: against the real kiosk process, from chosen loopback source addresses; the window system on
 * 127.0.0.1 keeps rating throughout.
 */
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkCall } from '../support/kiosk-process.js';
import {
  ApiClient,
  linkRequest,
  startSecurityKiosk,
  tableCounts,
  until,
  type SecurityKiosk,
} from '../support/security/kiosk.js';

let sec: SecurityKiosk;
let ticket = 0;

beforeAll(async () => {
  sec = await startSecurityKiosk({ session: { responseIntervalSec: 0 } }, { prefix: 'hcp-sec-limits-' });
}, 60_000);

afterAll(async () => {
  await sec?.dispose();
});

/** A rating through the window link and the kiosk's own UI socket, as in the hall. */
async function rateOnce(): Promise<void> {
  ticket += 1;
  const done = await linkCall(sec.info, 'POST', '/v1/service/completed', { ticketNo: `L${ticket}` });
  expect(done.status).toBe(202);
  const api = await ApiClient.connect(sec.info.uiUrl);
  try {
    const answer = await api.call('rate', [(done.json as { sessionId: string }).sessionId, 'satisfied']);
    expect(answer).toMatchObject({ result: { ok: true } });
  } finally {
    api.close();
  }
}

interface Held {
  socket: net.Socket;
  /** Everything the kiosk wrote back, once it closed the connection (or the test did). */
  answer: Promise<string>;
}

/** A raw connection from `localAddress` that sends `head` and then `body`, and keeps the socket open. */
function hold(localAddress: string, head: string, body: Buffer | string = ''): Promise<Held> {
  const url = new URL(sec.info.linkUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port), localAddress }, () => {
      socket.write(head);
      if (body.length > 0) socket.write(body);
      resolve({ socket, answer });
    });
    let text = '';
    const answer = new Promise<string>((done) => {
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => done(text));
    });
    socket.once('error', (error) => {
      // A connection the kiosk refuses may be reset while the test still writes: its answer says why.
      if (socket.connecting) reject(error);
    });
  });
}

function postHead(path: string, length: number, token = sec.info.linkToken): string {
  return (
    `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\n` +
    `content-type: application/json\r\ncontent-length: ${length}\r\n\r\n`
  );
}

function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
}

function kioskRssMb(): number {
  const status = fs.readFileSync(`/proc/${sec.kiosk.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

describe('window link under held connections and odd requests', () => {
  it('HEAD /v1/health answers like GET, with its headers and no body', async () => {
    const get = await linkRequest(sec.info, 'GET', '/v1/health');
    const head = await linkRequest(sec.info, 'HEAD', '/v1/health');
    expect(head.status).toBe(200);
    expect(head.text).toBe('');
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
  });

  it('a text/plain body, or a body with no content type, is refused with 415 and opens no session', async () => {
    const before = tableCounts(sec.dataDir).services;
    const body = JSON.stringify({ ticketNo: 'PLAIN1' });
    const plain = await linkRequest(sec.info, 'POST', '/v1/service/completed', {
      token: sec.info.linkToken,
      body,
      headers: { 'content-type': 'text/plain' },
    });
    expect([plain.status, plain.json]).toEqual([415, { error: 'unsupported-media-type' }]);
    const untypedHead = postHead('/v1/service/completed', body.length)
      .replace('content-type: application/json\r\n', '')
      .replace('\r\n\r\n', '\r\nconnection: close\r\n\r\n');
    const untyped = await (await hold('127.0.0.1', untypedHead, body)).answer;
    expect(statusOf(untyped)).toBe(415);
    expect(untyped).toContain('"error":"unsupported-media-type"');
    // A JSON body with parameters in its type is fine.
    const ok = await linkRequest(sec.info, 'POST', '/v1/service/called', {
      token: sec.info.linkToken,
      body: JSON.stringify({ ticketNo: 'PLAIN2' }),
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
    });
    expect(ok.status).toBe(200);
    expect(tableCounts(sec.dataDir).services).toBe(before);
  });

  it('a body that has not arrived in full within 10 s is cut with 408 body-timeout', async () => {
    const started = Date.now();
    const slow = await hold('127.0.0.6', postHead('/v1/service/completed', 1000), '{"ticketNo":');
    const answer = await slow.answer;
    const took = Date.now() - started;
    expect(statusOf(answer)).toBe(408);
    expect(answer).toContain('"error":"body-timeout"');
    expect(took).toBeGreaterThanOrEqual(9_000);
    expect(took).toBeLessThan(20_000);
  }, 30_000);

  it('connections beyond 64 from one address get 503 busy, and the window system keeps rating', async () => {
    const held: Held[] = [];
    try {
      for (let i = 0; i < 80; i += 1) held.push(await hold('127.0.0.7', ''));
      const refused = await until('the kiosk to refuse the connections over the cap', async () => {
        const closed = await Promise.all(
          held.map((h) => Promise.race([h.answer, new Promise<null>((r) => setTimeout(() => r(null), 50))])),
        );
        const answers = closed.filter((a): a is string => a !== null);
        return answers.length >= 16 ? answers : null;
      });
      expect(refused).toHaveLength(16);
      for (const a of refused) {
        expect(statusOf(a)).toBe(503);
        expect(a).toContain('"error":"busy"');
      }
      await rateOnce();
    } finally {
      for (const h of held) h.socket.destroy();
    }
  }, 30_000);

  it('bodies held open on 256 connections stop at the shared budget with 503 busy; memory stays bounded and ratings keep working', async () => {
    const rssBefore = kioskRssMb();
    const body = Buffer.alloc(261_000 - 1, 0x20); // white space: the last byte never comes
    const held: Held[] = [];
    try {
      for (let a = 0; a < 4; a += 1) {
        for (let i = 0; i < 64; i += 1) {
          held.push(await hold(`127.0.1.${a + 1}`, postHead('/v1/service/completed', 261_000), body));
        }
      }
      // 256 × 261 KB = 67 MB offered; the budget holds 20 MiB, so about half are refused as soon as it is full.
      const busy = await until(
        'bodies over the budget to be refused',
        async () => {
          const settled = await Promise.all(
            held.map((h) =>
              Promise.race([h.answer, new Promise<null>((r) => setTimeout(() => r(null), 20))]),
            ),
          );
          const refused = settled.filter((s): s is string => s !== null && statusOf(s) === 503);
          return refused.length >= 100 ? refused : null;
        },
        20_000,
      );
      expect(busy[0]).toContain('"error":"busy"');
      await rateOnce();
      expect(kioskRssMb() - rssBefore).toBeLessThan(120);
    } finally {
      for (const h of held) h.socket.destroy();
    }
  }, 60_000);

  it('the 33rd event stream is refused with 503 too-many-streams; closing one lets a new one in', async () => {
    const head = `GET /v1/events HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${sec.info.linkToken}\r\n\r\n`;
    const streams: Held[] = [];
    try {
      for (let i = 0; i < 32; i += 1) {
        const s = await hold('127.0.0.8', head);
        let first = '';
        s.socket.on('data', (c: Buffer) => (first += c.toString('latin1')));
        await until('the stream to open', () => first.includes('200 OK'));
        streams.push(s);
      }
      const extra = await hold('127.0.0.8', head);
      const answer = await extra.answer;
      expect(statusOf(answer)).toBe(503);
      expect(answer).toContain('"error":"too-many-streams"');
      streams.pop()?.socket.destroy();
      const again = await until('a new stream to be let in once one has closed', async () => {
        const s = await hold('127.0.0.8', head);
        let text = '';
        s.socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
        await until('an answer', () => statusOf(text) !== 0);
        if (statusOf(text) === 200) return s;
        s.socket.destroy();
        return null;
      });
      streams.push(again);
    } finally {
      for (const s of streams) s.socket.destroy();
    }
  }, 30_000);
});
