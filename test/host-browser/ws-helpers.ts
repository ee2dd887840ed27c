/**
 * Small helpers for talking to the browser host as a (possibly hostile) WebSocket client from Node.
 */
import http from 'node:http';
import WebSocket from 'ws';
import type { WireMessage } from '../../src/shared/kiosk-api.js';

export interface Conversation {
  ws: WebSocket;
  next(): Promise<WireMessage>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a socket with the given Origin; rejects with the HTTP status when the upgrade is refused. */
export function openSocket(port: number, origin: string | undefined): Promise<Conversation> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, origin === undefined ? {} : { origin });
  const queue: WireMessage[] = [];
  const waiters: ((message: WireMessage) => void)[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as WireMessage;
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  const next = (): Promise<WireMessage> => {
    const queued = queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      waiters.push(resolve);
      setTimeout(() => reject(new Error('no message within 3 s')), 3000).unref();
    });
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next, closed }));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

export function secretOf(url: string): string {
  return new URL(url).hash.replace(/^#s=/, '');
}

/** A raw GET whose path is sent exactly as given (no client-side normalisation of `..`). */
export function rawGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}
