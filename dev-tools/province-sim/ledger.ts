/**
 * The simulator's permanent record store (SQLite): de-duplication by `ratingId` and by
 * (`projectNo`, `assessNumber`) (province-profile.md "Uniqueness"), and per-device chain checking
 * ("Province-side checks": seq continuous, prevHash = previous hash, hash recomputes).
 */
import Database from 'better-sqlite3';
import { recomputeHash } from './canonical.js';
import type { WireRecord } from './schemas.js';

export type ChainBreak =
  | { kind: 'hash'; deviceId: string; seq: number }
  | { kind: 'link'; deviceId: string; seq: number }
  | { kind: 'gap'; deviceId: string; missing: number[] }
  | { kind: 'seq-reused'; deviceId: string; seq: number };

export interface StoredRecord {
  record: WireRecord;
  receivedAt: number;
}

const GENESIS = '0'.repeat(64);

export class Ledger {
  private readonly db: Database.Database;
  // Prepared once: the drain benchmark sends 100 000 records through accept().
  private seenStmt: Database.Statement | null = null;
  private insertStmt: Database.Statement | null = null;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS records (
        rating_id TEXT PRIMARY KEY,
        project_no TEXT NOT NULL,
        assess_number TEXT NOT NULL,
        device_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        json TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        UNIQUE (project_no, assess_number)
      );
      CREATE INDEX IF NOT EXISTS records_chain ON records (device_id, seq);`);
  }

  /** Runs `work` in one transaction (a request's records: one commit instead of one per record). */
  inTransaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /** Inserts unless seen; returns 'duplicate' when the ratingId or (projectNo, assessNumber) is known. */
  accept(record: WireRecord, at: number): 'accepted' | 'duplicate' {
    this.seenStmt ??= this.db.prepare(
      'SELECT 1 FROM records WHERE rating_id = ? OR (project_no = ? AND assess_number = ?) LIMIT 1',
    );
    const seen = this.seenStmt.get(record.ratingId, record.projectNo, record.assessNumber);
    if (seen) return 'duplicate';
    this.insertStmt ??= this.db.prepare(
      'INSERT INTO records (rating_id, project_no, assess_number, device_id, seq, json, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertStmt.run(
      record.ratingId,
      record.projectNo,
      record.assessNumber,
      record.deviceId,
      record.seq,
      JSON.stringify(record),
      at,
    );
    return 'accepted';
  }

  records(): StoredRecord[] {
    const rows = this.db
      .prepare('SELECT json, received_at AS receivedAt FROM records ORDER BY device_id, seq, received_at')
      .all() as Array<{ json: string; receivedAt: number }>;
    return rows.map((r) => ({ record: JSON.parse(r.json) as WireRecord, receivedAt: r.receivedAt }));
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n;
  }

  /** Chain check over everything received so far (records may arrive out of seq order: 差评 go first). */
  chainBreaks(): ChainBreak[] {
    const breaks: ChainBreak[] = [];
    const byDevice = new Map<string, WireRecord[]>();
    for (const { record } of this.records()) {
      const list = byDevice.get(record.deviceId) ?? [];
      list.push(record);
      byDevice.set(record.deviceId, list);
    }
    for (const [deviceId, list] of byDevice) {
      const bySeq = new Map<number, WireRecord>();
      for (const r of list) {
        if (bySeq.has(r.seq)) breaks.push({ kind: 'seq-reused', deviceId, seq: r.seq });
        else bySeq.set(r.seq, r);
        if (recomputeHash(r as unknown as Record<string, unknown>) !== r.hash)
          breaks.push({ kind: 'hash', deviceId, seq: r.seq });
      }
      const max = Math.max(...bySeq.keys());
      const missing: number[] = [];
      for (let seq = 1; seq <= max; seq++) {
        const r = bySeq.get(seq);
        if (!r) {
          missing.push(seq);
          continue;
        }
        const expected = seq === 1 ? GENESIS : bySeq.get(seq - 1)?.hash;
        if (expected !== undefined && r.prevHash !== expected) breaks.push({ kind: 'link', deviceId, seq });
      }
      if (missing.length > 0) breaks.push({ kind: 'gap', deviceId, missing });
    }
    return breaks;
  }

  close(): void {
    this.db.close();
  }
}
