/** Request handling of the province simulator, one function per step of province-profile.md "Province-side checks". */
import { sm2Decrypt } from '../../src/sync/province/sm2.js';
import { parseEnvelopeTime } from '../../src/sync/time.js';
import type { Ledger } from './ledger.js';
import {
  cataloguePayloadSchema,
  envelopeSchema,
  heartbeatPayloadSchema,
  recordSchema,
  recordsPayloadSchema,
  type HeartbeatRecord,
} from './schemas.js';

export interface CatalogueState {
  version: string;
  reasons: Record<'2' | '1', Array<{ code: string; text: string }>>;
}

export type Opened = { ok: true; payload: unknown } | { ok: false; status: number; code: string };

export interface RecordAnswer {
  ratingId: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  code?: string;
  message?: string;
}

const TIME_WINDOW_MS = 300_000;

function decryptOrNull(hex: string, privateKey: string): string | null {
  try {
    return sm2Decrypt(hex, privateKey);
  } catch {
    return null;
  }
}

/** Envelope checks: well-formed → appMark and sign (AUTH) → time ±300 s (TIME_SKEW) → payload decrypts. */
export function openEnvelope(
  body: string,
  keys: { privateKey: string; appMark: string; appWord: string },
  serverNow: number,
): Opened {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, status: 400, code: 'BAD_ENVELOPE' };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, status: 400, code: 'BAD_ENVELOPE' };
  const { appMark, time, sign, params } = envelope.data;
  if (appMark !== keys.appMark) return { ok: false, status: 401, code: 'AUTH' };
  const signed = decryptOrNull(sign, keys.privateKey);
  if (signed === null) return { ok: false, status: 400, code: 'BAD_ENVELOPE' };
  if (signed !== time + keys.appMark + keys.appWord) return { ok: false, status: 401, code: 'AUTH' };
  const at = parseEnvelopeTime(time);
  if (at === null) return { ok: false, status: 400, code: 'BAD_ENVELOPE' };
  if (Math.abs(serverNow - at) > TIME_WINDOW_MS) return { ok: false, status: 401, code: 'TIME_SKEW' };
  const data = decryptOrNull(params.data, keys.privateKey);
  if (data === null) return { ok: false, status: 400, code: 'BAD_ENVELOPE' };
  try {
    return { ok: true, payload: JSON.parse(data) as unknown };
  } catch {
    return { ok: false, status: 400, code: 'BAD_ENVELOPE' };
  }
}

export function handleRecords(
  payload: unknown,
  ledger: Ledger,
  now: number,
  maxRecords: number,
  rejectEverySeq: number | null,
): { ok: true; results: RecordAnswer[] } | { ok: false; status: number; code: string } {
  const parsed = recordsPayloadSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, status: 400, code: 'BAD_ENVELOPE' };
  if (parsed.data.records.length > maxRecords) return { ok: false, status: 413, code: 'TOO_LARGE' };
  // One ledger transaction per request: all of a batch's records are held, or none (and the answer says so).
  const results = ledger.inTransaction(() =>
    parsed.data.records.map((raw): RecordAnswer => {
      const ratingId =
        typeof (raw as { ratingId?: unknown })?.ratingId === 'string'
          ? (raw as { ratingId: string }).ratingId
          : '';
      const record = recordSchema.safeParse(raw);
      if (!record.success) {
        const issue = record.error.issues[0];
        return {
          ratingId,
          status: 'rejected',
          code: 'FIELD_INVALID',
          message: `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
        };
      }
      const r = record.data;
      if (Number(r.satisfaction) <= 2 && r.evalDetail === undefined) {
        return {
          ratingId,
          status: 'rejected',
          code: 'REASON_REQUIRED',
          message: 'evalDetail is required for satisfaction ≤ 2',
        };
      }
      if (rejectEverySeq !== null && r.seq % rejectEverySeq === 0) {
        return { ratingId, status: 'rejected', code: 'FAULT_REJECT', message: 'rejected by fault injection' };
      }
      return { ratingId, status: ledger.accept(r, now) };
    }),
  );
  return { ok: true, results };
}

export function handleCatalogue(
  payload: unknown,
  catalogue: CatalogueState,
): { ok: true; json: unknown } | { ok: false } {
  if (!cataloguePayloadSchema.safeParse(payload).success) return { ok: false };
  return {
    ok: true,
    json: { success: true, code: '0', message: 'ok', version: catalogue.version, reasons: catalogue.reasons },
  };
}

export function handleHeartbeat(
  payload: unknown,
  log: HeartbeatRecord[],
  serverTime: string,
): { ok: true; json: unknown } | { ok: false } {
  const parsed = heartbeatPayloadSchema.safeParse(payload);
  if (!parsed.success) return { ok: false };
  log.push(parsed.data);
  return { ok: true, json: { success: true, code: '0', message: 'ok', serverTime } };
}
