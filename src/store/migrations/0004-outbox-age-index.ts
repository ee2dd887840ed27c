/**
 * 0004: the oldest unsent record (heartbeat `oldestUnsentAt`, diagnostics) by an index seek. Without it the
 * query read every pending row: 8.5 ms at 100 k pending, on the main thread, on every diagnostics refresh
 * and heartbeat during a backlog. Additive only (README "Operations": one-version rollback).
 */
import type { Migration } from './types.js';

export const migration0004: Migration = {
  version: 4,
  name: 'outbox-age-index',
  up(db) {
    db.exec(`CREATE INDEX outbox_pending_age ON outbox (created_at) WHERE state = 'pending';`);
  },
};
