/**
 * Looks at an existing database before anything may write to it (ARCHITECTURE "refuse a database from a
 * newer version"). A refused file must stay byte-identical with no -wal/-shm beside it, and even a
 * read-only SQLite connection creates those for a WAL database, so the inspection runs on an in-memory
 * copy of the bytes. Only when a -wal file already exists (the kiosk's own crash leftover, whose content
 * belongs to the database) is the file opened read-only in place.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
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
  return new Database(bytes, { readonly: true });
}

function corrupt(cause: unknown, reason?: string): KioskError {
  return new KioskError(STORE_ERRORS.corrupt, undefined, reason ? { reason } : undefined, { cause });
}
