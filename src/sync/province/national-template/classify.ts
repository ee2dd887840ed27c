/**
 * HTTP answer / transport error → `SyncFailure` for `national-template/1` (province-profile.md
 * "Endpoints": 400 BAD_ENVELOPE; 401 AUTH or TIME_SKEW; 413 TOO_LARGE; 429 and 503 with Retry-After;
 * other 5xx) and "Kiosk behaviour" (what is retried, what stops sending).
 */
import { SYNC_ERRORS } from '../../../shared/errors/sync.js';
import type { ErrorCodeInfo } from '../../../shared/errors/types.js';
import type { FailureAction, SyncFailure } from '../adapter.js';

/** Retry-After is honoured up to a day; a larger value is a province bug, not a reason to go silent for weeks. */
const RETRY_AFTER_MAX_MS = 86_400_000;

export function failure(
  error: ErrorCodeInfo,
  action: FailureAction,
  message: string,
  extra: Partial<Pick<SyncFailure, 'retryAfterMs' | 'httpStatus' | 'provinceCode'>> = {},
): SyncFailure {
  return {
    error,
    action,
    message,
    retryAfterMs: extra.retryAfterMs ?? null,
    httpStatus: extra.httpStatus ?? null,
    provinceCode: extra.provinceCode ?? null,
  };
}

/** `Retry-After`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: unknown, serverNow: number | null, deviceNow: number): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, RETRY_AFTER_MAX_MS);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - (serverNow ?? deviceNow)), RETRY_AFTER_MAX_MS);
}

/** The province `code` of a JSON error answer, if the body is JSON with a string `code`. */
export function provinceCodeOf(body: string): string | null {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { code?: unknown }).code === 'string') {
      return (parsed as { code: string }).code;
    }
  } catch {
    // not JSON: the status alone decides
  }
  return null;
}

/** Classifies a non-200 answer, or a 200 whose JSON says AUTH / TIME_SKEW / BAD_ENVELOPE. */
export function classifyStatus(
  status: number,
  provinceCode: string | null,
  retryAfterMs: number | null,
): SyncFailure | null {
  const extra = { httpStatus: status, provinceCode, retryAfterMs };
  if (provinceCode === 'TIME_SKEW') return failure(SYNC_ERRORS.timeSkew, 'stop', 'TIME_SKEW', extra);
  if (provinceCode === 'AUTH') return failure(SYNC_ERRORS.auth, 'stop', 'AUTH', extra);
  if (provinceCode === 'BAD_ENVELOPE') return failure(SYNC_ERRORS.badEnvelope, 'stop', 'BAD_ENVELOPE', extra);
  if (status === 200) return null;
  if (status === 400) return failure(SYNC_ERRORS.badEnvelope, 'stop', 'HTTP 400', extra);
  if (status === 401) return failure(SYNC_ERRORS.auth, 'stop', 'HTTP 401', extra);
  if (status === 413) return failure(SYNC_ERRORS.tooLarge, 'split', 'HTTP 413', extra);
  if (status === 429) return failure(SYNC_ERRORS.rateLimited, 'retry', 'HTTP 429', extra);
  if (status === 503) return failure(SYNC_ERRORS.maintenance, 'retry', 'HTTP 503', extra);
  if (status >= 500) return failure(SYNC_ERRORS.server, 'retry', `HTTP ${status}`, extra);
  // Other statuses are outside the profile (404 from a wrong baseUrl, a proxy's 3xx…): back off and retry.
  return failure(SYNC_ERRORS.badAnswer, 'retry', `HTTP ${status}`, extra);
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

/** Classifies a transport error (no HTTP answer). */
export function classifyTransportError(error: unknown): SyncFailure {
  const code = (error as { code?: unknown } | null)?.code;
  const text = typeof code === 'string' ? code : 'unknown';
  if (TLS_CODES.has(text) || text.startsWith('ERR_SSL') || text.startsWith('ERR_TLS')) {
    return failure(SYNC_ERRORS.tls, 'retry', `TLS ${text}`);
  }
  if (text === 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED') {
    return failure(SYNC_ERRORS.tooLarge, 'split', 'request body over the limit');
  }
  if (text === 'ERR_BAD_RESPONSE' || text === 'ERR_FR_MAX_CONTENT_LENGTH_EXCEEDED') {
    return failure(SYNC_ERRORS.badAnswer, 'retry', `bad answer ${text}`);
  }
  // ECONNREFUSED, ECONNRESET, ETIMEDOUT, ECONNABORTED (axios timeout), ERR_CANCELED (total deadline), DNS…
  return failure(SYNC_ERRORS.network, 'retry', `network ${text}`);
}
