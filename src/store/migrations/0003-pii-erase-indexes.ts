/**
 * 0003: partial indexes so the PII erase (domain-rules §5) touches only rows that still hold PII, instead of
 * walking the whole delivered history after each request (measured: 90 ms at 100 k delivered, 0.02 ms after).
 * Additive only, so version 0002 can still open the database after a rollback (README "Operations").
 */
import type { Migration } from './types.js';

export const migration0003: Migration = {
  version: 3,
  name: 'pii-erase-indexes',
  up(db) {
    db.exec(`
CREATE INDEX ratings_pii ON ratings (seq) WHERE pii_enc IS NOT NULL;
CREATE INDEX services_citizen ON services (id) WHERE citizen_enc IS NOT NULL;
CREATE INDEX services_digest_left ON services (completed_at) WHERE citizen_digest IS NOT NULL;
`);
  },
};
