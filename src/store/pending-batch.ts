/**
 * The next records to deliver, rebuilt for sending (province-profile.md "Kiosk behaviour": 差评 first, then
 * oldest first). Shared by the store's own connection (outbox-repo.ts) and the delivery thread's read-only one
 * (outbox-reader.ts), so both read the queue with the same statement and the same record rebuild.
 */
import type Database from 'better-sqlite3';
import type { PiiCipher } from '../crypto/pii-cipher.js';
import { PII_FIELDS, type ProvinceRecord } from '../shared/province-record.js';
import type { OutboxItem } from '../sync/outbox-port.js';
import { isKioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';

type Pii = Partial<Pick<ProvinceRecord, (typeof PII_FIELDS)[number]>>;

/**
 * The encrypted identity of a rating `r` joined with its service `s`: ratings written before migration 0005
 * carry their own copy; later ones use the service's (erased there after delivery). A default rating carries
 * none, though its service may hold one (a real-name service nobody rated): nobody gave it (domain-rules §4
 * ⟨r2⟩; rating-path/identity.ts `identityForRecord`, of which this is the SQL).
 */
export const PII_OF = 'CASE WHEN r.is_default = 1 THEN NULL ELSE coalesce(r.pii_enc, s.citizen_enc) END';

/** Rebuilds a full record: canonical fields + hash + PII (when not erased yet). */
export function createRecordRebuilder(cipher: PiiCipher) {
  /** Only certKey and userName: a service's blob also holds userProp and certType (userPageType when old). */
  function decryptPii(blob: string | null): Pii {
    if (!blob) return {};
    const sealed = JSON.parse(cipher.decrypt(blob)) as Pii;
    const pii: Pii = {};
    for (const field of PII_FIELDS) if (sealed[field] !== undefined) pii[field] = sealed[field];
    return pii;
  }
  // Fields are added to the parsed object (same order as the stored text, then hash, then PII): an object
  // spread of a parsed record left about 1 KB per record in the old generation until the next full
  // collection, which during a backlog drain meant a full GC every few hundred milliseconds.
  return (recordJson: string, hash: string, piiEnc: string | null): ProvinceRecord => {
    const record = JSON.parse(recordJson) as ProvinceRecord;
    record.hash = hash;
    return Object.assign(record, decryptPii(piiEnc));
  };
}

export type RecordRebuilder = ReturnType<typeof createRecordRebuilder>;

/** A record whose sealed identity could not be opened: it is delivered without it (issue 18 item 1). */
export type UnreadableIdentity = (seq: number, code: string) => void;

/**
 * `nextBatch(limit)`: up to `limit` pending items in delivery order; delivered and dead items never appear.
 * An identity that cannot be decrypted (lost or other key, altered ciphertext) costs that record its identity
 * only: it goes without certKey/userName, which the chain leaves out of the hash anyway, and `onUnreadable`
 * is told its seq and code. One bad row once threw for the whole batch and stopped delivery for good.
 */
export function createPendingBatch(
  db: Database.Database,
  rebuild: RecordRebuilder,
  onUnreadable: UnreadableIdentity = () => undefined,
) {
  const pending = db.prepare<
    [number],
    {
      seq: number;
      bad: number;
      attempts: number;
      created_at: number;
      rating_id: string;
      record_json: string;
      hash: string;
      pii_enc: string | null;
    }
  >(
    `SELECT p.seq, p.bad, coalesce(a.attempts, 0) AS attempts, r.created_at, r.rating_id, r.record_json, r.hash,
       ${PII_OF} AS pii_enc
     FROM outbox_pending p JOIN ratings r ON r.seq = p.seq LEFT JOIN services s ON s.id = r.service_id
       LEFT JOIN outbox_attempts a ON a.seq = p.seq
     ORDER BY p.bad DESC, p.seq LIMIT ?`,
  );
  const rebuildOrStrip = (row: {
    seq: number;
    record_json: string;
    hash: string;
    pii_enc: string | null;
  }) => {
    if (row.pii_enc === null) return rebuild(row.record_json, row.hash, null);
    try {
      return rebuild(row.record_json, row.hash, row.pii_enc);
    } catch (error) {
      onUnreadable(row.seq, isKioskError(error) ? error.code : STORE_ERRORS.piiUnreadable.code);
      return rebuild(row.record_json, row.hash, null);
    }
  };
  return (limit: number): OutboxItem[] =>
    pending.all(Math.max(0, Math.trunc(limit))).map((row) => ({
      seq: row.seq,
      ratingId: row.rating_id,
      bad: row.bad === 1,
      record: rebuildOrStrip(row),
      attempts: row.attempts,
      createdAt: row.created_at,
    }));
}
