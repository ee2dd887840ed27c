/**
 * The outbox side of OutboxPort (src/sync/outbox-port.ts) on the queue tables of migration 0005, and the PII
 * erase after delivery (domain-rules §5). A job leaves `outbox_pending` only as a delivery (final) or a dead
 * letter (kept, resendable); both are enforced by triggers.
 */
import type { DeadLetter, DefaultCandidate, EraseStep, OutboxStats } from '../sync/outbox-port.js';
import { withoutFsync, type StoreContext } from './context.js';
import { createMarks } from './marks.js';
import { createPendingBatch } from './pending-batch.js';
import type { RatingsRepo } from './ratings-repo.js';

/** A citizen digest is kept one day past the erase cut-off: the id-burst rule (domain-rules §7) counts per day. */
const DIGEST_KEEP_MS = 86_400_000;
const MESSAGE_MAX = 500;
/** Deliveries the erase reads per statement round (bounded memory whatever the budget). */
const ERASE_CHUNK = 256;

export function createOutboxRepo(ctx: StoreContext, ratings: RatingsRepo) {
  const { db } = ctx;
  const nextBatch = createPendingBatch(db, ratings.fullRecord);
  const insertDelivery = db.prepare(
    'INSERT OR IGNORE INTO deliveries (seq, delivered_at, status) VALUES (?, ?, ?)',
  );
  // The queue's key is (bad, seq); `bad IN (0, 1)` lets SQLite seek both halves by seq.
  const dequeue = db.prepare('DELETE FROM outbox_pending WHERE bad IN (0, 1) AND seq = ?');
  const isPending = db.prepare<[number], { n: number }>(
    'SELECT count(*) AS n FROM outbox_pending WHERE bad IN (0, 1) AND seq = ?',
  );
  const dead = db.prepare(
    `INSERT INTO outbox_dead (seq, code, message, at, resent_at) VALUES (?, ?, ?, ?, NULL)
     ON CONFLICT (seq) DO UPDATE SET code = excluded.code, message = excluded.message, at = excluded.at,
       resent_at = NULL`,
  );
  const attempt = db.prepare(
    `INSERT INTO outbox_attempts (seq, attempts, last_code, last_at) VALUES (?, 1, ?, ?)
     ON CONFLICT (seq) DO UPDATE SET attempts = attempts + 1, last_code = excluded.last_code,
       last_at = excluded.last_at`,
  );
  const markResent = db.prepare(
    `UPDATE outbox_dead SET resent_at = ? WHERE seq = ? AND resent_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.seq = outbox_dead.seq)`,
  );
  const requeue = db.prepare(
    'INSERT OR IGNORE INTO outbox_pending (bad, seq) SELECT bad, seq FROM ratings WHERE seq = ?',
  );
  const depthStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox_pending');
  const deliveredStmt = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM deliveries');
  // The oldest unsent record is the lowest pending seq (seq is commit order): one seek per half of the key.
  const oldestPending = db.prepare<[], { oldest: number | null }>(
    `SELECT r.created_at AS oldest FROM ratings r WHERE r.seq = (SELECT min(m) FROM (
       SELECT min(seq) AS m FROM outbox_pending WHERE bad = 1
       UNION ALL SELECT min(seq) FROM outbox_pending WHERE bad = 0))`,
  );
  const deadRows = db.prepare<
    [],
    { seq: number; rating_id: string; code: string; message: string; at: number }
  >(
    `SELECT d.seq, r.rating_id, d.code, d.message, d.at
     FROM outbox_dead d JOIN ratings r ON r.seq = d.seq
     WHERE d.resent_at IS NULL AND NOT EXISTS (SELECT 1 FROM deliveries x WHERE x.seq = d.seq)
     ORDER BY d.seq`,
  );
  const marks = createMarks(db);
  const deliveriesAfter = db.prepare<[number, number], { id: number; seq: number; delivered_at: number }>(
    'SELECT id, seq, delivered_at FROM deliveries WHERE id > ? ORDER BY id LIMIT ?',
  );
  const erasePii = db.prepare('UPDATE ratings SET pii_enc = NULL WHERE seq = ? AND pii_enc IS NOT NULL');
  const eraseRatedCitizen = db.prepare(
    `UPDATE services SET citizen_enc = NULL
     WHERE id = (SELECT service_id FROM ratings WHERE seq = ?) AND citizen_enc IS NOT NULL`,
  );
  const eraseAbandonedCitizen = db.prepare(
    `UPDATE services SET citizen_enc = NULL
     WHERE outcome = 'abandoned' AND citizen_enc IS NOT NULL AND closed_at <= ? AND rating_seq IS NULL`,
  );
  const eraseRatingDigest = db.prepare(
    'UPDATE ratings SET citizen_digest = NULL WHERE seq = ? AND citizen_digest IS NOT NULL',
  );
  const eraseServiceDigest = db.prepare(
    `UPDATE services SET citizen_digest = NULL WHERE citizen_digest IS NOT NULL AND citizen_enc IS NULL AND completed_at < ?`,
  );
  const candidates = db.prepare<[number, number], DefaultCandidate>(
    `SELECT s.id AS serviceId, s.ticket_no AS ticketNo, s.project_no AS projectNo, s.service_number AS serviceNumber,
       s.node AS node, s.task_code AS taskCode, s.task_name AS taskName, s.completed_at AS completedAt, s.staff_id AS staffId,
       s.staff_name AS staffName
     FROM services s
     WHERE s.outcome IN ('unrated', 'superseded') AND s.completed_at < ?
       AND s.rating_seq IS NULL
     ORDER BY s.completed_at, s.id LIMIT ?`,
  );

  // Depth and delivered count are kept in memory from one count at open: count(*) walks the whole queue
  // (milliseconds at a 100 k backlog) and stats() is read by the heartbeat, diagnostics and the drain.
  // Every write to the queue goes through this repository, on this one connection.
  let depth = depthStmt.get()!.n;
  let deliveredCount = deliveredStmt.get()!.n;

  /**
   * Walks at most `budget` deliveries after the named mark, in delivery order, while they were delivered at or
   * before `cutoff`, applying `erase` to each; stops at the first later one (delivery order is time order, so
   * a clock stepped back can only delay an erase, never bring one forward). `more`: the budget ran out first.
   */
  function walkDeliveries(
    mark: string,
    cutoff: number,
    budget: number,
    erase: (seq: number) => number,
  ): EraseStep {
    let from = marks.get(mark);
    let erased = 0;
    let left = Math.max(0, Math.trunc(budget));
    let more = false;
    for (;;) {
      if (left === 0) {
        more = deliveriesAfter.all(from, 1).some((row) => row.delivered_at <= cutoff);
        break;
      }
      const rows = deliveriesAfter.all(from, Math.min(ERASE_CHUNK, left));
      let reachedCutoff = false;
      for (const row of rows) {
        if (row.delivered_at > cutoff) {
          reachedCutoff = true;
          break;
        }
        erased += erase(row.seq);
        from = row.id;
        left -= 1;
      }
      if (reachedCutoff || rows.length === 0) break;
    }
    marks.set(mark, from);
    return { erased, more };
  }

  const markDeliveredTx = db.transaction(
    (
      results: ReadonlyArray<{ seq: number; status: 'accepted' | 'duplicate' }>,
      at: number,
    ): { left: number; added: number } => {
      let left = 0;
      let added = 0;
      for (const result of results) {
        added += insertDelivery.run(result.seq, at, result.status).changes;
        left += dequeue.run(result.seq).changes;
      }
      return { left, added };
    },
  );
  const markDeadTx = db.transaction((seq: number, code: string, message: string, at: number): number => {
    if (isPending.get(seq)!.n === 0) return 0;
    dead.run(seq, code, message.slice(0, MESSAGE_MAX), at);
    return dequeue.run(seq).changes;
  });
  const resendTx = db.transaction((seq: number, at: number): boolean => {
    if (markResent.run(at, seq).changes === 0) return false;
    depth += requeue.run(seq).changes;
    return true;
  });
  const recordAttemptTx = db.transaction((seqs: readonly number[], at: number, code: string): void => {
    for (const seq of seqs) if (isPending.get(seq)!.n > 0) attempt.run(seq, code, at);
  });

  const eraseTx = db.transaction((deliveredBefore: number, budget: number): EraseStep => {
    // A rating's identity is its service's (or, before migration 0005, its own copy): one count per record.
    const pii = walkDeliveries('erase.pii', deliveredBefore, budget, (seq) =>
      eraseRatedCitizen.run(seq).changes + erasePii.run(seq).changes > 0 ? 1 : 0,
    );
    eraseAbandonedCitizen.run(deliveredBefore);
    const digest = walkDeliveries(
      'erase.digest',
      deliveredBefore - DIGEST_KEEP_MS,
      budget,
      (seq) => eraseRatingDigest.run(seq).changes,
    );
    eraseServiceDigest.run(deliveredBefore - DIGEST_KEEP_MS);
    return { erased: pii.erased, more: pii.more || digest.more };
  }) as (deliveredBefore: number, budget: number) => EraseStep;

  return {
    nextBatch,
    // Delivery marks are committed without their own fsync (synchronous=NORMAL for this transaction only):
    // a mark lost to a power cut only means the record is sent again and the province answers `duplicate`,
    // which counts as delivered (province-profile.md "Uniqueness"). The next rating's FULL commit syncs the
    // WAL, marks included. During a 100 k backlog drain this halves the fsyncs that compete with presses.
    markDelivered: (
      results: ReadonlyArray<{ seq: number; status: 'accepted' | 'duplicate' }>,
      at: number,
    ): void =>
      withoutFsync(db, () => {
        // The counters change only once the transaction has committed.
        const { left, added } = markDeliveredTx(results, at);
        depth -= left;
        deliveredCount += added;
      }),
    markDead(seq: number, code: string, message: string, at: number): void {
      depth -= markDeadTx(seq, code, message, at);
    },
    // Attempt counters are diagnostics only: the same reasoning as the delivery marks.
    recordAttempt: (seqs: readonly number[], at: number, code: string): void =>
      withoutFsync(db, () => recordAttemptTx(seqs, at, code)),
    resend: (seq: number, at: number): boolean => resendTx(seq, at),
    /** A rating was committed with its queue entry (ratings-repo, same transaction). */
    noteEnqueued(): void {
      depth += 1;
    },
    stats(): OutboxStats {
      const deadLetters: DeadLetter[] = deadRows.all().map((row) => ({
        seq: row.seq,
        ratingId: row.rating_id,
        code: row.code,
        message: row.message,
        at: row.at,
      }));
      const oldestUnsentAt = depth === 0 ? null : (oldestPending.get()?.oldest ?? null);
      return { depth, oldestUnsentAt, deadLetters, delivered: deliveredCount };
    },
    /**
     * Erases pii_enc of ratings delivered at or before the cut-off, the encrypted identity of their services
     * (and of abandoned services, whose identity is never sent), and digests older than a day; at most
     * `budget` deliveries per walk, so the caller can slice a long erase (outbox-worker.ts).
     */
    // Without its own fsync, like the delivery marks: an erase lost to a power cut is redone by the next sweep
    // (its mark rolls back with it), and a sweep's slices must not each flush the disk during a drain.
    erasePii(deliveredBefore: number, budget: number): EraseStep {
      return withoutFsync(db, () => eraseTx(deliveredBefore, budget));
    },
    defaultCandidates(completedBefore: number, limit: number): DefaultCandidate[] {
      return candidates.all(completedBefore, Math.max(0, Math.trunc(limit)));
    },
  };
}
