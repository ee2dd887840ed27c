import { defineCodes } from './types.js';

/** Band E2: the durable store (SQLite) and the hash chain. */
export const STORE_ERRORS = defineCodes({
  newerVersion: {
    code: 'E2101',
    name: 'store.newer-version',
    help: 'The database was written by a newer kiosk version; start that version (or restore a backup). The file was not touched.',
  },
  corrupt: {
    code: 'E2102',
    name: 'store.corrupt',
    help: 'The database file is not a readable SQLite database or failed its integrity check. The file was not touched; restore it from a backup and keep this copy for analysis.',
  },
  openFailed: {
    code: 'E2103',
    name: 'store.open-failed',
    help: 'The database could not be opened (permissions, disk full, or locked by another kiosk process).',
  },
  migrationFailed: {
    code: 'E2104',
    name: 'store.migration-failed',
    help: 'A schema migration failed and was rolled back; the database is at its previous version.',
  },
  chainBroken: {
    code: 'E2201',
    name: 'store.chain-broken',
    help: 'The rating hash chain does not verify: a record was edited, deleted or inserted outside the kiosk, or the file was rolled back. History is never rewritten; report it for review.',
  },
  appendOnly: {
    code: 'E2202',
    name: 'store.append-only',
    help: 'An attempt to change or delete a stored rating was refused: ratings are append-only.',
  },
  duplicateRating: {
    code: 'E2203',
    name: 'store.duplicate-rating',
    help: 'This service already has a rating (一次一评); the second one was refused.',
  },
  piiKeyMissing: {
    code: 'E2301',
    name: 'store.pii-key-missing',
    help: 'The key that encrypts ID numbers at rest (pii.key in the data directory) is missing while the database holds identities sealed with it: restore pii.key from the device backup (mode 0600) and restart. Meanwhile ratings are taken and records are sent without the identities that cannot be read; no new key was written.',
  },
  invalidRecord: {
    code: 'E2205',
    name: 'store.invalid-record',
    help: 'A rating handed to the store was inconsistent (level and satisfaction disagree, or a field has the wrong type); nothing was written. This is a kiosk bug: report it.',
  },
  duplicateService: {
    code: 'E2206',
    name: 'store.duplicate-service',
    help: 'The window system reported a completed service whose service key (projectNo, serviceNumber, node; or ticketNo, serviceNumber, node and day) the store already has; the repeat was ignored.',
  },
  duplicateRatingId: {
    code: 'E2210',
    name: 'store.duplicate-rating-id',
    help: 'A rating was handed to the store with a ratingId another stored rating already has (the province idempotency key); nothing was written and the session stays open. This is a kiosk bug: report it.',
  },
  unknownService: {
    code: 'E2207',
    name: 'store.unknown-service',
    help: 'A rating or outcome referred to a service the store does not have. This is a kiosk bug: report it.',
  },
  piiUnreadable: {
    code: 'E2302',
    name: 'store.pii-unreadable',
    help: 'An encrypted ID number or name could not be decrypted (different key, or the data was altered). The record itself is intact.',
  },
  keyFileInvalid: {
    code: 'E2303',
    name: 'store.key-file-invalid',
    help: 'The PII key file has the wrong size or is readable by group/others; it was not changed. Restore the right file with mode 0600.',
  },
  rolledBack: {
    code: 'E2204',
    name: 'store.rolled-back',
    help: 'The database is older than the last sequence number this device recorded: the file was rolled back to an older copy.',
  },
  derivedIndexRebuilt: {
    code: 'E2230',
    name: 'store.derived-index-rebuilt',
    help: 'The statistics index (ratings_by_time) did not match the ratings it is derived from (edited outside the kiosk); it was re-derived from the ratings and the day figures are exact again. Report it for review.',
  },
  rollbackMarkInvalid: {
    code: 'E2231',
    name: 'store.rollback-mark-invalid',
    help: 'The sealed rollback mark beside the database (kiosk.sqlite.hw) is missing, altered or sealed by another device, so a rollback of the file cannot be ruled out. Report it for review; the mark is re-sealed from the current database.',
  },
  clockBack: {
    code: 'E2232',
    name: 'store.clock-back',
    help: 'The kiosk clock is earlier than the newest stored rating (the clock was set back). Ratings are still taken and flagged clock-back; set the clock right (NTP).',
  },
});
