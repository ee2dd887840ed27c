/**
 * The window's state on disk (domain-rules §11 ⟨r2⟩): the signed-in clerk, open / paused (with its message)
 * / closed, and the called ticket, so a restart or a power cut resumes them. One row, written with
 * synchronous=FULL like everything else: a window closed just before a power cut is still closed after it.
 */
import type { StoreContext } from './context.js';
import type { PersistedWindow } from './types.js';

interface Row {
  status: PersistedWindow['status'];
  pause_message: string | null;
  clerk_staff_id: string | null;
  clerk_name: string | null;
  clerk_title: string | null;
  clerk_photo: string | null;
  called_ticket: string | null;
}

export function createWindowRepo(ctx: StoreContext) {
  const { db } = ctx;
  const read = db.prepare<[], Row>(
    `SELECT status, pause_message, clerk_staff_id, clerk_name, clerk_title, clerk_photo, called_ticket
     FROM window_state WHERE id = 1`,
  );
  const write = db.prepare(
    `INSERT INTO window_state (id, status, pause_message, clerk_staff_id, clerk_name, clerk_title, clerk_photo,
       called_ticket, updated_at)
     VALUES (1, @status, @pauseMessage, @staffId, @name, @title, @photo, @calledTicket, @at)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, pause_message = excluded.pause_message,
       clerk_staff_id = excluded.clerk_staff_id, clerk_name = excluded.clerk_name,
       clerk_title = excluded.clerk_title, clerk_photo = excluded.clerk_photo,
       called_ticket = excluded.called_ticket, updated_at = excluded.updated_at`,
  );

  return {
    /** The window as last stored; null on a device that never stored one (the caller starts open, no clerk). */
    windowState(): PersistedWindow | null {
      const row = read.get();
      if (!row) return null;
      return {
        status: row.status,
        pauseMessage: row.pause_message,
        clerk:
          row.clerk_staff_id !== null && row.clerk_name !== null
            ? {
                staffId: row.clerk_staff_id,
                name: row.clerk_name,
                title: row.clerk_title,
                photo: row.clerk_photo,
              }
            : null,
        calledTicket: row.called_ticket,
      };
    },
    saveWindowState(state: PersistedWindow, at: number): void {
      write.run({
        status: state.status,
        pauseMessage: state.pauseMessage,
        staffId: state.clerk?.staffId ?? null,
        name: state.clerk?.name ?? null,
        title: state.clerk?.title ?? null,
        photo: state.clerk?.photo ?? null,
        calledTicket: state.calledTicket,
        at,
      });
    },
  };
}

export type WindowRepo = ReturnType<typeof createWindowRepo>;
