/**
 * Browser host: serves the built renderer on loopback and carries the KioskApi over a WebSocket, so the
 * whole kiosk runs in plain Chromium (e2e tests, development) without Electron.
 *
 * Who may call: only a page from this server (Origin and Host must be exactly http://127.0.0.1:<port>,
 * which also defeats DNS rebinding) that knows the per-start secret carried in the page URL's fragment
 * (fragments never reach the network or the Referer). Every call is validated by dispatchApiCall.
 */
import crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { KioskView, WireMessage } from '../../shared/kiosk-api.js';
import { HOST_ERRORS } from '../../shared/errors/index.js';
import { dispatchApiCall } from '../api-validate.js';
import type { KioskApiProvider } from '../provider.js';
import { mimeTypeFor, resolveStaticFile } from './static-files.js';

export const DEFAULT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self' ws://127.0.0.1:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export const MAX_MESSAGE_BYTES = 64 * 1024;
export const HELLO_TIMEOUT_MS = 2000;
/** RFC 6455 1008 "policy violation": wrong origin, secret or message shape. */
export const CLOSE_POLICY = 1008;
/** One kiosk page, plus room for a reload overlapping the old socket's close. */
const MAX_SOCKETS = 8;

export interface BrowserHostOptions {
  provider: KioskApiProvider;
  /** The built renderer, normally dist/renderer. */
  staticDir: string;
  /** Loopback only; the option exists so a caller cannot silently get anything else. */
  host?: '127.0.0.1';
  /** 0 (default) = any free port. */
  port?: number;
  csp?: string;
}

export interface BrowserHost {
  /** The page URL, including the per-start secret as `#s=<secret>`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
    'Cache-Control': 'no-store',
  };
}

/** Constant-time: both sides are hashed first so lengths never differ and nothing leaks through timing. */
function secretMatches(expected: string, offered: string): boolean {
  const digest = (value: string): Buffer => crypto.createHash('sha256').update(value, 'utf8').digest();
  return crypto.timingSafeEqual(digest(expected), digest(offered));
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function refuseUpgrade(socket: Duplex, status: number): void {
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error('the browser host binds to 127.0.0.1 only');
  const { provider } = options;
  const staticDir = await fs.realpath(options.staticDir);
  const headers = securityHeaders(options.csp ?? DEFAULT_CSP);
  const secret = crypto.randomBytes(32).toString('base64url');
  let origin = '';
  let hostHeader = '';

  const server = http.createServer((req, res) => {
    void serveStatic(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end();
    });
  });

  async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const plain = { ...headers, 'Content-Type': 'text/plain; charset=utf-8' };
    if (req.headers.host !== hostHeader) return void res.writeHead(403, plain).end();
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return void res.writeHead(405, { ...plain, Allow: 'GET, HEAD' }).end();
    const file = await resolveStaticFile(staticDir, req.url ?? '/');
    if (file === null) return void res.writeHead(404, plain).end();
    const body = await fs.readFile(file);
    res.writeHead(200, {
      ...headers,
      'Content-Type': mimeTypeFor(file),
      'Content-Length': String(body.length),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    perMessageDeflate: false,
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const pathname = (req.url ?? '').split('?', 1)[0];
    if (pathname !== '/api') return refuseUpgrade(socket, 404);
    // E8002: a page from any other origin (or a rebinding DNS name) must never reach the API.
    if (req.headers.origin !== origin || req.headers.host !== hostHeader) return refuseUpgrade(socket, 403);
    if (wss.clients.size >= MAX_SOCKETS) return refuseUpgrade(socket, 503);
    wss.handleUpgrade(req, socket, head, (ws) => accept(ws));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  function accept(ws: WebSocket): void {
    let authenticated = false;
    let unsubscribe: (() => void) | null = null;
    const send = (message: WireMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const pushView = (view: KioskView): void => send({ event: 'view', data: view });
    const refuse = (): void => ws.close(CLOSE_POLICY, HOST_ERRORS.forbiddenSender.code);
    const helloTimer = setTimeout(refuse, HELLO_TIMEOUT_MS);

    ws.on('message', (data, isBinary) => {
      if (isBinary) return refuse();
      const message = parseJson(rawText(data));
      if (!authenticated) {
        clearTimeout(helloTimer);
        const hello = (message as { hello?: unknown } | null | undefined)?.hello;
        if (typeof hello !== 'string' || !secretMatches(secret, hello)) return refuse();
        authenticated = true;
        unsubscribe = provider.subscribe(pushView);
        void provider.api.getView().then(pushView, () => ws.close(1011));
        return;
      }
      const request = message as { id?: unknown; method?: unknown; params?: unknown } | null | undefined;
      const id = request?.id;
      // Without a usable id there is no way to answer; the only client is our own page, so this is a bug
      // or an intruder, and the socket is closed.
      if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return refuse();
      void dispatchApiCall(provider.api, request?.method, request?.params).then((outcome) =>
        send(
          outcome.ok
            ? { id, result: outcome.value }
            : { id, error: { code: outcome.code, message: outcome.message } },
        ),
      );
    });
    // ws reports an oversized frame (> maxPayload) as an error and closes with 1009 itself.
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(helloTimer);
      unsubscribe?.();
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the browser host has no TCP address');
  const port = address.port;
  hostHeader = `${host}:${port}`;
  origin = `http://${hostHeader}`;

  return {
    url: `${origin}/#s=${secret}`,
    port,
    async close() {
      const closing = [...wss.clients].map(
        (client) =>
          new Promise<void>((resolve) => {
            client.once('close', () => resolve());
            client.close(1001, 'host stopping');
            // A page that does not answer the close handshake must not hold the host open.
            setTimeout(() => client.terminate(), 500).unref();
          }),
      );
      await Promise.all(closing);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
