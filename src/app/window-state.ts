/**
 * What the window system told us (window-link.md): clerk, called ticket, open/paused/closed. Kept on disk
 * (store `window_state`, migration 0007) and resumed at start (domain-rules §11 ⟨r2⟩): a restart or a power
 * cut forgets neither the clerk nor a window closed by the window system. The idle screen is rebuilt from
 * it. The clerk's photo is a data URL validated by the link.
 */
import type { ClerkCard } from '../shared/kiosk-api.js';
import type { WindowStatus } from '../session/index.js';
import type { PersistedWindow } from '../store/index.js';

export interface WindowState {
  status: WindowStatus;
  pauseMessage: string | null;
  clerk: Omit<ClerkCard, 'stars'> | null;
  calledTicket: string | null;
}

export function initialWindowState(): WindowState {
  return { status: 'open', pauseMessage: null, clerk: null, calledTicket: null };
}

/** The window as stored, or a new device's (open, no clerk) when nothing was stored yet. */
export function windowStateFrom(stored: PersistedWindow | null): WindowState {
  if (!stored) return initialWindowState();
  return {
    status: stored.status,
    // A pause message belongs to the pause only (window-link.md window/status).
    pauseMessage: stored.status === 'paused' ? stored.pauseMessage : null,
    clerk: stored.clerk ? { ...stored.clerk } : null,
    calledTicket: stored.calledTicket,
  };
}

/** The next window state after `POST /v1/window/status`: a message is kept only while paused. */
export function withStatus(state: WindowState, status: WindowStatus, message: string | null): WindowState {
  return { ...state, status, pauseMessage: status === 'paused' ? message : null };
}

/** 星级 from the window's recent satisfaction rate; null below 10 ratings (too few to be fair to the clerk). */
export function starsFromSatisfaction(total: number, good: number): number | null {
  if (total < 10) return null;
  const rate = good / total;
  if (rate >= 0.98) return 5;
  if (rate >= 0.95) return 4;
  if (rate >= 0.9) return 3;
  if (rate >= 0.8) return 2;
  return 1;
}
