/**
 * 0008: the day statistics' index `ratings_by_time` (migration 0005) becomes derived-only (issue 18 item 2:
 * it had no trigger, so a duplicated or re-targeted row changed a day from 200 ratings to 268, or moved 50 to
 * the day before, with health `ok`). A row may exist only as a copy of a rating's (created_at, seq):
 * - it cannot be updated;
 * - it cannot be inserted unless such a rating exists;
 * - it cannot be deleted while it matches its rating; a row that matches none (planted by someone who dropped
 *   these triggers) can be, which is how the store re-derives the index (stats-repo.ts `rederiveTimeIndex`).
 * The queries read it joined on both columns, so a planted row never counts even before it is removed.
 * Additive only: version 0007 opens the file as before (README "Operations").
 */
import type { Migration } from './types.js';

const SQL = `
CREATE TRIGGER ratings_by_time_no_update BEFORE UPDATE ON ratings_by_time
BEGIN SELECT RAISE(ABORT, 'E2202 ratings_by_time is derived from ratings'); END;
CREATE TRIGGER ratings_by_time_derived BEFORE INSERT ON ratings_by_time
WHEN NOT EXISTS (SELECT 1 FROM ratings r WHERE r.seq = NEW.seq AND r.created_at = NEW.created_at)
BEGIN SELECT RAISE(ABORT, 'E2202 ratings_by_time is derived from ratings'); END;
CREATE TRIGGER ratings_by_time_kept BEFORE DELETE ON ratings_by_time
WHEN EXISTS (SELECT 1 FROM ratings r WHERE r.seq = OLD.seq AND r.created_at = OLD.created_at)
BEGIN SELECT RAISE(ABORT, 'E2202 ratings_by_time is derived from ratings'); END;
`;

export const migration0008: Migration = {
  version: 8,
  name: 'derived-stats',
  up(db) {
    db.exec(SQL);
  },
};
