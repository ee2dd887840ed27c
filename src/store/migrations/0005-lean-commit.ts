/**
 * 0005: a rating's commit writes only what durability and the rules need at the press (issue 2 benchmark:
 * commit ≤ 1.5 × a bare single-row insert; every page a commit touches is written to the WAL and paid again in
 * its fsync). Measured on the commit: 11 WAL frames before, about 4 after.
 * - The outbox becomes a lean job queue. `outbox_pending (bad DESC, seq)` WITHOUT ROWID is the whole job, already in
 *   delivery order (差评 first, then oldest; domain-rules §3); a job leaves it only as a delivery or a dead
 *   letter (trigger), so none can vanish. `deliveries` (append-only, in delivery order), `outbox_dead` and
 *   `outbox_attempts` are written by the outbox worker, never on the press path.
 * - One rating per service (domain-rules §2) moves from a UNIQUE index on ratings.service_id to the service row
 *   itself: `services.rating_seq`, set by a trigger on the rating's insert, which refuses a second one (E2203)
 *   and closes the service as rated. The service row is written by that commit anyway.
 * - A rating's identity (ID number, name) is no longer copied into its row: it stays sealed once, in the service
 *   row, and records are rebuilt with it; after delivery the erase rewrites that small row, not the rating's.
 * - ratings is rebuilt without its UNIQUE indexes (rating_id is a UUIDv7 the kiosk makes; nothing looks a
 *   rating up by it) and without ratings_created / ratings_digest / ratings_pii: day reports read
 *   `ratings_by_time`, which the idle maintenance fills a few seconds behind (queries read the tail directly);
 *   the id-burst rule (domain-rules §7) counts through the service's digest; the PII erase walks `deliveries`
 *   from a mark in `marks`.
 * The old `outbox` rows are moved over unchanged in meaning. Not readable by version 4 (README "Operations").
 * Time: about 1 s per 100 k ratings, once.
 */
import type { Migration } from './types.js';

const SQL = `
-- One rating per service, on the service row.
ALTER TABLE services ADD COLUMN rating_seq INTEGER;
UPDATE services SET rating_seq = (SELECT r.seq FROM ratings r WHERE r.service_id = services.id);
CREATE TRIGGER services_rating_final BEFORE UPDATE OF rating_seq ON services
WHEN OLD.rating_seq IS NOT NULL AND NEW.rating_seq IS NOT OLD.rating_seq
BEGIN SELECT RAISE(ABORT, 'E2203 this service already has a rating'); END;
-- A rating's identity is its service's (ratings after this migration hold none): once rated, it can only be
-- erased, never replaced.
CREATE TRIGGER services_identity_final BEFORE UPDATE OF citizen_enc, citizen_digest ON services
WHEN OLD.rating_seq IS NOT NULL AND ((NEW.citizen_enc IS NOT NULL AND NEW.citizen_enc IS NOT OLD.citizen_enc)
  OR (NEW.citizen_digest IS NOT NULL AND NEW.citizen_digest IS NOT OLD.citizen_digest))
BEGIN SELECT RAISE(ABORT, 'E2202 the identity of a rated service is final'); END;
-- The erase of abandoned services' identities (never sent) by a seek: 0003's services_citizen lists every
-- service still holding an identity, which during a backlog drain is most of them, at every erase slice.
CREATE INDEX services_abandoned_identity ON services (closed_at)
  WHERE outcome = 'abandoned' AND citizen_enc IS NOT NULL;
-- The id-burst rule counts a card's ratings through its services (written when the service or card arrives).
CREATE INDEX services_digest ON services (citizen_digest) WHERE citizen_digest IS NOT NULL;

-- The job queue. The old queue's index names are taken by the new tables.
DROP INDEX outbox_pending;
DROP INDEX outbox_pending_age;
CREATE TABLE outbox_pending (
  bad INTEGER NOT NULL CHECK (bad IN (0,1)),
  seq INTEGER NOT NULL,
  -- In the order nextBatch reads (bad DESC, seq): an index scan with no sort, whatever the backlog.
  PRIMARY KEY (bad DESC, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  delivered_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('accepted','duplicate'))
) STRICT;
CREATE TRIGGER deliveries_no_update BEFORE UPDATE ON deliveries
BEGIN SELECT RAISE(ABORT, 'E2202 deliveries: delivered is final'); END;
CREATE TRIGGER deliveries_no_delete BEFORE DELETE ON deliveries
BEGIN SELECT RAISE(ABORT, 'E2202 deliveries: delivered is final'); END;

CREATE TABLE outbox_dead (
  seq INTEGER PRIMARY KEY,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  at INTEGER NOT NULL,
  resent_at INTEGER
) STRICT;
CREATE TRIGGER outbox_dead_no_delete BEFORE DELETE ON outbox_dead
BEGIN SELECT RAISE(ABORT, 'E2202 outbox_dead is kept'); END;

CREATE TABLE outbox_attempts (
  seq INTEGER PRIMARY KEY,
  attempts INTEGER NOT NULL,
  last_code TEXT,
  last_at INTEGER
) STRICT;

INSERT INTO outbox_pending (bad, seq) SELECT bad, seq FROM outbox WHERE state = 'pending';
INSERT INTO deliveries (seq, delivered_at, status)
  SELECT seq, coalesce(delivered_at, 0), 'accepted' FROM outbox WHERE state = 'delivered'
  ORDER BY delivered_at, seq;
INSERT INTO outbox_dead (seq, code, message, at, resent_at)
  SELECT seq, coalesce(dead_code, ''), coalesce(dead_message, ''), coalesce(dead_at, 0), NULL
  FROM outbox WHERE state = 'dead';
INSERT INTO outbox_attempts (seq, attempts, last_code, last_at)
  SELECT seq, attempts, last_code, last_attempt_at FROM outbox WHERE attempts > 0;
DROP TABLE outbox;

-- ratings without the indexes the press paid for. Same columns, same rows, same append-only rules.
CREATE TABLE ratings_v5 (
  seq INTEGER PRIMARY KEY,
  rating_id TEXT NOT NULL,
  service_id INTEGER REFERENCES services(id),
  level TEXT NOT NULL CHECK (level IN ('very_satisfied','satisfied','basic','dissatisfied','very_dissatisfied')),
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
INSERT INTO ratings_v5 SELECT seq, rating_id, service_id, level, bad, is_default, record_json, prev_hash, hash,
  pii_enc, citizen_digest, created_at, source, session_id FROM ratings ORDER BY seq;
DROP TABLE ratings;
ALTER TABLE ratings_v5 RENAME TO ratings;
CREATE TRIGGER ratings_no_delete BEFORE DELETE ON ratings
BEGIN SELECT RAISE(ABORT, 'E2202 ratings is append-only'); END;
CREATE TRIGGER ratings_no_update BEFORE UPDATE ON ratings
WHEN NOT (NEW.seq IS OLD.seq AND NEW.rating_id IS OLD.rating_id AND NEW.service_id IS OLD.service_id
  AND NEW.level IS OLD.level AND NEW.bad IS OLD.bad AND NEW.is_default IS OLD.is_default
  AND NEW.record_json IS OLD.record_json AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash
  AND NEW.created_at IS OLD.created_at AND NEW.source IS OLD.source AND NEW.session_id IS OLD.session_id
  AND (NEW.pii_enc IS OLD.pii_enc OR NEW.pii_enc IS NULL)
  AND (NEW.citizen_digest IS OLD.citizen_digest OR NEW.citizen_digest IS NULL))
BEGIN SELECT RAISE(ABORT, 'E2202 ratings is append-only'); END;
-- 一次一评: the rating's insert claims its service; a second claim is refused by services_rating_final (E2203),
-- which also guards any other UPDATE. A service still open is closed as rated; a closed one (a default rating
-- for an unrated service) keeps its outcome.
CREATE TRIGGER ratings_one_per_service AFTER INSERT ON ratings WHEN NEW.service_id IS NOT NULL
BEGIN
  UPDATE services SET rating_seq = NEW.seq,
    closed_at = CASE WHEN outcome IS NULL THEN NEW.created_at ELSE closed_at END,
    outcome = coalesce(outcome, 'rated')
  WHERE id = NEW.service_id;
END;

-- The day reports' index, filled off the press path (store.maintain) up to marks 'index.time'.
CREATE TABLE ratings_by_time (
  created_at INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (created_at, seq)
) STRICT, WITHOUT ROWID;
INSERT INTO ratings_by_time (created_at, seq) SELECT created_at, seq FROM ratings;

-- Positions of the background walks: the PII erase (domain-rules §5) in deliveries, the time index in ratings.
CREATE TABLE marks (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;
INSERT INTO marks (name, value) VALUES
  ('index.time', coalesce((SELECT max(seq) FROM ratings), 0)),
  -- Rows erased before this migration need no second pass: each erase resumes just before the first delivery
  -- whose rating still holds what it removes (or after the last delivery).
  ('erase.pii', coalesce(
    (SELECT min(d.id) - 1 FROM deliveries d JOIN ratings r ON r.seq = d.seq WHERE r.pii_enc IS NOT NULL),
    (SELECT max(id) FROM deliveries), 0)),
  ('erase.digest', coalesce(
    (SELECT min(d.id) - 1 FROM deliveries d JOIN ratings r ON r.seq = d.seq WHERE r.citizen_digest IS NOT NULL),
    (SELECT max(id) FROM deliveries), 0));

-- A pending job leaves the queue only by being delivered or made a dead letter.
CREATE TRIGGER outbox_pending_kept BEFORE DELETE ON outbox_pending
WHEN NOT EXISTS (SELECT 1 FROM deliveries WHERE seq = OLD.seq)
  AND NOT EXISTS (SELECT 1 FROM outbox_dead WHERE seq = OLD.seq AND resent_at IS NULL)
BEGIN SELECT RAISE(ABORT, 'E2202 outbox: a pending record leaves only as delivered or dead'); END;

-- Every queued record and where it is, for people and reports reading the file (not used on hot paths).
-- A resent dead letter is pending again; a dead letter accepted later is delivered.
CREATE VIEW outbox (seq, bad, state, at) AS
  SELECT seq, bad, 'pending', NULL FROM outbox_pending
  UNION ALL
  SELECT d.seq, r.bad, 'delivered', d.delivered_at FROM deliveries d JOIN ratings r ON r.seq = d.seq
  UNION ALL
  SELECT x.seq, r.bad, 'dead', x.at FROM outbox_dead x JOIN ratings r ON r.seq = x.seq
  WHERE x.resent_at IS NULL AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.seq = x.seq);
`;

export const migration0005: Migration = {
  version: 5,
  name: 'lean-commit',
  up(db) {
    db.exec(SQL);
  },
};
