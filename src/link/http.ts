/**
 * Low-level HTTP helpers for the window link: JSON answers with the fixed safety headers, error answers
 * keyed by LINK_ERRORS (band E3, whose `name` is the `error` string), and a body reader that stops at the
 * 256 KiB limit (window-link.md "Service").
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCodeInfo } from '../shared/errors/index.js';
import { LINK_ERRORS } from '../shared/errors/index.js';

export const BODY_LIMIT_BYTES = 256 * 1024;

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
]);

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
  res.end(payload);
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

export type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

/** Reads the request body, counting bytes as they stream; stops reading as soon as the limit is passed. */
export function readBody(req: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'ok', body: Buffer.concat(chunks, size) });
    const onAbort = (): void => finish({ kind: 'aborted' });
    const onClose = (): void => {
      if (!req.complete) finish({ kind: 'aborted' });
    };
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
