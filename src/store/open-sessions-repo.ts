/**
 * Sessions left open by a stop (shut-down, crash, power cut): domain-rules §2 ⟨r2⟩ closes each at the next
 * start as *unrated*, with its own open time as the close time (when the power went is not known), so the
 * 7-day default (src/sync/defaults.ts, which takes unrated services) reaches it like any other. Without this a
 * service stayed `awaiting` for ever and never got its default.
 */
import type { StoreContext } from './context.js';

export function createOpenSessionsRepo(ctx: StoreContext) {
  const { db } = ctx;
  // Runs once at start, before any session can open: every service still without an outcome is one that a
  // stopped process left open. A full scan of services, once (no index: one would cost every commit a page).
  const closeAll = db.prepare(
    `UPDATE services SET outcome = 'unrated', closed_at = opened_at WHERE outcome IS NULL`,
  );
  return {
    /** Closes every open service as unrated at its open time; answers how many there were. */
    closeLeftOpenSessions(): number {
      return closeAll.run().changes;
    },
  };
}
