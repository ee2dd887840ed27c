/**
 * 0007: the window across restarts (domain-rules §11 ⟨r2⟩, window-link.md "kept on disk and resumed"). The
 * signed-in clerk, the window status (with its pause message) and the called ticket were held in memory
 * only, so a restart or a power cut forgot the clerk and reopened a window the window system had closed.
 *
 * One small-state row (id = 1), rewritten in place on every change: only the latest state matters, and the
 * history of sign-ins is already kept by the audit trail. No row means the state of a new device: open,
 * no clerk, no ticket called. The clerk's name and photo are staff data (as in services.staff_name and the
 * provisioned roster), not a citizen's PII.
 */
import type { Migration } from './types.js';

const SQL = `
CREATE TABLE window_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  status TEXT NOT NULL CHECK (status IN ('open','paused','closed')),
  pause_message TEXT,
  clerk_staff_id TEXT,
  clerk_name TEXT,
  clerk_title TEXT,
  clerk_photo TEXT,
  called_ticket TEXT,
  updated_at INTEGER NOT NULL,
  -- A clerk is always a staff id with a name (window-link.md staff/signin).
  CHECK ((clerk_staff_id IS NULL) = (clerk_name IS NULL))
) STRICT;
`;

export const migration0007: Migration = {
  version: 7,
  name: 'window-state',
  up(db) {
    db.exec(SQL);
  },
};
