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
import type { ChainStatus, KioskStore, StoreOptions } from './types.js';

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
    migrate(db, MIGRATIONS);
    return assemble(db, options.path, now, { db, cipher, digest: (certKey) => idDigest(key, certKey) });
  } catch (error) {
    db.close();
    if (isKioskError(error)) throw error;
    throw new KioskError(STORE_ERRORS.openFailed, undefined, undefined, { cause: error });
  }
}

function assemble(db: Database.Database, path: string, now: () => number, ctx: StoreContext): KioskStore {
  const services = createServicesRepo(ctx);
  const ratings = createRatingsRepo(ctx);
  const outbox = createOutboxRepo(ctx, ratings);
  const events = createEventsRepo(ctx);
  const stats = createStatsRepo(ctx);
  const highWater = openHighWater(`${path}.hw`);

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
  highWater.raise(status.lastSeq);
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
  };
}
