/** What every repository shares: the connection, the PII cipher and the key for ID digests. */
import type Database from 'better-sqlite3';
import type { PiiCipher } from '../crypto/pii-cipher.js';
import { KioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';

export interface StoreContext {
  db: Database.Database;
  cipher: PiiCipher;
  digest(certKey: string): string;
}

/** better-sqlite3 error code of a failed statement, e.g. `SQLITE_CONSTRAINT_UNIQUE`. */
export function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Maps a foreign-key failure on a service reference to STORE_ERRORS.unknownService. */
export function rethrowServiceRef(error: unknown, serviceId: number | null): never {
  if (sqliteCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY') {
    throw new KioskError(STORE_ERRORS.unknownService, undefined, { serviceId }, { cause: error });
  }
  throw error;
}

/**
 * Runs `write` (one transaction) with synchronous=NORMAL: committed, atomic, but without its own fsync. Only
 * for writes a power cut may lose because they are redone or derived (delivery marks, attempt counts, erase
 * slices, the day reports' time index): the next FULL commit (a rating) syncs the WAL, these frames included.
 */
export function withoutFsync<T>(db: Database.Database, write: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = FULL');
  }
}
