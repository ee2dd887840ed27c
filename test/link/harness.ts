/**
 * Test harness for the window link: a recording test double of the kiosk core, a server on a loopback
 * port 0, and a small node:http client (so tests control Content-Length, chunking and the source address).
 */
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { KioskError, LINK_ERRORS } from '../../src/shared/errors/index.js';
import { startLinkServer } from '../../src/link/index.js';
import type {
  CompletedServiceInput,
  LinkBackend,
  LinkEvent,
  LinkServer,
  LinkServerOptions,
  ServiceState,
} from '../../src/link/index.js';

export const LINK_TOKEN = 'L'.repeat(43);
export const ADMIN_TOKEN = 'A'.repeat(43);
/** A valid GB 11643 number (the standard's own example). */
export const CERT_KEY = '11010519491231002X';

/** Calls that change something in the core: none of them may happen for a refused request. */
export const MUTATING = [
  'staffSignIn',
  'staffSignOut',
  'setWindowStatus',
  'serviceCalled',
  'serviceCompleted',
  'syncNow',
];

export class RecordingBackend implements LinkBackend {
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly listeners = new Set<(event: LinkEvent) => void>();
  windowStatus: 'open' | 'paused' | 'closed' = 'open';
  readonly sessions = new Map<string, { sessionId: string; ticketNo: string; state: ServiceState }>();
  failWith: unknown = null;

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.failWith !== null) throw this.failWith;
  }
  mutations(): string[] {
    return this.calls.map((c) => c.method).filter((m) => MUTATING.includes(m));
  }
  emit(event: LinkEvent): void {
    for (const listener of this.listeners) listener(event);
  }
  staffSignIn(input: unknown): void {
    this.record('staffSignIn', input);
  }
  staffSignOut(): void {
    this.record('staffSignOut');
  }
  setWindowStatus(status: 'open' | 'paused' | 'closed', message: string | null): void {
    this.record('setWindowStatus', status, message);
    this.windowStatus = status;
  }
  serviceCalled(ticketNo: string): void {
    this.record('serviceCalled', ticketNo);
  }
  serviceCompleted(input: CompletedServiceInput): { sessionId: string; created: boolean } {
    this.record('serviceCompleted', input);
    if (this.windowStatus !== 'open') throw new KioskError(LINK_ERRORS.windowNotOpen);
    const key = `${input.ticketNo}|${input.projectNo ?? ''}|${input.serviceNumber}`;
    const existing = this.sessions.get(key);
    if (existing) return { sessionId: existing.sessionId, created: false };
    const sessionId = `s-${this.sessions.size + 1}`;
    this.sessions.set(key, { sessionId, ticketNo: input.ticketNo, state: 'awaiting' });
    return { sessionId, created: true };
  }
  serviceState(ticketNo: string): ServiceState | null {
    this.record('serviceState', ticketNo);
    return [...this.sessions.values()].find((s) => s.ticketNo === ticketNo)?.state ?? null;
  }
  subscribe(listener: (event: LinkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  health(): { status: 'ok' | 'degraded'; version: string } {
    return { status: 'ok', version: '0.1.0' };
  }
  diagnostics(): unknown {
    this.record('diagnostics');
    return { outbox: { depth: 0 } };
  }
  ratingsSummary(date: string): unknown {
    this.record('ratingsSummary', date);
    return { date, counts: { very_satisfied: 1 }, satisfactionRate: 1 };
  }
  syncNow(): void {
    this.record('syncNow');
  }
}

export interface Harness {
  server: LinkServer;
  backend: RecordingBackend;
  clock: { now: number };
  logs: Parameters<NonNullable<LinkServerOptions['log']>>[0][];
}

export async function startHarness(extra: Partial<LinkServerOptions> = {}): Promise<Harness> {
  const backend = new RecordingBackend();
  const clock = { now: Date.parse('2024-05-01T09:00:00+08:00') };
  const logs: Harness['logs'] = [];
  const server = await startLinkServer({
    host: '127.0.0.1',
    port: 0,
    linkToken: LINK_TOKEN,
    adminToken: ADMIN_TOKEN,
    backend,
    now: () => clock.now,
    log: (entry) => logs.push(entry),
    ...extra,
  });
  return { server, backend, clock, logs };
}

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
}

export interface CallOptions {
  token?: string | null;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  localAddress?: string;
  /** Sends the body in chunks of this size without Content-Length, stopping once an answer arrives. */
  chunked?: number;
}

export function call(
  server: LinkServer,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const token = options.token === undefined ? LINK_TOKEN : options.token;
  const headers: Record<string, string> = { ...options.headers };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let payload: Buffer | null = null;
  if (options.body !== undefined) {
    payload = Buffer.isBuffer(options.body)
      ? options.body
      : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
    headers['content-type'] ??= 'application/json';
    if (options.chunked === undefined) headers['content-length'] = String(payload.length);
  }
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path,
        headers,
        agent: false,
        localAddress: options.localAddress,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            // Not JSON (an SSE stream, say): `json` stays undefined.
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    // Once answered, write errors (the server stopped reading) are expected.
    req.on('error', (error) => (answered ? undefined : reject(error)));
    if (payload === null) return void req.end();
    if (options.chunked === undefined) return void req.end(payload);
    const size = options.chunked;
    const body = payload;
    const pump = (offset: number): void => {
      if (answered || req.destroyed) return;
      if (offset >= body.length) return void req.end();
      const more = req.write(body.subarray(offset, offset + size));
      if (more) setImmediate(() => pump(offset + size));
      else req.once('drain', () => pump(offset + size));
    };
    pump(0);
  });
}

export const post = (h: Harness, path: string, body: unknown, options: CallOptions = {}) =>
  call(h.server, 'POST', path, { ...options, body });
export const get = (h: Harness, path: string, options: CallOptions = {}) =>
  call(h.server, 'GET', path, options);
