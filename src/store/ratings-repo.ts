/**
 * The append-only ratings chain (domain-rules §6) and its outbox rows. commitRating is the hot path:
 * statements prepared once, one IMMEDIATE transaction, the only read is the last link.
 */
import type { LevelKey } from '../shared/levels.js';
import { isBadLevel } from '../shared/levels.js';
import type { PII_FIELDS } from '../shared/province-record.js';
import { GENESIS_PREV_HASH, type ProvinceRecord } from '../shared/province-record.js';
import { KioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';
import { canonicalRecord, createChainVerifier, type ChainRecord } from './chain.js';
import { sm3Hex } from '../crypto/sm3.js';
import { rethrowServiceRef, sqliteCode, type StoreContext } from './context.js';
import { checkDraft, levelMatches } from './record-check.js';
import type { ChainStatus, CommitRatingInput, CommitResult, StoredRating } from './types.js';

interface Link {
  seq: number;
  hash: string;
}

type Pii = Partial<Pick<ProvinceRecord, (typeof PII_FIELDS)[number]>>;

export function createRatingsRepo(ctx: StoreContext) {
  const { db, cipher } = ctx;
  const lastLinkStmt = db.prepare<[], Link>('SELECT seq, hash FROM ratings ORDER BY seq DESC LIMIT 1');
  const insertPad = db.prepare(
    'INSERT OR IGNORE INTO pad_events (pad_serial, event_counter, at) VALUES (?, ?, ?)',
  );
  const insertRating = db.prepare(
    `INSERT INTO ratings (seq, rating_id, service_id, level, bad, is_default, record_json, prev_hash, hash,
       pii_enc, citizen_digest, created_at, source, session_id)
     VALUES (@seq, @ratingId, @serviceId, @level, @bad, @isDefault, @recordJson, @prevHash, @hash,
       @piiEnc, @citizenDigest, @at, @source, @sessionId)`,
  );
  const insertOutbox = db.prepare('INSERT INTO outbox (seq, bad, created_at) VALUES (?, ?, ?)');
  const closeRated = db.prepare(
    `UPDATE services SET outcome = 'rated', closed_at = ? WHERE id = ? AND outcome IS NULL`,
  );
  const getStmt = db.prepare<
    [number],
    { record_json: string; hash: string; pii_enc: string | null; level: LevelKey; created_at: number }
  >('SELECT record_json, hash, pii_enc, level, created_at FROM ratings WHERE seq = ?');
  const allStmt = db.prepare<
    [],
    {
      seq: number;
      rating_id: string;
      level: string;
      bad: number;
      is_default: number;
      record_json: string;
      prev_hash: string;
      hash: string;
    }
  >('SELECT seq, rating_id, level, bad, is_default, record_json, prev_hash, hash FROM ratings ORDER BY seq');

  let cached: Link = lastLinkStmt.get() ?? { seq: 0, hash: GENESIS_PREV_HASH };

  const commitTx = db.transaction((input: CommitRatingInput): CommitResult => {
    const { draft, level, at } = input;
    if (input.padEvent) {
      const { padSerial, eventCounter } = input.padEvent;
      if (insertPad.run(padSerial, eventCounter, at).changes === 0) {
        throw new KioskError(STORE_ERRORS.duplicateRating, 'This pad event was already handled.', {
          padSerial,
          eventCounter,
        });
      }
    }
    // Re-read the last link inside the write lock: one index seek, and never trusts a stale cache.
    const last = lastLinkStmt.get() ?? { seq: 0, hash: GENESIS_PREV_HASH };
    const { certKey, userName, ...rest } = draft;
    const record: ChainRecord = { ...rest, seq: last.seq + 1, prevHash: last.hash };
    let recordJson: string;
    try {
      recordJson = canonicalRecord(record);
    } catch (cause) {
      throw new KioskError(
        STORE_ERRORS.invalidRecord,
        undefined,
        { reason: (cause as Error).message },
        { cause },
      );
    }
    const hash = sm3Hex(last.hash + recordJson);
    const pii: Pii = {};
    if (certKey !== undefined) pii.certKey = certKey;
    if (userName !== undefined) pii.userName = userName;
    const bad = isBadLevel(level) ? 1 : 0;
    try {
      insertRating.run({
        seq: record.seq,
        ratingId: draft.ratingId,
        serviceId: input.serviceId,
        level,
        bad,
        isDefault: draft.isDefault === '1' ? 1 : 0,
        recordJson,
        prevHash: last.hash,
        hash,
        piiEnc: Object.keys(pii).length > 0 ? cipher.encrypt(JSON.stringify(pii)) : null,
        citizenDigest: certKey !== undefined ? ctx.digest(certKey) : null,
        at,
        source: input.source,
        sessionId: input.sessionId,
      });
    } catch (error) {
      if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE') {
        // 一次一评 (domain-rules §2): service_id is UNIQUE; rating_id is the idempotency key.
        throw new KioskError(
          STORE_ERRORS.duplicateRating,
          undefined,
          { serviceId: input.serviceId },
          { cause: error },
        );
      }
      rethrowServiceRef(error, input.serviceId);
    }
    insertOutbox.run(record.seq, bad, at);
    if (input.serviceId !== null) closeRated.run(at, input.serviceId);
    return { seq: record.seq, hash, ratingId: draft.ratingId };
  });

  function decryptPii(blob: string | null): Pii {
    return blob ? (JSON.parse(cipher.decrypt(blob)) as Pii) : {};
  }

  /** Rebuilds the full record: canonical fields + hash + PII (when not erased yet). */
  function fullRecord(recordJson: string, hash: string, piiEnc: string | null): ProvinceRecord {
    return { ...(JSON.parse(recordJson) as Omit<ProvinceRecord, 'hash'>), hash, ...decryptPii(piiEnc) };
  }

  return {
    commitRating(input: CommitRatingInput): CommitResult {
      checkDraft(input.level, input.draft);
      const result = commitTx.immediate(input);
      cached = { seq: result.seq, hash: result.hash };
      return result;
    },
    lastLink(): Link {
      return { ...cached };
    },
    fullRecord,
    getRating(seq: number): StoredRating | undefined {
      const row = getStmt.get(seq);
      if (!row) return undefined;
      return {
        record: fullRecord(row.record_json, row.hash, row.pii_enc),
        level: row.level,
        createdAt: row.created_at,
      };
    },
    /** Walks the whole chain (never repairs). Columns must agree with the hashed record too. */
    verify(now: number): ChainStatus {
      const verifier = createChainVerifier();
      for (const row of allStmt.iterate()) {
        let record: ChainRecord & { hash: string };
        try {
          record = { ...(JSON.parse(row.record_json) as ChainRecord), hash: row.hash };
        } catch {
          // Unparseable record text: feed a record that cannot verify, so brokenAt is reported the usual way.
          record = { seq: row.seq, prevHash: row.prev_hash, hash: '' } as unknown as ChainRecord & {
            hash: string;
          };
        }
        const columnsAgree =
          record.seq === row.seq &&
          record.prevHash === row.prev_hash &&
          record.ratingId === row.rating_id &&
          levelMatches(row.level, record.satisfaction) &&
          row.bad === (isBadLevel(row.level as LevelKey) ? 1 : 0) &&
          row.is_default === (record.isDefault === '1' ? 1 : 0);
        const ok = verifier.push(columnsAgree ? record : { ...record, hash: '' });
        if (!ok) break;
      }
      const brokenAt = verifier.brokenAt;
      // The actual last link (what the heartbeat reports), which differs from the last verified one when broken.
      const last = lastLinkStmt.get() ?? { seq: 0, hash: GENESIS_PREV_HASH };
      return {
        ok: brokenAt === null,
        lastSeq: last.seq,
        lastHash: last.hash,
        brokenAt,
        code: brokenAt === null ? null : STORE_ERRORS.chainBroken.code,
        verifiedAt: now,
      };
    },
  };
}

export type RatingsRepo = ReturnType<typeof createRatingsRepo>;
