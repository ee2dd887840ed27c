/**
 * `national-template/1` over axios (province-profile.md "Transport", "Envelope", "Endpoints").
 * - HTTPS only; `http://` only for loopback hosts (tests, demo).
 * - TLS verification always on; an optional provisioned CA bundle is added through an https.Agent `ca`.
 * - 15 s (config) covers the WHOLE exchange: axios' own `timeout` is a socket idle timer, which a
 *   province trickling its answer byte by byte would never trip, so a total deadline aborts as well.
 * - Request bodies over 1 MiB are never sent (the worker splits the batch).
 */
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import { SYNC_ERRORS } from '../../../shared/errors/sync.js';
import type { ProvinceRecord } from '../../../shared/province-record.js';
import type {
  BatchOutcome,
  CatalogueOutcome,
  HeartbeatOutcome,
  HeartbeatPayload,
  Outcome,
  PreparedRecords,
  ProvinceAdapter,
  RecordResult,
} from '../adapter.js';
import {
  classifyStatus,
  classifyTransportError,
  failure,
  parseRetryAfter,
  provinceCodeOf,
} from './classify.js';
import { inlineSm2Encryptor, type Sm2Encryptor } from '../encryptor.js';
import { encryptPayload, sealEnvelope, type EnvelopeKeys } from './envelope.js';

export const PROFILE_ID = 'national-template/1';
export const MAX_BODY_BYTES = 1024 * 1024;

export interface NationalTemplateOptions extends EnvelopeKeys {
  baseUrl: string;
  deviceId: string;
  /** PEM text of extra trusted CAs (province private CA). */
  caBundle?: string | undefined;
  timeoutMs?: number;
  maxBodyBytes?: number;
  now?: () => number;
  /** Where SM2 runs; default: on the calling thread (the kiosk's delivery thread, src/sync/delivery/). */
  encryptor?: Sm2Encryptor;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** Throws a TypeError for a base URL the profile forbids ("Transport": http only on loopback). */
export function checkBaseUrl(baseUrl: string): URL {
  const url = new URL(baseUrl);
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && LOOPBACK.test(url.hostname)) return url;
  throw new TypeError(
    `province baseUrl must be https:// (http:// only for loopback), got ${url.protocol}//${url.hostname}`,
  );
}

const resultSchema = z.object({
  ratingId: z.string(),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  code: z.string().optional(),
  message: z.string().optional(),
});
const recordsAnswerSchema = z.object({
  success: z.boolean(),
  code: z.string(),
  results: z.array(resultSchema),
});
const heartbeatAnswerSchema = z.object({ success: z.literal(true), serverTime: z.string().optional() });

interface RawAnswer {
  status: number;
  body: string;
  clockOffsetMs: number | null;
  retryAfterMs: number | null;
}

export function createNationalTemplateAdapter(options: NationalTemplateOptions): ProvinceAdapter {
  const url = checkBaseUrl(options.baseUrl);
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const keys: EnvelopeKeys = {
    appMark: options.appMark,
    appWord: options.appWord,
    publicKey: options.publicKey,
  };
  const encryptor = options.encryptor ?? inlineSm2Encryptor;
  const httpsAgent = new https.Agent({
    keepAlive: true,
    ...(options.caBundle ? { ca: options.caBundle } : {}),
  });
  const httpAgent = new http.Agent({ keepAlive: true });
  const client: AxiosInstance = axios.create({
    baseURL: url.href.replace(/\/+$/, ''),
    timeout: timeoutMs,
    maxBodyLength: maxBody,
    maxContentLength: MAX_BODY_BYTES,
    maxRedirects: 0,
    // Loopback never goes through a proxy; real gateways follow the environment's proxy settings.
    ...(url.protocol === 'http:' ? { proxy: false as const } : {}),
    httpAgent,
    httpsAgent,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
    headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
  });

  async function post(path: string, data: string): Promise<RawAnswer | { transportFailure: unknown }> {
    const body = JSON.stringify(await sealEnvelope(data, keys, now(), encryptor));
    if (Buffer.byteLength(body) > maxBody) {
      return {
        transportFailure: Object.assign(new Error('body over 1 MiB'), {
          code: 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED',
        }),
      };
    }
    const sentAt = now();
    try {
      const res = await client.post<string>(path, body, { signal: AbortSignal.timeout(timeoutMs) });
      const receivedAt = now();
      const dateHeader = res.headers['date'];
      const serverMs = typeof dateHeader === 'string' ? Date.parse(dateHeader) : Number.NaN;
      // `Date` has 1 s resolution: +500 ms centres it; the request midpoint centres the device side.
      const clockOffsetMs = Number.isNaN(serverMs)
        ? null
        : serverMs + 500 - Math.round((sentAt + receivedAt) / 2);
      const retryAfterMs = parseRetryAfter(
        res.headers['retry-after'],
        Number.isNaN(serverMs) ? null : serverMs,
        receivedAt,
      );
      return {
        status: res.status,
        body: typeof res.data === 'string' ? res.data : '',
        clockOffsetMs,
        retryAfterMs,
      };
    } catch (error) {
      return { transportFailure: error };
    }
  }

  /** Shared status handling; `parse` turns a 200 JSON body into the endpoint's success value. */
  async function exchange<T>(
    path: string,
    data: string,
    parse: (json: unknown) => T | null,
  ): Promise<Outcome<T>> {
    const raw = await post(path, data);
    if ('transportFailure' in raw)
      return { ok: false, failure: classifyTransportError(raw.transportFailure), clockOffsetMs: null };
    const { clockOffsetMs } = raw;
    const stopOrRetry = classifyStatus(raw.status, provinceCodeOf(raw.body), raw.retryAfterMs);
    if (stopOrRetry) return { ok: false, failure: stopOrRetry, clockOffsetMs };
    let json: unknown;
    try {
      json = JSON.parse(raw.body);
    } catch {
      return {
        ok: false,
        failure: failure(SYNC_ERRORS.badAnswer, 'retry', 'answer is not JSON', { httpStatus: 200 }),
        clockOffsetMs,
      };
    }
    const value = parse(json);
    if (value === null) {
      return {
        ok: false,
        failure: failure(SYNC_ERRORS.badAnswer, 'retry', 'answer does not match the profile', {
          httpStatus: 200,
        }),
        clockOffsetMs,
      };
    }
    return { ok: true, ...value, clockOffsetMs } as Outcome<T>;
  }

  async function prepareRecords(records: readonly ProvinceRecord[]): Promise<PreparedRecords> {
    return {
      ratingIds: records.map((r) => r.ratingId),
      data: await encryptPayload({ records }, keys.publicKey, encryptor),
    };
  }

  return {
    profile: PROFILE_ID,
    prepareRecords,
    async sendRecords(batch): Promise<BatchOutcome> {
      const prepared = 'data' in batch ? batch : await prepareRecords(batch);
      return exchange('/evaluation/v1/records', prepared.data, (json) => {
        const answer = recordsAnswerSchema.safeParse(json);
        if (!answer.success || !answer.data.success) return null;
        const results: RecordResult[] = answer.data.results;
        // "one result per record, same order" (profile "Endpoints"): anything else is not trusted.
        const aligned =
          results.length === prepared.ratingIds.length &&
          results.every((r, i) => r.ratingId === prepared.ratingIds[i]);
        return aligned ? { results } : null;
      });
    },
    async fetchCatalogue(have): Promise<CatalogueOutcome> {
      const data = await encryptPayload({ deviceId: options.deviceId, have }, keys.publicKey, encryptor);
      return exchange('/evaluation/v1/catalogue', data, (json) => ({ answer: json }));
    },
    async heartbeat(payload: HeartbeatPayload): Promise<HeartbeatOutcome> {
      const data = await encryptPayload(payload, keys.publicKey, encryptor);
      return exchange('/evaluation/v1/heartbeat', data, (json) => {
        const answer = heartbeatAnswerSchema.safeParse(json);
        return answer.success ? { serverTime: answer.data.serverTime ?? null } : null;
      });
    },
    close() {
      httpsAgent.destroy();
      httpAgent.destroy();
    },
  };
}
