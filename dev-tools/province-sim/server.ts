/**
 * The province test server: the receiving side of `national-template/1` in full (province-profile.md
 * "Envelope", "Endpoints", "Record", "Uniqueness", "Province-side checks"), with fault injection.
 * Loopback only; `tls` makes it HTTPS (for the CA-bundle path).
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { formatRecordTime } from '../../src/sync/time.js';
import { FaultControl, type Fault } from './faults.js';
import { Ledger, type ChainBreak, type StoredRecord } from './ledger.js';
import {
  handleCatalogue,
  handleHeartbeat,
  handleRecords,
  openEnvelope,
  type CatalogueState,
} from './endpoints.js';
import type { HeartbeatRecord } from './schemas.js';

export interface ProvinceServerOptions {
  port?: number;
  /** SQLite file for the permanent de-duplication ledger, or ':memory:'. */
  dbPath: string;
  privateKey: string;
  appMark: string;
  appWord: string;
  tls?: { key: string; cert: string };
  catalogue?: CatalogueState;
  /**
   * The province's clock (epoch ms) for the envelope's 300 s `time` check, the `Date` header and the time
   * records are received; default `Date.now`. A scenario on a simulated calendar (test/hall-week, kiosks
   * under libfaketime) passes its own, so the province keeps the same time as the kiosks it hears from.
   */
  now?: () => number;
}

export interface RequestLog {
  path: string;
  /** Epoch ms the request arrived (complete body read). */
  at: number;
  /** Epoch ms just before the answer was written, null when none was (timeout, reset). */
  answeredAt: number | null;
  status: number | null;
  code: string | null;
  fault: Fault['kind'] | null;
  retryAfterSec: number | null;
  records: number;
  /** The request body as received (tests check that appWord never travels in clear). */
  body: string;
}

export interface ProvinceServer {
  url: string;
  close(): Promise<void>;
  faults: FaultControl;
  stats: { requests: RequestLog[]; heartbeats: HeartbeatRecord[]; catalogue: CatalogueState };
  records(): StoredRecord[];
  chainBreaks(): ChainBreak[];
}

const MAX_BODY = 1024 * 1024;

export const DEFAULT_PROVINCE_CATALOGUE: CatalogueState = {
  version: 'hi-2026.1',
  reasons: {
    '2': [
      { code: '501', text: '等候时间过长' },
      { code: '521', text: '态度冷淡或不耐烦' },
      { code: '901', text: '窗口开放数量不足' },
    ],
    '1': [
      { code: '501', text: '等候时间过长' },
      { code: '531', text: '存在推诿扯皮' },
      { code: '902', text: '办事流程繁琐' },
    ],
  },
};

function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startProvinceServer(options: ProvinceServerOptions): Promise<ProvinceServer> {
  const ledger = new Ledger(options.dbPath);
  const provinceNow = options.now ?? Date.now;
  const faults = new FaultControl();
  const stats: ProvinceServer['stats'] = {
    requests: [],
    heartbeats: [],
    catalogue: options.catalogue ?? DEFAULT_PROVINCE_CATALOGUE,
  };
  const slowTimers = new Set<NodeJS.Timeout>();

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const body = await readBody(req);
    const entry: RequestLog = {
      path,
      at: Date.now(),
      answeredAt: null,
      status: null,
      code: null,
      fault: null,
      retryAfterSec: null,
      records: 0,
      body: body ?? '',
    };
    stats.requests.push(entry);
    const fault = faults.take(path);
    entry.fault = fault?.kind ?? null;
    const skewMs = fault?.kind === 'timeSkew' ? (fault.skewSec ?? 600) * 1000 : 0;
    const serverNow = provinceNow() + skewMs;

    const send = (
      status: number,
      json: unknown,
      headers: Record<string, string> = {},
      raw?: string,
    ): void => {
      const text = raw ?? JSON.stringify(json);
      entry.status = status;
      entry.code =
        typeof (json as { code?: unknown })?.code === 'string' ? (json as { code: string }).code : null;
      entry.retryAfterSec = headers['Retry-After'] ? Number(headers['Retry-After']) : null;
      res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(text),
        Date: new Date(serverNow).toUTCString(),
        ...headers,
      });
      // Stamped before the first byte leaves, so the client can only have the answer later than this.
      entry.answeredAt = Date.now();
      if (fault?.kind === 'slowBody' && status === 200) {
        let i = 0;
        const bytes = Buffer.from(text);
        const drip = setInterval(() => {
          if (res.destroyed || i >= bytes.length) {
            clearInterval(drip);
            slowTimers.delete(drip);
            if (!res.destroyed) res.end();
            return;
          }
          res.write(bytes.subarray(i, i + 1));
          i += 1;
        }, fault.byteEveryMs);
        slowTimers.add(drip);
        return;
      }
      res.end(text);
    };
    const error = (status: number, code: string, headers?: Record<string, string>) =>
      send(status, { success: false, code, message: code }, headers);

    if (
      !['/evaluation/v1/records', '/evaluation/v1/catalogue', '/evaluation/v1/heartbeat'].includes(path) ||
      req.method !== 'POST'
    ) {
      return error(404, 'NOT_FOUND');
    }
    if (body === null) return error(413, 'TOO_LARGE');
    // Faults answered before any processing.
    if (fault?.kind === 'status500') return error(500, 'INTERNAL');
    if (fault?.kind === 'maintenance503')
      return error(503, 'MAINTENANCE', { 'Retry-After': String(fault.retryAfterSec) });
    if (fault?.kind === 'rateLimit429')
      return error(429, 'RATE_LIMIT', { 'Retry-After': String(fault.retryAfterSec) });
    if (fault?.kind === 'auth') return error(401, 'AUTH');
    if (fault?.kind === 'badEnvelope') return error(400, 'BAD_ENVELOPE');

    const opened = openEnvelope(body, options, serverNow);
    if (!opened.ok) return error(opened.status, opened.code);

    if (path === '/evaluation/v1/catalogue') {
      const answer = handleCatalogue(opened.payload, stats.catalogue);
      return answer.ok ? send(200, answer.json) : error(400, 'BAD_ENVELOPE');
    }
    if (path === '/evaluation/v1/heartbeat') {
      const answer = handleHeartbeat(opened.payload, stats.heartbeats, formatRecordTime(serverNow));
      return answer.ok ? send(200, answer.json) : error(400, 'BAD_ENVELOPE');
    }
    const maxRecords = fault?.kind === 'tooLarge' ? fault.maxRecords : 100;
    const outcome = handleRecords(
      opened.payload,
      ledger,
      provinceNow(),
      maxRecords,
      fault?.kind === 'reject' ? fault.everySeq : null,
    );
    entry.records = outcome.ok ? outcome.results.length : 0;
    if (!outcome.ok) return error(outcome.status, outcome.code);
    // Faults that lose or spoil the answer AFTER the batch was processed.
    if (fault?.kind === 'timeout') return; // the socket stays open; close() destroys it
    if (fault?.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'malformed') {
      if (fault.variant === 'json') return send(200, null, {}, '{"success": true, "results": [');
      return send(200, { success: true, code: '0', message: 'ok', results: outcome.results.slice(1) });
    }
    send(200, { success: true, code: '0', message: 'ok', results: outcome.results });
  }

  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    faults,
    stats,
    records: () => ledger.records(),
    chainBreaks: () => ledger.chainBreaks(),
    async close() {
      for (const t of slowTimers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      ledger.close();
    },
  };
}
