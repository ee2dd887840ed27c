/**
 * 0001: the initial schema. Ratings and every other record of what happened are append-only, enforced
 * by triggers so that no code path (and no stray SQL) can edit history (domain-rules §6).
 */
import type { Migration } from './types.js';

const LEVELS = `('very_satisfied','satisfied','basic','dissatisfied','very_dissatisfied')`;

/** A trigger that refuses every UPDATE and DELETE on an append-only table. E2202 = STORE_ERRORS.appendOnly. */
function appendOnly(table: string): string {
  return `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, 'E2202 ${table} is append-only'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, 'E2202 ${table} is append-only'); END;`;
}

const SQL = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

-- One row per completed service reported by the window system (window-link.md). service_day (Asia/Shanghai
-- calendar day of completed_at) is in the key because queue tickets restart every day.
CREATE TABLE services (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL UNIQUE,
  ticket_no TEXT NOT NULL,
  project_no TEXT,
  service_number TEXT NOT NULL,
  service_day INTEGER NOT NULL,
  task_code TEXT,
  task_name TEXT,
  completed_at INTEGER NOT NULL,
  opened_at INTEGER NOT NULL,
  outcome TEXT CHECK (outcome IN ('rated','unrated','abandoned','superseded')),
  closed_at INTEGER,
  staff_id TEXT,
  staff_name TEXT,
  citizen_enc TEXT,
  citizen_digest TEXT
) STRICT;
CREATE UNIQUE INDEX services_key ON services (ticket_no, coalesce(project_no, ''), service_number, service_day);
CREATE INDEX services_ticket ON services (ticket_no, id);
CREATE INDEX services_unrated ON services (completed_at) WHERE outcome IN ('unrated','superseded');
CREATE TRIGGER services_no_delete BEFORE DELETE ON services
BEGIN SELECT RAISE(ABORT, 'E2202 services is append-only'); END;

-- The chain (province-profile.md "Hash"): record_json is the canonical text (no hash, no PII);
-- hash = SM3(prev_hash + record_json). pii_enc holds {certKey,userName} encrypted (domain-rules §5).
CREATE TABLE ratings (
  seq INTEGER PRIMARY KEY,
  rating_id TEXT NOT NULL UNIQUE,
  service_id INTEGER UNIQUE REFERENCES services(id),
  level TEXT NOT NULL CHECK (level IN ${LEVELS}),
  bad INTEGER NOT NULL CHECK (bad IN (0,1)),
  is_default INTEGER NOT NULL CHECK (is_default IN (0,1)),
  record_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  pii_enc TEXT,
  citizen_digest TEXT,
  created_at INTEGER NOT NULL,
  source TEXT NOT NULL,
  session_id TEXT
) STRICT;
CREATE INDEX ratings_created ON ratings (created_at);
CREATE INDEX ratings_digest ON ratings (citizen_digest, created_at) WHERE citizen_digest IS NOT NULL;
CREATE TRIGGER ratings_no_delete BEFORE DELETE ON ratings
BEGIN SELECT RAISE(ABORT, 'E2202 ratings is append-only'); END;
-- The only allowed UPDATE is the PII erase: pii_enc / citizen_digest set to NULL, nothing else changed.
CREATE TRIGGER ratings_no_update BEFORE UPDATE ON ratings
WHEN NOT (NEW.seq IS OLD.seq AND NEW.rating_id IS OLD.rating_id AND NEW.service_id IS OLD.service_id
  AND NEW.level IS OLD.level AND NEW.bad IS OLD.bad AND NEW.is_default IS OLD.is_default
  AND NEW.record_json IS OLD.record_json AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash
  AND NEW.created_at IS OLD.created_at AND NEW.source IS OLD.source AND NEW.session_id IS OLD.session_id
  AND (NEW.pii_enc IS OLD.pii_enc OR NEW.pii_enc IS NULL)
  AND (NEW.citizen_digest IS OLD.citizen_digest OR NEW.citizen_digest IS NULL))
BEGIN SELECT RAISE(ABORT, 'E2202 ratings is append-only'); END;

-- Written in the same transaction as the rating (the job row of a persistent queue). bad is copied from
-- ratings so the pending index serves "差评 first, then lowest seq" directly.
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY REFERENCES ratings(seq),
  bad INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','delivered','dead')),
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_code TEXT,
  last_attempt_at INTEGER,
  delivered_at INTEGER,
  dead_code TEXT,
  dead_message TEXT,
  dead_at INTEGER,
  resent_at INTEGER
) STRICT;
CREATE INDEX outbox_pending ON outbox (bad DESC, seq) WHERE state = 'pending';
CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE state = 'delivered';
CREATE TRIGGER outbox_no_delete BEFORE DELETE ON outbox
BEGIN SELECT RAISE(ABORT, 'E2202 outbox is append-only'); END;
CREATE TRIGGER outbox_delivered_final BEFORE UPDATE ON outbox
WHEN NEW.seq IS NOT OLD.seq OR NEW.bad IS NOT OLD.bad OR NEW.created_at IS NOT OLD.created_at
  OR (OLD.state = 'delivered' AND NEW.state <> 'delivered')
BEGIN SELECT RAISE(ABORT, 'E2202 outbox: delivered is final'); END;

-- Presses with no open session and other refused presses (domain-rules §2, §7): never counted, never deleted.
CREATE TABLE suppressed_presses (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  level TEXT CHECK (level IS NULL OR level IN ${LEVELS}),
  source TEXT NOT NULL,
  reason TEXT NOT NULL,
  session_id TEXT,
  pad_serial TEXT,
  event_counter INTEGER,
  flags TEXT NOT NULL
) STRICT;
${appendOnly('suppressed_presses')}

-- 差评 sessions that ended on the reason screen (domain-rules §3): local only, counted in the heartbeat.
CREATE TABLE abandoned (
  id INTEGER PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES services(id),
  session_id TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ${LEVELS}),
  at INTEGER NOT NULL,
  flags TEXT NOT NULL,
  catalogue_version TEXT NOT NULL
) STRICT;
${appendOnly('abandoned')}

-- RP/1 RATING events already handled, so a replayed frame is never a second press (rating-pad-rp1.md).
CREATE TABLE pad_events (
  pad_serial TEXT NOT NULL,
  event_counter INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (pad_serial, event_counter)
) STRICT, WITHOUT ROWID;
${appendOnly('pad_events')}

-- Technician and system actions. The caller passes redacted detail (no PII, no secrets).
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail TEXT NOT NULL
) STRICT;
${appendOnly('audit')}

CREATE TABLE catalogue_cache (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version TEXT NOT NULL,
  json TEXT NOT NULL,
  saved_at INTEGER NOT NULL
) STRICT;
`;

export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(SQL);
  },
};
