/**
 * Low-level HTTP helpers for the window link: JSON answers with the fixed safety headers, error answers
 * keyed by LINK_ERRORS (band E3, whose `name` is the `error` string), and a body reader that stops at the
 * 256 KiB limit (window-link.md "Service"), at a body timeout, and when the server's shared budget of bytes
 * held for bodies is spent (issue 18 item 3: 2 000 held 261 KB bodies took the kiosk to 719 MB).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCodeInfo } from '../shared/errors/index.js';
import { LINK_ERRORS } from '../shared/errors/index.js';

export const BODY_LIMIT_BYTES = 256 * 1024;

/**
 * Time a request body may take to arrive in full. A window system on the hall LAN sends 256 KiB in well under
 * a second; 10 s leaves room for a congested link while a slowloris holding bodies open is cut early (408).
 * Larger limits (the 16 MiB provisioning file) get a minute.
 */
export const BODY_TIMEOUT_MS = 10_000;
export const LARGE_BODY_TIMEOUT_MS = 60_000;

/** Bytes all requests together may hold in bodies being read: one provisioning file and then some. */
export const BODY_BUDGET_BYTES = 20 * 1024 * 1024;

export function bodyTimeoutFor(limit: number): number {
  return limit > BODY_LIMIT_BYTES ? LARGE_BODY_TIMEOUT_MS : BODY_TIMEOUT_MS;
}

/** Headers on every answer: nothing is cached, nothing is sniffed. */
export const COMMON_HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

/** HTTP status of each LINK code (E3xxx). Codes not listed here answer 500 `internal`. */
export const LINK_STATUS: ReadonlyMap<string, number> = new Map([
  [LINK_ERRORS.unauthorized.code, 401],
  [LINK_ERRORS.throttled.code, 429],
  [LINK_ERRORS.tooLarge.code, 413],
  [LINK_ERRORS.invalidBody.code, 400],
  [LINK_ERRORS.invalidJson.code, 400],
  [LINK_ERRORS.notFound.code, 404],
  [LINK_ERRORS.methodNotAllowed.code, 405],
  [LINK_ERRORS.windowNotOpen.code, 409],
  [LINK_ERRORS.internal.code, 500],
  [LINK_ERRORS.bodyTimeout.code, 408],
  [LINK_ERRORS.busy.code, 503],
  [LINK_ERRORS.tooManyStreams.code, 503],
  [LINK_ERRORS.unsupportedMediaType.code, 415],
]);

/** `application/json`, with or without parameters (`; charset=utf-8`), any letter case (RFC 9110 §8.3.1). */
export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  return (header.split(';', 1)[0] ?? '').trim().toLowerCase() === 'application/json';
}

export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const all: Record<string, string | number> = {
    ...COMMON_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': payload.length,
    ...headers,
  };
  // An answer sent before the body was read closes the connection, so Node does not drain the rest of it.
  if (!req.complete) all.connection = 'close';
  res.writeHead(status, all);
  // HEAD answers like GET, without the body (RFC 9110 §9.3.2); content-length stays that of the GET answer.
  if (req.method === 'HEAD') res.end();
  else res.end(payload);
}

export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  info: ErrorCodeInfo,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
): void {
  sendJson(req, res, LINK_STATUS.get(info.code) ?? 500, { error: info.name, ...extra }, headers);
}

export type BodyResult =
  | { kind: 'ok'; body: Buffer }
  | { kind: 'too-large' }
  | { kind: 'aborted' }
  | { kind: 'timeout' }
  | { kind: 'busy' };

/** Bytes held by all bodies being read at once, shared by every request of one server. */
export interface BodyBudget {
  /** Takes `bytes` from the budget; false (nothing taken) when they do not fit. */
  take(bytes: number): boolean;
  give(bytes: number): void;
  held(): number;
}

export function createBodyBudget(total = BODY_BUDGET_BYTES): BodyBudget {
  let held = 0;
  return {
    take(bytes) {
      if (held + bytes > total) return false;
      held += bytes;
      return true;
    },
    give(bytes) {
      held = Math.max(0, held - bytes);
    },
    held: () => held,
  };
}

export interface ReadBodyOptions {
  limit?: number;
  /** Shared byte budget; without one, only the per-request limit applies. */
  budget?: BodyBudget;
  /** Whole-body deadline from the call; default by the limit (bodyTimeoutFor). */
  timeoutMs?: number;
}

/**
 * Reads the request body, counting bytes as they stream; stops reading as soon as the limit is passed, the
 * deadline is reached, or the shared budget cannot hold the next chunk. The bytes taken from the budget are
 * given back when the read settles: the caller parses the body at once and then drops it.
 */
export function readBody(req: IncomingMessage, options: ReadBodyOptions = {}): Promise<BodyResult> {
  const limit = options.limit ?? BODY_LIMIT_BYTES;
  const budget = options.budget;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      budget?.give(size);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      if (result.kind !== 'ok') {
        // Nothing more is read: the chunks held so far are dropped now, not when the socket goes.
        chunks.length = 0;
        req.pause();
      }
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > limit) return finish({ kind: 'too-large' });
      if (budget && !budget.take(chunk.length)) return finish({ kind: 'busy' });
      size += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'ok', body: Buffer.concat(chunks, size) });
    const onAbort = (): void => finish({ kind: 'aborted' });
    const onClose = (): void => {
      if (!req.complete) finish({ kind: 'aborted' });
    };
    const timer = setTimeout(() => finish({ kind: 'timeout' }), options.timeoutMs ?? bodyTimeoutFor(limit));
    timer.unref();
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
  });
}

export type JsonResult = { ok: true; value: unknown } | { ok: false };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 JSON. An empty body reads as `{}` (window systems often send none for `signout`). */
export function parseJson(body: Buffer): JsonResult {
  try {
    const text = utf8.decode(body);
    if (text.trim() === '') return { ok: true, value: {} };
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}
