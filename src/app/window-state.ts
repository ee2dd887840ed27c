/**
 * What the window system told us (window-link.md): clerk, called ticket, open/paused/closed. Held in
 * memory only; the idle screen is rebuilt from it. The clerk's photo is a data URL validated by the link.
 */
import type { ClerkCard } from '../shared/kiosk-api.js';
import type { WindowStatus } from '../session/index.js';

export interface WindowState {
  status: WindowStatus;
  pauseMessage: string | null;
  clerk: Omit<ClerkCard, 'stars'> | null;
  calledTicket: string | null;
}

export function initialWindowState(): WindowState {
  return { status: 'open', pauseMessage: null, clerk: null, calledTicket: null };
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
