/** Request handling of the province simulator, one function per endpoint (province-profile.md "Endpoints"). */
import { sm2Decrypt } from '../../src/sync/province/sm2.js';
import { parseEnvelopeTime } from '../../src/sync/time.js';
import type { PublishedCatalogue } from './catalogue.js';
import type { Ledger } from './ledger.js';
import { checkRecord, type CheckedRecord, type RecordCheckContext } from './record-checks.js';
import { checkService, type CheckedService } from './service-checks.js';
import {
  cataloguePayloadSchema,
  envelopeSchema,
  heartbeatPayloadSchema,
  recordsPayloadSchema,
  servicesPayloadSchema,
  type WireRecord,
  type WireService,
} from './schemas.js';

export type { CatalogueState } from './catalogue.js';

export type Opened = { ok: true; payload: unknown } | { ok: false; status: number; code: string };

export interface RecordAnswer {
  ratingId: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  code?: string;
  /** The field a BAD_FIELD / BAD_CERT / BAD_CODE names. */
  field?: string;
  message?: string;
}

export interface ServiceAnswer {
  serviceId: string;
  status: 'accepted' | 'duplicate' | 'rejected';
  code?: string;
  field?: string;
  message?: string;
}

type Handled<T> = { ok: true; results: T[] } | { ok: false; status: number; code: string };

const TIME_WINDOW_MS = 300_000;

/** At most 100 records or services per batch (profile "Transport", "Endpoints"). */
export const MAX_BATCH = 100;

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

const stringField = (raw: unknown, field: string): string => {
  const v = (raw as Record<string, unknown> | null)?.[field];
  return typeof v === 'string' ? v : '';
};

export function handleRecords(
  payload: unknown,
  deps: {
    ledger: Ledger;
    checks: RecordCheckContext;
    now: number;
    maxRecords: number;
    rejectEverySeq: number | null;
  },
): Handled<RecordAnswer> {
  const parsed = recordsPayloadSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, status: 400, code: 'BAD_ENVELOPE' };
  if (parsed.data.records.length > deps.maxRecords) return { ok: false, status: 413, code: 'TOO_LARGE' };
  const { ledger, now } = deps;
  // One ledger transaction per request: all of a batch's records are held, or none (and the answer says so).
  const results = ledger.inTransaction(() =>
    parsed.data.records.map((raw): RecordAnswer => {
      const ratingId = stringField(raw, 'ratingId');
      const rejection = checkRecord(raw, deps.checks);
      if (rejection) {
        ledger.noteRejection(
          {
            kind: 'record',
            id: ratingId,
            deviceId: stringField(raw, 'deviceId') || null,
            code: rejection.code,
            field: rejection.field ?? null,
            message: rejection.message,
          },
          now,
        );
        return { ratingId, status: 'rejected', ...rejection };
      }
      const r = raw as CheckedRecord;
      if (deps.rejectEverySeq !== null && r.seq % deps.rejectEverySeq === 0) {
        return { ratingId, status: 'rejected', code: 'FAULT_REJECT', message: 'rejected by fault injection' };
      }
      return { ratingId, status: ledger.acceptRecord(r as unknown as WireRecord, now) };
    }),
  );
  return { ok: true, results };
}

export function handleServices(
  payload: unknown,
  deps: { ledger: Ledger; now: number },
): Handled<ServiceAnswer> {
  const parsed = servicesPayloadSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, status: 400, code: 'BAD_ENVELOPE' };
  if (parsed.data.services.length > MAX_BATCH) return { ok: false, status: 413, code: 'TOO_LARGE' };
  const { ledger, now } = deps;
  const results = ledger.inTransaction(() =>
    parsed.data.services.map((raw): ServiceAnswer => {
      const serviceId = stringField(raw, 'serviceId');
      const rejection = checkService(raw);
      if (rejection) {
        ledger.noteRejection(
          {
            kind: 'service',
            id: serviceId,
            deviceId: stringField(raw, 'deviceId') || null,
            code: rejection.code,
            field: rejection.field ?? null,
            message: rejection.message,
          },
          now,
        );
        return { serviceId, status: 'rejected', ...rejection };
      }
      return {
        serviceId,
        status: ledger.acceptService(raw as CheckedService as unknown as WireService, now),
      };
    }),
  );
  return { ok: true, results };
}

export function handleCatalogue(
  payload: unknown,
  catalogue: PublishedCatalogue,
): { ok: true; json: unknown } | { ok: false } {
  if (!cataloguePayloadSchema.safeParse(payload).success) return { ok: false };
  return {
    ok: true,
    json: { success: true, code: '0', message: 'ok', version: catalogue.version, reasons: catalogue.reasons },
  };
}

export function handleHeartbeat(
  payload: unknown,
  ledger: Ledger,
  now: number,
  serverTime: string,
): { ok: true; json: unknown } | { ok: false } {
  const parsed = heartbeatPayloadSchema.safeParse(payload);
  if (!parsed.success) return { ok: false };
  ledger.noteHeartbeat(parsed.data, now);
  return { ok: true, json: { success: true, code: '0', message: 'ok', serverTime } };
}
