/**
 * 0002: indexes for the day statistics (ratingsSummary) over the side tables, which 0001 left unindexed.
 * Also proves the runner steps through more than one migration on an existing database.
 */
import type { Migration } from './types.js';

export const migration0002: Migration = {
  version: 2,
  name: 'report-indexes',
  up(db) {
    db.exec(`
CREATE INDEX suppressed_presses_at ON suppressed_presses (at);
CREATE INDEX abandoned_at ON abandoned (at);
`);
  },
};
