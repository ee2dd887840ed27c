/**
 * Runs the registry's migrations above the database's `user_version`, each in its own transaction, so
 * a failure leaves the database at the previous version (STORE_ERRORS.migrationFailed).
 */
import type Database from 'better-sqlite3';
import { KioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';
import type { Migration } from './migrations/index.js';

/** Identifies a kiosk database in the SQLite header ("HCP1"), so a foreign SQLite file is never migrated. */
export const APPLICATION_ID = 0x48435031;

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration newer than the current version; returns the versions applied. */
export function migrate(db: Database.Database, migrations: readonly Migration[]): number[] {
  const applied: number[] = [];
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const current = userVersion(db);
  if (current > latest) {
    throw new KioskError(STORE_ERRORS.newerVersion, undefined, { version: current, latest });
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    const step = db.transaction(() => {
      migration.up(db);
      if (migration.version === 1) db.pragma(`application_id = ${APPLICATION_ID}`);
      // PRAGMA takes no bound parameters; the version is an integer from our own registry.
      db.pragma(`user_version = ${Math.trunc(migration.version)}`);
    });
    try {
      step.immediate();
    } catch (cause) {
      throw new KioskError(
        STORE_ERRORS.migrationFailed,
        `Migration ${migration.version} (${migration.name}) failed and was rolled back.`,
        { version: migration.version, name: migration.name },
        { cause },
      );
    }
    applied.push(migration.version);
  }
  return applied;
}
