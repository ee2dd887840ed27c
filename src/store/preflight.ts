/**
 * Looks at an existing database before anything may write to it (ARCHITECTURE "refuse a database from a
 * newer version"). A refused file must stay byte-identical with no -wal/-shm beside it, and even a
 * read-only SQLite connection creates those for a WAL database, so the inspection runs on an in-memory
 * copy of the bytes. Only when a -wal file already exists (the kiosk's own crash leftover, whose content
 * belongs to the database) is the file opened read-only in place.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { MessageChannel } from 'node:worker_threads';
import { KioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';
import { APPLICATION_ID } from './migrate.js';

export interface Preflight {
  /** False when there is no file (or an empty one): the store creates it. */
  exists: boolean;
  userVersion: number;
}

const MAGIC = 'SQLite format 3\0';

export function preflight(path: string, latestVersion: number): Preflight {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, userVersion: 0 };
    throw new KioskError(STORE_ERRORS.openFailed, undefined, undefined, { cause: error });
  }
  if (size === 0) return { exists: false, userVersion: 0 };

  let db: Database.Database;
  try {
    db = existsSync(`${path}-wal`)
      ? new Database(path, { readonly: true, fileMustExist: true })
      : inMemoryCopy(path);
  } catch (cause) {
    throw corrupt(cause);
  }
  try {
    let check: unknown;
    let version: number;
    let appId: number;
    try {
      version = db.pragma('user_version', { simple: true }) as number;
      appId = db.pragma('application_id', { simple: true }) as number;
      check = db.pragma('quick_check', { simple: true });
    } catch (cause) {
      throw corrupt(cause);
    }
    if (check !== 'ok') throw corrupt(undefined, 'quick_check failed');
    if (appId !== 0 && appId !== APPLICATION_ID) throw corrupt(undefined, 'not a kiosk database');
    if (version > latestVersion) {
      throw new KioskError(STORE_ERRORS.newerVersion, undefined, { version, latest: latestVersion });
    }
    return { exists: true, userVersion: version };
  } finally {
    db.close();
  }
}

function inMemoryCopy(path: string): Database.Database {
  const bytes = readFileSync(path);
  if (bytes.length < 100 || bytes.subarray(0, 16).toString('latin1') !== MAGIC) {
    throw new Error('not an SQLite file');
  }
  // Header bytes 18/19 = 2 mark WAL mode, which an in-memory database cannot open; the copy is ours to patch.
  bytes[18] = 1;
  bytes[19] = 1;
  try {
    return new Database(bytes, { readonly: true }); // SQLite keeps its own copy
  } finally {
    release(bytes);
  }
}

/**
 * Frees a file-sized buffer now rather than at the next full garbage collection, which may not come for
 * minutes: the main thread allocates little. A 100 000-rating store's copy (145 MB) stayed in memory through a
 * whole backlog drain (drain benchmark RSS 360 MB). Transferring the memory into a message that is never read
 * detaches it here, and the message is freed with its channel.
 */
function release(bytes: Buffer): void {
  const memory = bytes.buffer;
  // A slice of Node's shared pool (a tiny file) or shared memory is not ours to detach.
  if (!(memory instanceof ArrayBuffer) || memory.byteLength !== bytes.length) return;
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(null, [memory]);
  port1.close();
  port2.close();
}

function corrupt(cause: unknown, reason?: string): KioskError {
  return new KioskError(STORE_ERRORS.corrupt, undefined, reason ? { reason } : undefined, { cause });
}
