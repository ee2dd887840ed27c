/**
 * Pad LED feedback (rating-pad-rp1.md, SET_LED): a pure function from the view the citizen sees to the
 * SET_LED commands the pad should be showing. The lead's wiring sends them when they change
 * (`samePadFeedback`), after HELLO (a pad that restarted has forgotten its LEDs) and on every view.
 *
 * Privacy (domain-rules §5): the clerk sits beside the pad, so the LEDs never depend on the level. Every key
 * gets the same colour and pattern on every screen; the reason step looks the same whichever 差评 level led
 * to it, and the thanks/idle state is simply dark. The commands are absolute (every key, every time), so a
 * lost or reordered command is repaired by the next one.
 */
import type { PadLed } from '../../drivers/pad/pad-types.js';
import type { KioskView } from '../shared/kiosk-api.js';

/** RP/1 SET_LED pattern byte. */
export const LED_PATTERN = { off: 0, steady: 1, blink: 2, breathe: 3 } as const;

/** Warm white: readable as "press me" without a colour that could be read as good or bad. */
export const ARMED_COLOUR = { r: 255, g: 214, b: 140 } as const;

/** The reason step: the pad keys do not choose reasons, so they breathe slowly to point at the screen. */
export const REASON_PERIOD_MS = 2400;

export type PadFeedbackView = Pick<KioskView, 'screen' | 'session'>;

/** Bit mask of keys 1 … keyCount (RP/1 key mask is a u8: at most 8 keys). */
export function allKeysMask(keyCount: number): number {
  const count = Number.isFinite(keyCount) ? Math.min(8, Math.max(1, Math.floor(keyCount))) : 5;
  return (1 << count) - 1;
}

export function padFeedback(view: PadFeedbackView, keyCount = 5): PadLed[] {
  const keyMask = allKeysMask(keyCount);
  const session = view.session;
  if (view.screen === 'rate' && session !== null && session.step === 'rate') {
    return [{ keyMask, ...ARMED_COLOUR, pattern: LED_PATTERN.steady, periodMs: 0 }];
  }
  if (view.screen === 'reasons' && session !== null && session.step === 'reasons') {
    return [{ keyMask, ...ARMED_COLOUR, pattern: LED_PATTERN.breathe, periodMs: REASON_PERIOD_MS }];
  }
  return [{ keyMask, r: 0, g: 0, b: 0, pattern: LED_PATTERN.off, periodMs: 0 }];
}

/** Whether two command lists are the same (so the wiring sends nothing when a view changes only text). */
export function samePadFeedback(a: readonly PadLed[], b: readonly PadLed[]): boolean {
  return (
    a.length === b.length &&
    a.every((led, i) => {
      const other = b[i];
      return (
        other !== undefined &&
        led.keyMask === other.keyMask &&
        led.r === other.r &&
        led.g === other.g &&
        led.b === other.b &&
        led.pattern === other.pattern &&
        led.periodMs === other.periodMs
      );
    })
  );
}
