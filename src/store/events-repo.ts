/**
 * The other append-only records: suppressed presses, abandoned 差评 sessions, handled pad events, the
 * audit trail; plus the catalogue cache (domain-rules §2, §3, §6).
 */
import { KioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';
import { BAD_LEVELS_SQL } from './stats-repo.js';
import { rethrowServiceRef, type StoreContext } from './context.js';
import type { AbandonedInput, AuditEntry, SuppressedInput } from './types.js';

export function createEventsRepo(ctx: StoreContext) {
  const { db } = ctx;
  const insertPad = db.prepare(
    'INSERT OR IGNORE INTO pad_events (pad_serial, event_counter, at) VALUES (?, ?, ?)',
  );
  const padSeen = db.prepare<[string, number], { one: number }>(
    'SELECT 1 AS one FROM pad_events WHERE pad_serial = ? AND event_counter = ?',
  );
  const insertSuppressed = db.prepare(
    `INSERT INTO suppressed_presses (at, level, source, reason, session_id, pad_serial, event_counter, flags)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertAbandoned = db.prepare(
    `INSERT INTO abandoned (service_id, session_id, level, at, flags, catalogue_version) VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const closeAbandoned = db.prepare(
    `UPDATE services SET outcome = 'abandoned', closed_at = ? WHERE id = ? AND outcome IS NULL`,
  );
  const abandonedBad = db.prepare<[], { n: number }>(
    `SELECT count(*) AS n FROM abandoned WHERE level IN ${BAD_LEVELS_SQL}`,
  );
  const insertAudit = db.prepare('INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)');
  const loadCatalogue = db.prepare<[], { version: string; json: string }>(
    'SELECT version, json FROM catalogue_cache WHERE id = 1',
  );
  const saveCatalogue = db.prepare(
    `INSERT INTO catalogue_cache (id, version, json, saved_at) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET version = excluded.version, json = excluded.json, saved_at = excluded.saved_at`,
  );

  return {
    padEventSeen(padSerial: string, eventCounter: number): boolean {
      return padSeen.get(padSerial, eventCounter) !== undefined;
    },
    /** A replayed pad event (already recorded) → STORE_ERRORS.duplicateRating, nothing written. */
    recordSuppressed: db.transaction((input: SuppressedInput): void => {
      const pad = input.padEvent;
      if (pad && insertPad.run(pad.padSerial, pad.eventCounter, input.at).changes === 0) {
        throw new KioskError(STORE_ERRORS.duplicateRating, 'This pad event was already handled.', { ...pad });
      }
      insertSuppressed.run(
        input.at,
        input.level,
        input.source,
        input.reason,
        input.sessionId,
        pad?.padSerial ?? null,
        pad?.eventCounter ?? null,
        JSON.stringify(input.flags),
      );
    }) as (input: SuppressedInput) => void,
    /** Stores the abandoned 差评 and closes its service `abandoned`, in one transaction (domain-rules §3). */
    recordAbandoned: db.transaction((input: AbandonedInput): void => {
      const flags = input.flags.includes('no-reason') ? input.flags : [...input.flags, 'no-reason'];
      try {
        insertAbandoned.run(
          input.serviceId,
          input.sessionId,
          input.level,
          input.at,
          JSON.stringify(flags),
          input.catalogueVersion,
        );
      } catch (error) {
        rethrowServiceRef(error, input.serviceId);
      }
      closeAbandoned.run(input.at, input.serviceId);
    }) as (input: AbandonedInput) => void,
    abandonedBadCount(): number {
      return abandonedBad.get()!.n;
    },
    audit(entry: AuditEntry): void {
      insertAudit.run(entry.at, entry.actor, entry.action, JSON.stringify(entry.detail));
    },
    loadCatalogue(): { version: string; json: string } | null {
      return loadCatalogue.get() ?? null;
    },
    saveCatalogue(version: string, json: string, at: number): void {
      saveCatalogue.run(version, json, at);
    },
  };
}
