/**
 * The one migration registry (after Signal Desktop). Append new steps here; never edit a released one.
 * The schema version lives in `PRAGMA user_version`.
 */
import { migration0001 } from './0001-initial.js';
import { migration0002 } from './0002-report-indexes.js';
import { migration0003 } from './0003-pii-erase-indexes.js';
import { migration0004 } from './0004-outbox-age-index.js';
import { migration0005 } from './0005-lean-commit.js';
import { migration0006 } from './0006-unique-rating-id.js';
import { migration0007 } from './0007-window-state.js';
import { migration0008 } from './0008-derived-stats.js';
import { migration0009 } from './0009-service-key.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
];

export const LATEST_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
