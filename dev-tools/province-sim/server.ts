/**
 * The province test server: the receiving side of `national-template/1` in full, as strict as a conforming
 * province (province-profile.md "Envelope", "Endpoints", "Record", "Service" ⟨r2⟩, "Uniqueness",
 * "Province-side checks"), with fault injection. Loopback only; `tls` makes it HTTPS (for the CA-bundle path).
 * Its checks are its own (record-checks.ts, cert-checks.ts, canonical.ts), never the kiosk's: an
 * independent receiver is what catches the kiosk's defects.
 *
 * What it answers (HTTP status, then `code`):
 * - 400 `BAD_ENVELOPE`: body not JSON, envelope malformed, `sign` or `params.data` does not decrypt, the
 *   payload is not the endpoint's shape. 401 `AUTH`: wrong appMark or sign. 401 `TIME_SKEW`: `time` more than
 *   300 s from the province's clock. 413 `TOO_LARGE`: body over 1 MiB, or more than 100 records / services.
 *   404 `NOT_FOUND`: another path or method. Faults (faults.ts) add 500 `INTERNAL`, 503 `MAINTENANCE`,
 *   429 `RATE_LIMIT`.
 * - Per record / service, `rejected` with:
 *   `BAD_FIELD` (+ `field`): a required field absent, a field malformed, empty, not a string (`seq` a whole
 *     number ≥ 1, `flags` an array of strings), not a field of the record; an identity triple incomplete
 *     (applicant userName/userPageType/certKey, handler handleUserName/handleUserPageType/handleUserPageCode:
 *     all three or none); `mobile` on a rating above 2; `sig` absent when `requireSignature`.
 *   `IDENTITY_ON_DEFAULT` (+ `field`): `isDefault "1"` with any identity field (profile "Defaults" ⟨r2⟩).
 *   `BAD_CERT` (+ `field`): `userPageType` / `handleUserPageType` not a provisioned 证件类型 code for that party
 *     (a legal person's applicant is its 统一社会信用代码; a natural person and a handler never are), or the
 *     number failing its type's check.
 *   `BAD_CODE` (+ `field`): an `evalDetail` code that is `local:`, or not in the named catalogue version for
 *     the record's level, or a `catalogueVersion` this province never published.
 *   `REASON_REQUIRED`: a 差评 (satisfaction ≤ 2) without what `badNeeds` asks (`codes`: evalDetail;
 *     `codesOrText`, the default: evalDetail or a non-empty writingEvaluation).
 *   `IDENTITY_ON_SERVICE` (+ `field`): a Service record with an identity field.
 *   `FAULT_REJECT`: fault injection.
 * - `duplicate`: a record whose ratingId or (projectNo, proStatus, assessNumber) was seen; a service whose
 *   serviceId or (projectNo, serviceNumber, proStatus) was seen.
 * - Chain and signature mismatches are accepted and reported: `chainBreaks()`, `signatureBreaks()`.
 *
 * It keeps nothing growing in memory (issue 18 item 7): records, services, logs are rows of its SQLite
 * file, identity values masked; only the bodies of the last few requests are held, for tests.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { formatCompactDate, formatRecordTime } from '../../src/sync/time.js';
import { DEFAULT_CERT_TYPES, type CertTypeTable } from './cert-checks.js';
import {
  DEFAULT_PROVINCE_CATALOGUE,
  publishable,
  type CatalogueState,
  type PublishedCatalogue,
} from './catalogue.js';
import {
  handleCatalogue,
  handleHeartbeat,
  handleRecords,
  handleServices,
  MAX_BATCH,
  openEnvelope,
} from './endpoints.js';
import { FaultControl, type Fault } from './faults.js';
import {
  Ledger,
  type ChainBreak,
  type Rejected,
  type SignatureBreak,
  type StoredRecord,
  type StoredService,
} from './ledger.js';
import type { BadNeeds } from './record-checks.js';
import type { HeartbeatRecord } from './schemas.js';

export { DEFAULT_PROVINCE_CATALOGUE } from './catalogue.js';
export { DEFAULT_CERT_TYPES } from './cert-checks.js';

export interface ProvinceServerOptions {
  port?: number;
  /** SQLite file for the permanent ledger, or ':memory:'. */
  dbPath: string;
  privateKey: string;
  appMark: string;
  appWord: string;
  tls?: { key: string; cert: string };
  /** The catalogue served (and published: a version once served stays valid for records). */
  catalogue?: CatalogueState;
  /** The provisioned 证件类型 table; default the profile's ("111", "554", "553", "001"). */
  certTypes?: CertTypeTable;
  /** What a 差评 needs (profile `badNeeds`); default `codesOrText`. */
  badNeeds?: BadNeeds;
  /**
   * Reject a record without `sig` (`BAD_FIELD sig`). Default false: the kiosk does not sign yet (issue 15
   * item 9: a later issue adds `sig`), so an absent `sig` is accepted and reported in `signatureBreaks()`.
   */
  requireSignature?: boolean;
  /** The province's clock (TIME_SKEW, serverTime, the Date header, birth dates); default Date.now. */
  now?: () => number;
  /** How many recent request bodies to hold for tests (default 64, at most 8 MiB in all). */
  keepBodies?: number;
}

export interface RequestLog {
  path: string;
  /** Epoch ms (real time) the request arrived (complete body read). */
  at: number;
  /** Epoch ms (real time) just before the answer was written, null when none was (timeout, reset). */
  answeredAt: number | null;
  status: number | null;
  code: string | null;
  fault: Fault['kind'] | null;
  retryAfterSec: number | null;
  records: number;
  /** The request body as received, for the last `keepBodies` requests ('' for older ones). */
  body: string;
}

export interface ProvinceServer {
  url: string;
  close(): Promise<void>;
  faults: FaultControl;
  /** Queries over the ledger, read afresh on each access. */
  stats: {
    readonly requests: RequestLog[];
    readonly heartbeats: HeartbeatRecord[];
    /** The catalogue served now; assigning publishes a new one. */
    catalogue: PublishedCatalogue;
  };
  records(): StoredRecord[];
  record(ratingId: string): StoredRecord | null;
  services(): StoredService[];
  rejections(): Rejected[];
  chainBreaks(): ChainBreak[];
  signatureBreaks(): SignatureBreak[];
  /** Serves (and publishes) another catalogue version; earlier versions stay valid for records. */
  publishCatalogue(catalogue: CatalogueState): void;
  catalogueVersions(): string[];
  deviceKey(deviceId: string): string | null;
}

const MAX_BODY = 1024 * 1024;
const KEPT_BODY_BYTES = 8 * 1024 * 1024;
const PATHS = [
  '/evaluation/v1/records',
  '/evaluation/v1/services',
  '/evaluation/v1/catalogue',
  '/evaluation/v1/heartbeat',
];

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

/** The last n request bodies, bounded in bytes too (the request log itself is in the ledger). */
class RecentBodies {
  private readonly bodies = new Map<number, string>();
  private bytes = 0;
  constructor(private readonly keep: number) {}

  add(id: number, body: string): void {
    if (this.keep <= 0) return;
    this.bodies.set(id, body);
    this.bytes += body.length;
    for (const [oldest, text] of this.bodies) {
      if (this.bodies.size <= this.keep && this.bytes <= KEPT_BODY_BYTES) break;
      this.bodies.delete(oldest);
      this.bytes -= text.length;
    }
  }

  get(id: number): string {
    return this.bodies.get(id) ?? '';
  }
}

export async function startProvinceServer(options: ProvinceServerOptions): Promise<ProvinceServer> {
  const clock = options.now ?? Date.now;
  const ledger = new Ledger(options.dbPath);
  const faults = new FaultControl();
  const bodies = new RecentBodies(options.keepBodies ?? 64);
  let catalogue = publishable(options.catalogue ?? DEFAULT_PROVINCE_CATALOGUE);
  ledger.publishCatalogue(catalogue, clock());
  const checks = {
    certTypes: options.certTypes ?? DEFAULT_CERT_TYPES,
    badNeeds: options.badNeeds ?? 'codesOrText',
    requireSignature: options.requireSignature ?? false,
    catalogue: (version: string) => ledger.catalogueCodes(version),
    today: '',
  };
  const slowTimers = new Set<NodeJS.Timeout>();

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? '';
    const body = await readBody(req);
    const fault = faults.take(path);
    const entry = {
      answeredAt: null as number | null,
      status: null as number | null,
      code: null as string | null,
      retryAfterSec: null as number | null,
      records: 0,
    };
    const requestId = ledger.startRequest(path, Date.now(), fault?.kind ?? null);
    bodies.add(requestId, body ?? '');
    const skewMs = fault?.kind === 'timeSkew' ? (fault.skewSec ?? 600) * 1000 : 0;
    const serverNow = clock() + skewMs;

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
      ledger.finishRequest(requestId, entry);
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

    if (!PATHS.includes(path) || req.method !== 'POST') return error(404, 'NOT_FOUND');
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
      const answer = handleCatalogue(opened.payload, catalogue);
      return answer.ok ? send(200, answer.json) : error(400, 'BAD_ENVELOPE');
    }
    if (path === '/evaluation/v1/heartbeat') {
      const answer = handleHeartbeat(opened.payload, ledger, serverNow, formatRecordTime(serverNow));
      return answer.ok ? send(200, answer.json) : error(400, 'BAD_ENVELOPE');
    }
    const outcome =
      path === '/evaluation/v1/services'
        ? handleServices(opened.payload, { ledger, now: serverNow })
        : handleRecords(opened.payload, {
            ledger,
            checks: { ...checks, today: formatCompactDate(serverNow) },
            now: serverNow,
            maxRecords: fault?.kind === 'tooLarge' ? fault.maxRecords : MAX_BATCH,
            rejectEverySeq: fault?.kind === 'reject' ? fault.everySeq : null,
          });
    entry.records = outcome.ok ? outcome.results.length : 0;
    ledger.finishRequest(requestId, entry);
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
  const publish = (next: CatalogueState): void => {
    catalogue = publishable(next);
    ledger.publishCatalogue(catalogue, clock());
  };
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    faults,
    stats: {
      get requests(): RequestLog[] {
        return ledger.requests().map(({ id, ...row }) => ({
          ...row,
          fault: row.fault as Fault['kind'] | null,
          body: bodies.get(id),
        }));
      },
      get heartbeats(): HeartbeatRecord[] {
        return ledger.heartbeats();
      },
      get catalogue(): PublishedCatalogue {
        return catalogue;
      },
      set catalogue(next: PublishedCatalogue) {
        publish(next);
      },
    },
    records: () => ledger.records(),
    record: (ratingId) => ledger.record(ratingId),
    services: () => ledger.services(),
    rejections: () => ledger.rejections(),
    chainBreaks: () => ledger.chainBreaks(),
    signatureBreaks: () => ledger.signatureBreaks(),
    publishCatalogue: publish,
    catalogueVersions: () => ledger.publishedVersions(),
    deviceKey: (deviceId) => ledger.deviceKey(deviceId),
    async close() {
      for (const t of slowTimers) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      ledger.close();
    },
  };
}
