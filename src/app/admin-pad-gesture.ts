/**
 * The pad's way into the admin screens: keys 1 and 5 held together for `gestureMs` (3 s). Only fed while
 * no admin screen is shown; a long press on a single key stays a rating.
 */
import { ADMIN_GESTURE_KEYS, type AdminTimers } from './admin-contract.js';

export interface PadGesture {
  /** A pad KEY_EVENT outside the admin screens. */
  keyEvent(key: number, down: boolean): void;
  cancel(): void;
}

export function createPadGesture(timers: AdminTimers, gestureMs: number, open: () => void): PadGesture {
  /** Pad keys held now. */
  const held = new Set<number>();
  let gestureTimer: unknown = null;

  const cancel = (): void => {
    if (gestureTimer !== null) timers.clearTimeout(gestureTimer);
    gestureTimer = null;
  };

  return {
    keyEvent(key, down) {
      if (down) held.add(key);
      else held.delete(key);
      const both = ADMIN_GESTURE_KEYS.every((k) => held.has(k));
      if (!both) return cancel();
      if (gestureTimer !== null) return;
      gestureTimer = timers.setTimeout(() => {
        gestureTimer = null;
        // Checked again when the timer fires: both keys must still be held.
        if (ADMIN_GESTURE_KEYS.every((k) => held.has(k))) open();
      }, gestureMs);
    },
    cancel,
  };
}
