/**
 * The window-link HTTP service (window-link.md): plain node:http, one pipeline per request:
 * route (404/405) → throttle (429) → token (401) → body limit (413) → JSON (400) → schema (400) → core.
 * Logs carry codes, call names and the remote address only; bodies hold ID numbers and names (domain-rules §5).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KioskError, LINK_ERRORS, SESSION_ERRORS, isKioskError } from '../shared/errors/index.js';
import type { ErrorCodeInfo } from '../shared/errors/index.js';
import { createTokenChecker } from './auth.js';
import { LINK_STATUS, parseJson, readBody, sendError, sendJson } from './http.js';
import { findCalls } from './routes.js';
import type { Answer, Call } from './routes.js';
import { createEventStreams } from './sse.js';
import { validate } from './schemas.js';
import { createFailureThrottle } from './throttle.js';
import type { LinkServer, LinkServerOptions } from './types.js';

const TIMEOUTS = { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000 } as const;
const CLOSE_GRACE_MS = 1_000;
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
    const call = found.calls.find((c) => c.method === method);
    if (!call) {
      const allow = found.calls.map((c) => c.method).join(', ');
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

    const body = await readBody(req, call.bodyLimit);
    if (body.kind === 'aborted') return;
    if (body.kind === 'too-large') return fail(req, res, remote, LINK_ERRORS.tooLarge, call.name);
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
