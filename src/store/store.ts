/**
 * openStore: the durable store (ARCHITECTURE "Data path"). Order at open: inspect the file without
 * writing (refuse newer-version / corrupt, file untouched), open read-write with WAL + synchronous=FULL,
 * migrate, verify the whole chain (domain-rules §6: detected at start-up, never repaired), compare with
 * the high-water side file (rollback detection). A broken chain or a rollback does not stop the kiosk:
 * it is reported in chainStatus() and written to the audit trail.
 */
import Database from 'better-sqlite3';
import { createPiiCipher, idDigest } from '../crypto/pii-cipher.js';
import { KioskError, isKioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';
import type { StoreContext } from './context.js';
import { createCheckpointer } from './checkpointer.js';
import { createEventsRepo } from './events-repo.js';
import { openHighWater } from './high-water.js';
import { migrate } from './migrate.js';
import { LATEST_VERSION, MIGRATIONS } from './migrations/index.js';
import { createOutboxRepo } from './outbox-repo.js';
import { preflight } from './preflight.js';
import { createRatingsRepo } from './ratings-repo.js';
import { createServicesRepo } from './services-repo.js';
import { createStatsRepo } from './stats-repo.js';
import { createWindowRepo } from './window-repo.js';
import { createOpenSessionsRepo } from './open-sessions-repo.js';
import type { ChainStatus, KioskStore, StoreFinding, StoreOptions } from './types.js';

export type * from './types.js';

/** Opens (creating or migrating) the store. Throws KioskError E2101/E2102/E2103/E2104, or E2301 for a bad key. */
export function openStore(options: StoreOptions): KioskStore {
  const now = options.now ?? Date.now;
  const cipher = createPiiCipher(options.piiKey);
  const key = Buffer.from(options.piiKey);
  preflight(options.path, LATEST_VERSION);

  let db: Database.Database;
  try {
    db = new Database(options.path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // No automatic checkpoint inside a commit: SQLite's default (every 1000 pages) would land a checkpoint's
    // copy and fsync on the press → stored path every few hundred ratings. The app runs
    // `maintain()` from an idle timer instead (src/app/core-factory.ts); its checkpoint thread, once started,
    // keeps restarting the WAL (src/store/checkpointer.ts), which bounds it.
    db.pragma('wal_autocheckpoint = 0');
    // Zero the bytes an erased PII ciphertext leaves inside its page (FAST: wherever that adds no I/O; the
    // page is rewritten by the erase anyway). ON would also overwrite freed pages, extra writes per erase.
    db.pragma('secure_delete = FAST');
  } catch (cause) {
    throw new KioskError(STORE_ERRORS.openFailed, undefined, undefined, { cause });
  }
  try {
    const versionBefore = Number(db.pragma('user_version', { simple: true }));
    migrate(db, MIGRATIONS);
    return assemble(
      db,
      options.path,
      now,
      { db, cipher, digest: (certKey) => idDigest(key, certKey) },
      { rollbackKey: options.rollbackKey, sealingStartsNow: versionBefore < SEALED_MARK_VERSION },
    );
  } catch (error) {
    db.close();
    if (isKioskError(error)) throw error;
    throw new KioskError(STORE_ERRORS.openFailed, undefined, undefined, { cause: error });
  }
}

/**
 * The schema version that first opens with a sealed rollback mark (migration 0008 came with it). A database
 * that reaches it in this very open had no sealed mark to show, so its missing or old mark is accepted once.
 */
const SEALED_MARK_VERSION = 8;

function assemble(
  db: Database.Database,
  path: string,
  now: () => number,
  ctx: StoreContext,
  sealing: { rollbackKey: Buffer | undefined; sealingStartsNow: boolean },
): KioskStore {
  const services = createServicesRepo(ctx);
  const ratings = createRatingsRepo(ctx);
  const outbox = createOutboxRepo(ctx, ratings);
  const events = createEventsRepo(ctx);
  const stats = createStatsRepo(ctx);
  const windowRepo = createWindowRepo(ctx);
  const openSessions = createOpenSessionsRepo(ctx);
  const highWater = openHighWater(`${path}.hw`, sealing.rollbackKey);
  const findings: StoreFinding[] = [];
  // The latest rating time, whatever its seq (a clock set back stores later seqs at earlier times): the time
  // index's last entry by its key, and the few ratings after its mark.
  const newestAt = db.prepare<[], { at: number | null }>(
    `SELECT max(at) AS at FROM (SELECT max(created_at) AS at FROM ratings_by_time
       UNION ALL SELECT max(created_at) FROM ratings WHERE seq > (SELECT value FROM marks WHERE name = 'index.time'))`,
  );

  let status: ChainStatus = ratings.verify(now());
  const recordedHigh = highWater.value;
  if (status.ok && recordedHigh !== null && status.lastSeq < recordedHigh) {
    status = { ...status, ok: false, code: STORE_ERRORS.rolledBack.code };
  }
  if (!status.ok) {
    events.audit({
      at: status.verifiedAt,
      actor: 'store',
      action: status.code === STORE_ERRORS.rolledBack.code ? 'store.rolled-back' : 'store.chain-broken',
      detail: {
        code: status.code,
        brokenAt: status.brokenAt,
        lastSeq: status.lastSeq,
        highWater: recordedHigh,
      },
    });
  }
  // The rollback mark itself (issue 18 item 2): with a key, only a sealed mark counts. A missing or unsealed one
  // is expected once, when the database first reaches the sealed-mark version or holds no rating yet.
  const markState = highWater.state;
  const markExpected = sealing.rollbackKey !== undefined && status.lastSeq > 0 && !sealing.sealingStartsNow;
  if (
    sealing.rollbackKey !== undefined &&
    (markState === 'invalid' || (markExpected && (markState === 'missing' || markState === 'unsealed')))
  ) {
    const detail = { code: STORE_ERRORS.rollbackMarkInvalid.code, mark: markState, lastSeq: status.lastSeq };
    findings.push({ code: STORE_ERRORS.rollbackMarkInvalid.code, detail });
    events.audit({ at: status.verifiedAt, actor: 'store', action: 'store.rollback-mark-invalid', detail });
    highWater.reseal(status.lastSeq);
  }
  highWater.raise(status.lastSeq);
  // Statistics are derived (domain-rules §6): an index edited outside the kiosk is re-derived and reported.
  const rederived = stats.rederiveTimeIndex();
  if (rederived) {
    const detail = { code: STORE_ERRORS.derivedIndexRebuilt.code, ...rederived };
    findings.push({ code: STORE_ERRORS.derivedIndexRebuilt.code, detail });
    events.audit({ at: status.verifiedAt, actor: 'store', action: 'store.index-rederived', detail });
  }
  const openStatus = status;
  let closed = false;
  // Should the checkpoint thread ever fail, maintain() checkpoints on this thread instead (slower, still correct).
  let checkpointOffThread = true;
  const checkpointer = createCheckpointer(path, () => {
    checkpointOffThread = false;
  });

  return {
    path,
    close() {
      if (closed) return;
      closed = true;
      checkpointer.close();
      highWater.raise(ratings.lastLink().seq);
      highWater.close();
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
    maintain() {
      if (closed) return Promise.resolve();
      stats.catchUpTimeIndex();
      // The high-water mark follows here, not at every commit (a write syscall on the press path): it may lag
      // the last few seconds of ratings, which can only miss a rollback to a copy that recent, never report
      // a false one (high-water.ts).
      highWater.raise(ratings.lastLink().seq);
      if (checkpointOffThread) return checkpointer.request();
      db.pragma('wal_checkpoint(PASSIVE)');
      return Promise.resolve();
    },
    chainStatus: () => ({ ...openStatus }),
    findings: () => findings.map((f) => ({ ...f })),
    newestRatingAt: () => newestAt.get()?.at ?? null,
    verifyChain: (at) => ratings.verify(at),
    ...services,
    commitRating(input) {
      const result = ratings.commitRating(input);
      outbox.noteEnqueued();
      return result;
    },
    getRating: ratings.getRating,
    lastLink: ratings.lastLink,
    nextBatch: outbox.nextBatch,
    markDelivered: outbox.markDelivered,
    markDead: outbox.markDead,
    recordAttempt: outbox.recordAttempt,
    resend: outbox.resend,
    stats: outbox.stats,
    erasePii: outbox.erasePii,
    defaultCandidates: outbox.defaultCandidates,
    ...events,
    ...stats,
    ...windowRepo,
    ...openSessions,
  };
}
