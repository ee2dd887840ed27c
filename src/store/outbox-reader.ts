/**
 * A read-only view of the outbox on its own SQLite connection, for the delivery thread
 * (src/sync/delivery/thread.ts). Reading a batch — the queue join, JSON parse, identity decryption — is most of
 * a batch's work on the kiosk's side; on its own thread and connection it never holds up a citizen's
 * press → stored commit (drain benchmark). WAL lets this connection read while the kiosk's writes, and
 * `query_only` makes sure it never writes: every change to the queue stays on the store's one connection.
 */
import Database from 'better-sqlite3';
import { createPiiCipher } from '../crypto/pii-cipher.js';
import { KioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';
import type { OutboxItem } from '../sync/outbox-port.js';
import { createPendingBatch, createRecordRebuilder, type UnreadableIdentity } from './pending-batch.js';

export interface OutboxReader {
  nextBatch(limit: number): OutboxItem[];
  close(): void;
}

/** Opens an existing, already migrated store (the kiosk opened it first). Throws KioskError E2103 when it cannot. */
export function openOutboxReader(options: {
  path: string;
  piiKey: Buffer;
  /** A record goes without an identity that cannot be decrypted; this hears its seq and code. */
  onUnreadable?: UnreadableIdentity;
}): OutboxReader {
  let db: Database.Database;
  try {
    db = new Database(options.path, { fileMustExist: true });
    db.pragma('query_only = ON');
    // A reader never waits for the writer in WAL mode; this covers the moment a checkpoint resets the WAL.
    db.pragma('busy_timeout = 1000');
  } catch (cause) {
    throw new KioskError(STORE_ERRORS.openFailed, undefined, undefined, { cause });
  }
  try {
    const nextBatch = createPendingBatch(
      db,
      createRecordRebuilder(createPiiCipher(options.piiKey)),
      options.onUnreadable,
    );
    return {
      nextBatch,
      close: () => db.close(),
    };
  } catch (error) {
    db.close();
    throw new KioskError(STORE_ERRORS.openFailed, undefined, undefined, { cause: error });
  }
}
