/**
 * The outbox side of OutboxPort (src/sync/outbox-port.ts) and the PII erase after delivery (domain-rules §5).
 * Rows are never deleted; delivered is final; dead letters are kept and can be resent.
 */
import type { DeadLetter, DefaultCandidate, OutboxItem, OutboxStats } from '../sync/outbox-port.js';
import type { StoreContext } from './context.js';
import type { RatingsRepo } from './ratings-repo.js';

/** A citizen digest is kept one day past the erase cut-off: the id-burst rule (domain-rules §7) counts per day. */
const DIGEST_KEEP_MS = 86_400_000;
const MESSAGE_MAX = 500;

export function createOutboxRepo(ctx: StoreContext, ratings: RatingsRepo) {
  const { db } = ctx;
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
    `SELECT o.seq, o.bad, o.attempts, o.created_at, r.rating_id, r.record_json, r.hash, r.pii_enc
     FROM outbox o JOIN ratings r ON r.seq = o.seq
     WHERE o.state = 'pending' ORDER BY o.bad DESC, o.seq LIMIT ?`,
  );
  const delivered = db.prepare(
    `UPDATE outbox SET state = 'delivered', delivered_at = ? WHERE seq = ? AND state <> 'delivered'`,
  );
  const dead = db.prepare(
    `UPDATE outbox SET state = 'dead', dead_code = ?, dead_message = ?, dead_at = ? WHERE seq = ? AND state = 'pending'`,
  );
  const attempt = db.prepare(
    `UPDATE outbox SET attempts = attempts + 1, last_code = ?, last_attempt_at = ? WHERE seq = ? AND state = 'pending'`,
  );
  const resend = db.prepare(
    `UPDATE outbox SET state = 'pending', resent_at = ? WHERE seq = ? AND state = 'dead'`,
  );
  // Two statements, not one: count(*) scans the covering pending index, while min(created_at) alone is a
  // seek on outbox_pending_age (migration 0004); together SQLite would read every pending row.
  const depth = db.prepare<[], { depth: number }>(
    `SELECT count(*) AS depth FROM outbox WHERE state = 'pending'`,
  );
  const oldestPending = db.prepare<[], { oldest: number | null }>(
    `SELECT min(created_at) AS oldest FROM outbox WHERE state = 'pending'`,
  );
  const deliveredCount = db.prepare<[], { n: number }>(
    `SELECT count(*) AS n FROM outbox WHERE state = 'delivered'`,
  );
  const deadRows = db.prepare<
    [],
    { seq: number; rating_id: string; dead_code: string; dead_message: string; dead_at: number }
  >(
    `SELECT o.seq, r.rating_id, o.dead_code, o.dead_message, o.dead_at
     FROM outbox o JOIN ratings r ON r.seq = o.seq WHERE o.state = 'dead' ORDER BY o.seq`,
  );
  // Correlated EXISTS over the partial indexes of migration 0003: each statement visits only rows that still
  // hold PII, so its cost does not grow with the delivered history.
  const erasePii = db.prepare(
    `UPDATE ratings SET pii_enc = NULL WHERE pii_enc IS NOT NULL
       AND EXISTS (SELECT 1 FROM outbox o WHERE o.seq = ratings.seq AND o.state = 'delivered' AND o.delivered_at <= ?)`,
  );
  const eraseServiceCitizen = db.prepare(
    `UPDATE services SET citizen_enc = NULL WHERE citizen_enc IS NOT NULL AND (
       EXISTS (SELECT 1 FROM ratings r JOIN outbox o ON o.seq = r.seq
               WHERE r.service_id = services.id AND o.state = 'delivered' AND o.delivered_at <= ?)
       OR (outcome = 'abandoned' AND closed_at <= ? AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.service_id = services.id)))`,
  );
  const eraseRatingDigest = db.prepare(
    `UPDATE ratings SET citizen_digest = NULL WHERE citizen_digest IS NOT NULL AND created_at < ?
       AND EXISTS (SELECT 1 FROM outbox o WHERE o.seq = ratings.seq AND o.state = 'delivered' AND o.delivered_at <= ?)`,
  );
  const eraseServiceDigest = db.prepare(
    `UPDATE services SET citizen_digest = NULL WHERE citizen_digest IS NOT NULL AND citizen_enc IS NULL AND completed_at < ?`,
  );
  const candidates = db.prepare<[number, number], DefaultCandidate>(
    `SELECT s.id AS serviceId, s.ticket_no AS ticketNo, s.project_no AS projectNo, s.service_number AS serviceNumber,
       s.task_code AS taskCode, s.task_name AS taskName, s.completed_at AS completedAt, s.staff_id AS staffId,
       s.staff_name AS staffName
     FROM services s
     WHERE s.outcome IN ('unrated', 'superseded') AND s.completed_at < ?
       AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.service_id = s.id)
     ORDER BY s.completed_at, s.id LIMIT ?`,
  );

  const markDeliveredTx = db.transaction(
    (results: ReadonlyArray<{ seq: number; status: 'accepted' | 'duplicate' }>, at: number): void => {
      for (const result of results) delivered.run(at, result.seq);
    },
  );
  const recordAttemptTx = db.transaction((seqs: readonly number[], at: number, code: string): void => {
    for (const seq of seqs) attempt.run(code, at, seq);
  });
  const withoutFsync = (write: () => void): void => {
    db.pragma('synchronous = NORMAL');
    try {
      write();
    } finally {
      db.pragma('synchronous = FULL');
    }
  };

  return {
    nextBatch(limit: number): OutboxItem[] {
      return pending.all(Math.max(0, Math.trunc(limit))).map((row) => ({
        seq: row.seq,
        ratingId: row.rating_id,
        bad: row.bad === 1,
        record: ratings.fullRecord(row.record_json, row.hash, row.pii_enc),
        attempts: row.attempts,
        createdAt: row.created_at,
      }));
    },
    // Delivery marks are committed without their own fsync (synchronous=NORMAL for this transaction only):
    // a mark lost to a power cut only means the record is sent again and the province answers `duplicate`,
    // which counts as delivered (province-profile.md "Uniqueness"). The next rating's FULL commit syncs the
    // WAL, marks included. During a 100 k backlog drain this halves the fsyncs that compete with presses.
    markDelivered: (
      results: ReadonlyArray<{ seq: number; status: 'accepted' | 'duplicate' }>,
      at: number,
    ): void => withoutFsync(() => markDeliveredTx(results, at)),
    markDead(seq: number, code: string, message: string, at: number): void {
      dead.run(code, message.slice(0, MESSAGE_MAX), at, seq);
    },
    // Attempt counters are diagnostics only: the same reasoning as the delivery marks.
    recordAttempt: (seqs: readonly number[], at: number, code: string): void =>
      withoutFsync(() => recordAttemptTx(seqs, at, code)),
    resend(seq: number, at: number): boolean {
      return resend.run(at, seq).changes > 0;
    },
    stats(): OutboxStats {
      const d = { depth: depth.get()!.depth, oldest: oldestPending.get()!.oldest };
      const deadLetters: DeadLetter[] = deadRows.all().map((row) => ({
        seq: row.seq,
        ratingId: row.rating_id,
        code: row.dead_code,
        message: row.dead_message,
        at: row.dead_at,
      }));
      return { depth: d.depth, oldestUnsentAt: d.oldest, deadLetters, delivered: deliveredCount.get()!.n };
    },
    /**
     * Erases pii_enc of ratings delivered at or before the cut-off, the encrypted identity of their services
     * (and of abandoned services, whose identity is never sent), and digests older than a day.
     */
    erasePii: db.transaction((deliveredBefore: number): number => {
      const erased = erasePii.run(deliveredBefore).changes;
      eraseServiceCitizen.run(deliveredBefore, deliveredBefore);
      eraseRatingDigest.run(deliveredBefore - DIGEST_KEEP_MS, deliveredBefore);
      eraseServiceDigest.run(deliveredBefore - DIGEST_KEEP_MS);
      return erased;
    }) as (deliveredBefore: number) => number,
    defaultCandidates(completedBefore: number, limit: number): DefaultCandidate[] {
      return candidates.all(completedBefore, Math.max(0, Math.trunc(limit)));
    },
  };
}
