/**
 * The append-only ratings chain (domain-rules §6) and its outbox rows. commitRating is the hot path:
 * statements prepared once, one IMMEDIATE transaction, the only read is the last link.
 */
import type { LevelKey } from '../shared/levels.js';
import { isBadLevel } from '../shared/levels.js';
import { GENESIS_PREV_HASH, hasPii } from '../shared/province-record.js';
import { KioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';
import { canonicalRecord, createChainVerifier, type ChainRecord } from './chain.js';
import { sm3Hex } from '../crypto/sm3.js';
import { rethrowServiceRef, sqliteCode, type StoreContext } from './context.js';
import { createRecordRebuilder, PII_OF } from './pending-batch.js';
import { checkDraft, levelMatches, rowMatchesRecord, type VerifiedRow } from './record-check.js';
import type { ChainStatus, CommitRatingInput, CommitResult, StoredRating } from './types.js';

/** The flag of a rating stored with a time before the newest record's (the kiosk clock went back). */
export const CLOCK_BACK_FLAG = 'clock-back';

interface Link {
  seq: number;
  hash: string;
}

export function createRatingsRepo(ctx: StoreContext) {
  const { db, cipher } = ctx;
  const fullRecord = createRecordRebuilder(cipher);
  const lastLinkStmt = db.prepare<[], Link & { created_at: number }>(
    'SELECT seq, hash, created_at FROM ratings ORDER BY seq DESC LIMIT 1',
  );
  const insertPad = db.prepare(
    'INSERT OR IGNORE INTO pad_events (pad_serial, event_counter, at) VALUES (?, ?, ?)',
  );
  // No identity in the rating row: it stays sealed, once, in the service row (insertService /
  // setServiceCitizen), and records are rebuilt with it (PII_OF below). So the press path does no PII crypto,
  // and erasing it after delivery rewrites one small service row, not the rating's page (drain benchmark).
  // The service row is also claimed by the trigger ratings_one_per_service (migration 0005).
  const insertRating = db.prepare(
    `INSERT INTO ratings (seq, rating_id, service_id, level, bad, is_default, record_json, prev_hash, hash,
       created_at, source, session_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const enqueue = db.prepare('INSERT INTO outbox_pending (bad, seq) VALUES (?, ?)');
  const getStmt = db.prepare<
    [number],
    { record_json: string; hash: string; pii_enc: string | null; level: LevelKey; created_at: number }
  >(
    `SELECT r.record_json, r.hash, ${PII_OF} AS pii_enc, r.level, r.created_at
     FROM ratings r LEFT JOIN services s ON s.id = r.service_id WHERE r.seq = ?`,
  );
  // Every column that reaches the record or a statistic, with the service row the rating claims (issue 18
  // item 2: created_at, service_id, source and session_id were not compared, so a rating could be moved to
  // another day or service without a break).
  const allStmt = db.prepare<[], VerifiedRow>(
    `SELECT r.seq, r.rating_id, r.level, r.bad, r.is_default, r.record_json, r.prev_hash, r.hash, r.created_at,
       r.service_id, r.source, r.session_id, s.id AS s_id, s.completed_at AS s_completed_at,
       s.service_number AS s_service_number, s.project_no AS s_project_no, s.rating_seq AS s_rating_seq,
       s.session_id AS s_session_id
     FROM ratings r LEFT JOIN services s ON s.id = r.service_id ORDER BY r.seq`,
  );

  const first = lastLinkStmt.get();
  let cached: Link = first ? { seq: first.seq, hash: first.hash } : { seq: 0, hash: GENESIS_PREV_HASH };

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
    const last = lastLinkStmt.get() ?? { seq: 0, hash: GENESIS_PREV_HASH, created_at: -Infinity };
    const record: ChainRecord = { ...draft, seq: last.seq + 1, prevHash: last.hash };
    // A clock set back past the newest record (issue 18 item 6): the rating is taken, never refused, and
    // flagged for review (domain-rules §7: flags travel with the rating, they never drop it).
    if (at < last.created_at && !draft.flags.includes(CLOCK_BACK_FLAG)) {
      record.flags = [...draft.flags, CLOCK_BACK_FLAG];
    }
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
    const bad = isBadLevel(level) ? 1 : 0;
    try {
      // Positional parameters: binding a named object costs more, and this is the press path.
      insertRating.run(
        record.seq,
        draft.ratingId,
        input.serviceId,
        level,
        bad,
        draft.isDefault === '1' ? 1 : 0,
        recordJson,
        last.hash,
        hash,
        at,
        input.source,
        input.sessionId,
      );
    } catch (error) {
      // 一次一评 (domain-rules §2): the trigger ratings_one_per_service refuses a second rating for a service.
      if (sqliteCode(error) === 'SQLITE_CONSTRAINT_TRIGGER' && /^E2203\b/.test((error as Error).message)) {
        throw new KioskError(
          STORE_ERRORS.duplicateRating,
          undefined,
          { serviceId: input.serviceId },
          { cause: error },
        );
      }
      // UNIQUE(rating_id) (migration 0006): the province's idempotency key must never repeat.
      if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new KioskError(STORE_ERRORS.duplicateRatingId, undefined, undefined, { cause: error });
      }
      rethrowServiceRef(error, input.serviceId);
    }
    enqueue.run(bad, record.seq);
    return { seq: record.seq, hash, ratingId: draft.ratingId };
  });

  return {
    commitRating(input: CommitRatingInput): CommitResult {
      checkDraft(input.level, input.draft);
      if (hasPii(input.draft)) {
        // domain-rules §5: the identity is sealed once, in the service row; a draft never carries it.
        throw new KioskError(STORE_ERRORS.invalidRecord, undefined, {
          reason: 'a rating takes its identity from its service (insertService / setServiceCitizen)',
        });
      }
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
          // The parsed object itself gets the hash: an object spread here (`{ ...parsed, hash }`) left about
          // 1 KB per record in the old generation until the next full collection (≈ 40 MB after verifying
          // 30 000 records; a plain property assignment leaves none).
          record = JSON.parse(row.record_json) as ChainRecord & { hash: string };
          record.hash = row.hash;
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
          row.is_default === (record.isDefault === '1' ? 1 : 0) &&
          rowMatchesRecord(row, record);
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
