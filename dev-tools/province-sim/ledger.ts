/**
 * The simulator's permanent store (SQLite): records and services with their de-duplication
 * (province-profile.md "Uniqueness", "Service" ⟨r2⟩), every catalogue version it published, pinned device
 * keys, and bounded logs of requests, heartbeats and rejections. Everything tests read is a query here, not
 * an array growing in memory (issue 18 item 7). Identity values are stored masked only (identity-mask.ts).
 */
import Database from 'better-sqlite3';
import { codesByLevel, type PublishedCatalogue, type SatisfactionKey } from './catalogue.js';
import {
  deviceChainBreaks,
  recordSignatureBreak,
  type ChainBreak,
  type SignatureBreak,
} from './chain-check.js';
import { maskIdentity } from './identity-mask.js';
import type { HeartbeatRecord, WireRecord, WireService } from './schemas.js';

export type { ChainBreak, SignatureBreak } from './chain-check.js';

export interface StoredRecord {
  record: WireRecord;
  receivedAt: number;
}

export interface StoredService {
  service: WireService;
  receivedAt: number;
}

export interface Rejected {
  kind: 'record' | 'service';
  /** ratingId or serviceId ('' when the item had none). */
  id: string;
  deviceId: string | null;
  code: string;
  field: string | null;
  message: string;
  at: number;
}

export interface RequestRow {
  id: number;
  path: string;
  at: number;
  answeredAt: number | null;
  status: number | null;
  code: string | null;
  fault: string | null;
  retryAfterSec: number | null;
  records: number;
}

/** How many log rows are kept (oldest dropped): a demo runs for weeks. */
const LOG_ROWS_KEPT = 100_000;

/**
 * Layout versions (PRAGMA user_version): 0 = the first simulator (clear identity, unique by
 * (projectNo, assessNumber)); 1 = this one.
 */
const LAYOUT = 1;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS records (
    rating_id TEXT PRIMARY KEY,
    project_no TEXT NOT NULL,
    pro_status TEXT NOT NULL,
    assess_number TEXT NOT NULL,
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    json TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    UNIQUE (project_no, pro_status, assess_number)
  );
  CREATE INDEX IF NOT EXISTS records_chain ON records (device_id, seq);
  CREATE TABLE IF NOT EXISTS services (
    service_id TEXT PRIMARY KEY,
    project_no TEXT NOT NULL,
    service_number TEXT NOT NULL,
    pro_status TEXT NOT NULL,
    json TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    UNIQUE (project_no, service_number, pro_status)
  );
  CREATE TABLE IF NOT EXISTS catalogues (
    version TEXT PRIMARY KEY,
    json TEXT NOT NULL,
    published_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS device_keys (
    device_id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    pinned_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS key_conflicts (
    device_id TEXT NOT NULL,
    offered_key TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (device_id, offered_key)
  );
  CREATE TABLE IF NOT EXISTS heartbeats (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id TEXT NOT NULL,
    json TEXT NOT NULL,
    received_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL,
    at INTEGER NOT NULL,
    answered_at INTEGER,
    status INTEGER,
    code TEXT,
    fault TEXT,
    retry_after_sec INTEGER,
    records INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS rejections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    device_id TEXT,
    code TEXT NOT NULL,
    field TEXT,
    message TEXT NOT NULL,
    at INTEGER NOT NULL
  );`;

/**
 * Layout 0 → 1: every record kept (nothing already stored is lost), its identity masked, the uniqueness
 * key gaining proStatus (all old records are "3": the old simulator accepted nothing else).
 */
function migrateFromLayout0(db: Database.Database): boolean {
  const old = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'records'")
    .get() as unknown;
  if (!old) return false;
  const columns = db.prepare('PRAGMA table_info(records)').all() as Array<{ name: string }>;
  if (columns.some((c) => c.name === 'pro_status')) return false;
  // The index would move with the renamed table and keep its name from the new one.
  db.exec('DROP INDEX IF EXISTS records_chain');
  db.exec('ALTER TABLE records RENAME TO records_layout0');
  db.exec(SCHEMA);
  const insert = db.prepare(
    'INSERT OR IGNORE INTO records (rating_id, project_no, pro_status, assess_number, device_id, seq, json, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  // Read whole, then written: a statement cannot insert while another one iterates on the connection.
  const rows = db.prepare('SELECT json, received_at FROM records_layout0').all() as Array<{
    json: string;
    received_at: number;
  }>;
  for (const row of rows) {
    const record = maskIdentity(JSON.parse(row.json) as WireRecord);
    insert.run(
      record.ratingId,
      record.projectNo,
      record.proStatus ?? '3',
      record.assessNumber,
      record.deviceId,
      record.seq,
      JSON.stringify(record),
      row.received_at,
    );
  }
  db.exec('DROP TABLE records_layout0');
  return true;
}

export class Ledger {
  private readonly db: Database.Database;
  private readonly stmt: {
    recordSeen: Database.Statement;
    recordInsert: Database.Statement;
    serviceSeen: Database.Statement;
    serviceInsert: Database.Statement;
    rejectionInsert: Database.Statement;
    requestInsert: Database.Statement;
    requestUpdate: Database.Statement;
  };
  private readonly catalogueCache = new Map<string, Record<SatisfactionKey, ReadonlySet<string>> | null>();
  private logInserts = 0;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // Freed pages are zeroed: the layout-0 rows held identity in clear.
    this.db.pragma('secure_delete = ON');
    const layout = this.db.pragma('user_version', { simple: true }) as number;
    if (layout < LAYOUT) {
      const migrated = this.db.transaction(() => {
        const moved = migrateFromLayout0(this.db);
        this.db.exec(SCHEMA);
        this.db.pragma(`user_version = ${LAYOUT}`);
        return moved;
      })();
      if (migrated) {
        // Rewrites the file without the old pages, then empties the WAL that held the copy.
        this.db.exec('VACUUM');
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      }
    }
    this.db.exec(SCHEMA);
    // Prepared once: the drain benchmark sends 100 000 records through acceptRecord().
    this.stmt = {
      recordSeen: this.db.prepare(
        'SELECT 1 FROM records WHERE rating_id = ? OR (project_no = ? AND pro_status = ? AND assess_number = ?) LIMIT 1',
      ),
      recordInsert: this.db.prepare(
        'INSERT INTO records (rating_id, project_no, pro_status, assess_number, device_id, seq, json, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      serviceSeen: this.db.prepare(
        'SELECT 1 FROM services WHERE service_id = ? OR (project_no = ? AND service_number = ? AND pro_status = ?) LIMIT 1',
      ),
      serviceInsert: this.db.prepare(
        'INSERT INTO services (service_id, project_no, service_number, pro_status, json, received_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      rejectionInsert: this.db.prepare(
        'INSERT INTO rejections (kind, item_id, device_id, code, field, message, at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      requestInsert: this.db.prepare('INSERT INTO requests (path, at, fault) VALUES (?, ?, ?)'),
      requestUpdate: this.db.prepare(
        'UPDATE requests SET answered_at = ?, status = ?, code = ?, retry_after_sec = ?, records = ? WHERE id = ?',
      ),
    };
  }

  /** Runs `work` in one transaction (a request's records: one commit instead of one per record). */
  inTransaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /** Holds the record (identity masked) unless its ratingId or (projectNo, proStatus, assessNumber) is known. */
  acceptRecord(record: WireRecord, at: number): 'accepted' | 'duplicate' {
    if (this.stmt.recordSeen.get(record.ratingId, record.projectNo, record.proStatus, record.assessNumber))
      return 'duplicate';
    this.stmt.recordInsert.run(
      record.ratingId,
      record.projectNo,
      record.proStatus,
      record.assessNumber,
      record.deviceId,
      record.seq,
      JSON.stringify(maskIdentity(record)),
      at,
    );
    return 'accepted';
  }

  /** Holds the service unless its serviceId or (projectNo, serviceNumber, proStatus) is known. */
  acceptService(service: WireService, at: number): 'accepted' | 'duplicate' {
    if (
      this.stmt.serviceSeen.get(
        service.serviceId,
        service.projectNo,
        service.serviceNumber,
        service.proStatus,
      )
    )
      return 'duplicate';
    this.stmt.serviceInsert.run(
      service.serviceId,
      service.projectNo,
      service.serviceNumber,
      service.proStatus,
      JSON.stringify(service),
      at,
    );
    return 'accepted';
  }

  noteRejection(r: Omit<Rejected, 'at'>, at: number): void {
    this.stmt.rejectionInsert.run(r.kind, r.id, r.deviceId, r.code, r.field, r.message, at);
    this.pruneLogs();
  }

  records(): StoredRecord[] {
    const rows = this.db
      .prepare('SELECT json, received_at AS receivedAt FROM records ORDER BY device_id, seq, received_at')
      .all() as Array<{ json: string; receivedAt: number }>;
    return rows.map((r) => ({ record: JSON.parse(r.json) as WireRecord, receivedAt: r.receivedAt }));
  }

  record(ratingId: string): StoredRecord | null {
    const row = this.db
      .prepare('SELECT json, received_at AS receivedAt FROM records WHERE rating_id = ?')
      .get(ratingId) as { json: string; receivedAt: number } | undefined;
    return row ? { record: JSON.parse(row.json) as WireRecord, receivedAt: row.receivedAt } : null;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
  }

  services(): StoredService[] {
    const rows = this.db
      .prepare('SELECT json, received_at AS receivedAt FROM services ORDER BY received_at, rowid')
      .all() as Array<{ json: string; receivedAt: number }>;
    return rows.map((r) => ({ service: JSON.parse(r.json) as WireService, receivedAt: r.receivedAt }));
  }

  rejections(): Rejected[] {
    return this.db
      .prepare(
        'SELECT kind, item_id AS id, device_id AS deviceId, code, field, message, at FROM rejections ORDER BY rejections.rowid',
      )
      .all() as Rejected[];
  }

  /** Publishes a catalogue version; a version once published stays known for ever (records cite it). */
  publishCatalogue(catalogue: PublishedCatalogue, at: number): void {
    this.db
      .prepare('INSERT OR IGNORE INTO catalogues (version, json, published_at) VALUES (?, ?, ?)')
      .run(catalogue.version, JSON.stringify(catalogue), at);
    this.catalogueCache.delete(catalogue.version);
  }

  /** The codes per level of a published version, or null for a version never published. */
  catalogueCodes(version: string): Record<SatisfactionKey, ReadonlySet<string>> | null {
    if (!this.catalogueCache.has(version)) {
      const row = this.db.prepare('SELECT json FROM catalogues WHERE version = ?').get(version) as
        { json: string } | undefined;
      this.catalogueCache.set(version, row ? codesByLevel(JSON.parse(row.json) as PublishedCatalogue) : null);
    }
    return this.catalogueCache.get(version)!;
  }

  publishedVersions(): string[] {
    return (
      this.db.prepare('SELECT version FROM catalogues ORDER BY published_at, rowid').all() as Array<{
        version: string;
      }>
    ).map((r) => r.version);
  }

  /** Logs a heartbeat and pins its device key the first time one is offered ("pinned from then on"). */
  noteHeartbeat(payload: HeartbeatRecord, at: number): void {
    this.db
      .prepare('INSERT INTO heartbeats (device_id, json, received_at) VALUES (?, ?, ?)')
      .run(payload.deviceId, JSON.stringify(payload), at);
    const offered = payload.devicePublicKey;
    if (offered !== undefined) {
      const pinned = this.deviceKey(payload.deviceId);
      if (pinned === null)
        this.db
          .prepare('INSERT INTO device_keys (device_id, public_key, pinned_at) VALUES (?, ?, ?)')
          .run(payload.deviceId, offered, at);
      else if (pinned !== offered)
        this.db
          .prepare('INSERT OR IGNORE INTO key_conflicts (device_id, offered_key, at) VALUES (?, ?, ?)')
          .run(payload.deviceId, offered, at);
    }
    this.pruneLogs();
  }

  heartbeats(): HeartbeatRecord[] {
    return (this.db.prepare('SELECT json FROM heartbeats ORDER BY id').all() as Array<{ json: string }>).map(
      (r) => JSON.parse(r.json) as HeartbeatRecord,
    );
  }

  deviceKey(deviceId: string): string | null {
    const row = this.db.prepare('SELECT public_key FROM device_keys WHERE device_id = ?').get(deviceId) as
      { public_key: string } | undefined;
    return row?.public_key ?? null;
  }

  startRequest(path: string, at: number, fault: string | null): number {
    const id = Number(this.stmt.requestInsert.run(path, at, fault).lastInsertRowid);
    this.pruneLogs();
    return id;
  }

  finishRequest(
    id: number,
    answer: {
      answeredAt: number | null;
      status: number | null;
      code: string | null;
      retryAfterSec: number | null;
      records: number;
    },
  ): void {
    this.stmt.requestUpdate.run(
      answer.answeredAt,
      answer.status,
      answer.code,
      answer.retryAfterSec,
      answer.records,
      id,
    );
  }

  requests(): RequestRow[] {
    return this.db
      .prepare(
        'SELECT id, path, at, answered_at AS answeredAt, status, code, fault, retry_after_sec AS retryAfterSec, records FROM requests ORDER BY id',
      )
      .all() as RequestRow[];
  }

  /** Chain check over everything received so far, one device at a time. */
  chainBreaks(): ChainBreak[] {
    return this.perDevice((deviceId, records) => deviceChainBreaks(deviceId, records));
  }

  /** Signature check ⟨r2⟩ over everything received so far, plus heartbeats that offered another key. */
  signatureBreaks(): SignatureBreak[] {
    const breaks = this.perDevice((deviceId, records) => {
      const key = this.deviceKey(deviceId);
      return records.flatMap((r) => recordSignatureBreak(deviceId, r, key) ?? []);
    });
    const conflicts = this.db
      .prepare('SELECT DISTINCT device_id AS deviceId FROM key_conflicts ORDER BY device_id')
      .all() as Array<{ deviceId: string }>;
    return [...breaks, ...conflicts.map((c) => ({ kind: 'key-changed' as const, deviceId: c.deviceId }))];
  }

  private perDevice<T>(check: (deviceId: string, records: WireRecord[]) => T[]): T[] {
    const devices = this.db.prepare('SELECT DISTINCT device_id AS d FROM records ORDER BY d').all() as Array<{
      d: string;
    }>;
    const ofDevice = this.db.prepare(
      'SELECT json FROM records WHERE device_id = ? ORDER BY seq, received_at',
    );
    return devices.flatMap(({ d }) =>
      check(
        d,
        (ofDevice.all(d) as Array<{ json: string }>).map((r) => JSON.parse(r.json) as WireRecord),
      ),
    );
  }

  /** Keeps each log to its last LOG_ROWS_KEPT rows; checked every 1 000 inserts. */
  private pruneLogs(): void {
    this.logInserts += 1;
    if (this.logInserts % 1_000 !== 0) return;
    for (const table of ['requests', 'heartbeats', 'rejections'])
      this.db
        .prepare(`DELETE FROM ${table} WHERE id <= (SELECT max(id) FROM ${table}) - ?`)
        .run(LOG_ROWS_KEPT);
  }

  close(): void {
    this.db.close();
  }
}
