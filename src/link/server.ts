/**
 * The window-link HTTP service (window-link.md): plain node:http, one pipeline per request:
 * route (404/405) → throttle (429) → token (401) → content type (415) → body limit (413), body timeout (408),
 * body budget (503) → JSON (400) → schema (400) → core. Connections are capped per address and in all, and
 * event streams in all (issue 18 item 3: memory under held connections stays bounded). Logs carry codes, call names and the remote address only; bodies hold ID numbers and names (domain-rules §5).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KioskError, LINK_ERRORS, SESSION_ERRORS, isKioskError } from '../shared/errors/index.js';
import type { ErrorCodeInfo } from '../shared/errors/index.js';
import { createTokenChecker } from './auth.js';
import {
  COMMON_HEADERS,
  LINK_STATUS,
  createBodyBudget,
  isJsonContentType,
  parseJson,
  readBody,
  sendError,
  sendJson,
} from './http.js';
import { findCalls } from './routes.js';
import type { Answer, Call } from './routes.js';
import { createEventStreams } from './sse.js';
import { validate } from './schemas.js';
import { createFailureThrottle } from './throttle.js';
import type { LinkServer, LinkServerOptions } from './types.js';

const TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 } as const;
const CLOSE_GRACE_MS = 1_000;
/**
 * Open connections one address may hold. A window system uses a handful (one per call in flight plus the
 * event stream); 64 leaves it room while one flooding host cannot take the whole server.
 */
export const MAX_CONNECTIONS_PER_ADDRESS = 64;
/**
 * Open connections in all: each costs a socket, an HTTP parser and what it has read ahead (up to tens of KB);
 * 512 keeps 2 000 held bodies under 300 MB (bench link-hold) and is far above a hall's needs.
 */
export const MAX_CONNECTIONS = 512;
/** Open `/v1/events` streams in all: one or two per window system; every stream gets every event. */
export const MAX_EVENT_STREAMS = 32;
const LINK_INFO_BY_CODE = new Map<string, ErrorCodeInfo>(
  Object.values(LINK_ERRORS).map((info) => [info.code, info]),
);

/** `::ffff:10.0.0.5` and `10.0.0.5` are the same caller for the throttle. */
function remoteOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** The LINK code to answer for an error the core threw, or null for "internal" (message never leaked). */
function mappedInfo(error: unknown): ErrorCodeInfo | null {
  if (!isKioskError(error)) return null;
  // The session band's window-not-open means the same to the window system.
  if (error.code === SESSION_ERRORS.windowNotOpen.code) return LINK_ERRORS.windowNotOpen;
  const info = LINK_INFO_BY_CODE.get(error.code);
  return info && info !== LINK_ERRORS.internal && LINK_STATUS.has(info.code) ? info : null;
}

export function startLinkServer(options: LinkServerOptions): Promise<LinkServer> {
  const { backend } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  if (options.linkToken.length === 0 || options.adminToken.length === 0) {
    return Promise.reject(new KioskError(LINK_ERRORS.listenFailed, 'the link and admin tokens must be set'));
  }
  const tokens = createTokenChecker(options);
  const throttle = createFailureThrottle();
  const bodyBudget = createBodyBudget();
  const streams = createEventStreams(backend, options.sseKeepAliveMs ?? 15_000, (reason) =>
    log({ level: 'warn', code: LINK_ERRORS.internal.code, msg: `event stream: dropped (${reason})` }),
  );

  const fail = (
    req: IncomingMessage,
    res: ServerResponse,
    remote: string,
    info: ErrorCodeInfo,
    name: string,
    extra: Record<string, string> = {},
    headers: Record<string, string> = {},
  ): void => {
    log({ level: 'warn', code: info.code, msg: `${name}: ${info.name}`, remote });
    sendError(req, res, info, extra, headers);
  };

  const answer = (
    req: IncomingMessage,
    res: ServerResponse,
    remote: string,
    call: Call,
    result: Answer,
  ): void => {
    switch (result.kind) {
      case 'json':
        log({ level: 'info', msg: `${call.name}: ${result.status}`, remote });
        sendJson(req, res, result.status, result.body);
        return;
      case 'not-found':
        fail(req, res, remote, LINK_ERRORS.notFound, call.name);
        return;
      case 'invalid':
        fail(req, res, remote, LINK_ERRORS.invalidBody, call.name, { field: result.field });
        return;
      case 'events':
        if (req.method === 'HEAD') {
          res.writeHead(200, { ...COMMON_HEADERS, 'content-type': 'text/event-stream; charset=utf-8' });
          res.end();
          return;
        }
        if (streams.count() >= MAX_EVENT_STREAMS) {
          fail(req, res, remote, LINK_ERRORS.tooManyStreams, call.name);
          return;
        }
        log({ level: 'info', msg: `${call.name}: stream opened`, remote });
        streams.open(req, res);
        return;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const remote = remoteOf(req);
    const method = req.method ?? '';
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://link.invalid');
    } catch {
      return fail(req, res, remote, LINK_ERRORS.notFound, `${method} (unparsable path)`);
    }
    const found = findCalls(url.pathname);
    if (!found) return fail(req, res, remote, LINK_ERRORS.notFound, `${method} (unknown path)`);
    // HEAD is GET without the body (RFC 9110 §9.3.2): monitoring probes `HEAD /v1/health`.
    const lookup = method === 'HEAD' ? 'GET' : method;
    const call = found.calls.find((c) => c.method === lookup);
    if (!call) {
      const methods = found.calls.map((c) => c.method);
      const allow = (methods.includes('GET') ? [...methods, 'HEAD'] : methods).join(', ');
      return fail(
        req,
        res,
        remote,
        LINK_ERRORS.methodNotAllowed,
        `${method} ${found.calls[0]?.name ?? ''}`,
        {},
        { allow },
      );
    }

    const only = options.onlyCalls;
    if (only && !only.names.has(call.name)) {
      // Setup mode: the call exists but this device cannot serve it yet (503, window-link.md r2).
      log({ level: 'warn', code: only.refusal.code, msg: `${call.name}: ${only.refusal.name}`, remote });
      return sendJson(req, res, 503, { error: only.refusal.name, code: only.refusal.code });
    }

    if (call.auth !== null) {
      // 429 for a minute after more than 20 failures (window-link.md), even with the right token.
      const throttled = (retryAfterSec: number) =>
        fail(
          req,
          res,
          remote,
          LINK_ERRORS.throttled,
          call.name,
          {},
          { 'retry-after': String(retryAfterSec) },
        );
      const blocked = throttle.check(remote, now());
      if (blocked.blocked) return throttled(blocked.retryAfterSec);
      if (!tokens.matches(call.auth, req.headers.authorization)) {
        const verdict = throttle.recordFailure(remote, now());
        if (verdict.blocked) return throttled(verdict.retryAfterSec);
        return fail(
          req,
          res,
          remote,
          LINK_ERRORS.unauthorized,
          call.name,
          {},
          { 'www-authenticate': 'Bearer' },
        );
      }
    }

    const ctx = { backend, now, url, param: found.param, remote };
    if (call.method === 'GET') return answer(req, res, remote, call, call.run(ctx));

    // A body is JSON only when it says so: a text/plain POST is what a foreign web page can send without a
    // CORS preflight, so it is refused (415) before a byte of it is read. An empty body needs no type (signout).
    const contentType = req.headers['content-type'];
    if (contentType !== undefined && !isJsonContentType(contentType)) {
      return fail(req, res, remote, LINK_ERRORS.unsupportedMediaType, call.name);
    }
    const body = await readBody(req, { limit: call.bodyLimit, budget: bodyBudget });
    if (body.kind === 'aborted') return;
    if (body.kind === 'too-large') return fail(req, res, remote, LINK_ERRORS.tooLarge, call.name);
    if (body.kind === 'timeout') return fail(req, res, remote, LINK_ERRORS.bodyTimeout, call.name);
    if (body.kind === 'busy') return fail(req, res, remote, LINK_ERRORS.busy, call.name);
    if (contentType === undefined && body.body.length > 0) {
      return fail(req, res, remote, LINK_ERRORS.unsupportedMediaType, call.name);
    }
    const json = parseJson(body.body);
    if (!json.ok) return fail(req, res, remote, LINK_ERRORS.invalidJson, call.name);
    const valid = validate(call.schema, json.value);
    if (!valid.ok) return fail(req, res, remote, LINK_ERRORS.invalidBody, call.name, { field: valid.field });
    return answer(req, res, remote, call, call.run(ctx, valid.value));
  };

  const server: Server = createServer({ ...TIMEOUTS }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      const remote = remoteOf(req);
      const info = mappedInfo(error);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (info) return fail(req, res, remote, info, `${req.method ?? ''} ${req.url?.split('?')[0] ?? ''}`);
      // The cause's code (if any) goes to the log; its message may hold anything, so it goes nowhere.
      const causeCode = isKioskError(error) ? error.code : error instanceof Error ? error.name : typeof error;
      log({
        level: 'warn',
        code: LINK_ERRORS.internal.code,
        msg: `internal error (cause ${causeCode})`,
        remote,
      });
      sendError(req, res, LINK_ERRORS.internal);
    });
  });
  server.headersTimeout = TIMEOUTS.headersTimeout;
  server.requestTimeout = TIMEOUTS.requestTimeout;
  server.keepAliveTimeout = TIMEOUTS.keepAliveTimeout;
  server.maxConnections = MAX_CONNECTIONS;
  const perAddress = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = (socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
    const open = (perAddress.get(address) ?? 0) + 1;
    if (open > MAX_CONNECTIONS_PER_ADDRESS) {
      // A coded refusal the caller can read, then the socket goes: its request is never parsed.
      const body = JSON.stringify({ error: LINK_ERRORS.busy.name });
      socket.end(
        `HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nretry-after: 5\r\n\r\n${body}`,
      );
      socket.destroySoon();
      return;
    }
    perAddress.set(address, open);
    socket.once('close', () => {
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left <= 0) perAddress.delete(address);
      else perAddress.set(address, left);
    });
  });
  // Malformed HTTP never reaches `handle`: answer it plainly and close (no body, nothing logged but the code).
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });

  return new Promise((resolve, reject) => {
    const onListenError = (error: NodeJS.ErrnoException): void => {
      reject(
        new KioskError(
          LINK_ERRORS.listenFailed,
          `cannot listen on ${options.host}:${options.port} (${error.code ?? 'error'})`,
          { host: options.host, port: options.port },
          { cause: error },
        ),
      );
    };
    server.once('error', onListenError);
    server.listen(options.port, options.host, () => {
      server.off('error', onListenError);
      const port = (server.address() as AddressInfo).port;
      const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
      log({ level: 'info', msg: `window link listening on ${hostPart}:${port}` });
      let closing: Promise<void> | null = null;
      resolve({
        url: `http://${hostPart}:${port}`,
        port,
        close() {
          closing ??= new Promise<void>((done) => {
            streams.closeAll();
            server.close(() => done());
            server.closeIdleConnections();
            // Requests still uploading get a moment, then every connection is cut.
            setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS).unref();
          });
          return closing;
        },
      });
    });
  });
}
