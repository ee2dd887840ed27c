/**
 * Pad LED feedback: armed keys lit on the rate step, a distinct pattern on the reason step, dark otherwise,
 * and never anything that depends on the level (domain-rules §5: the clerk sits beside the pad).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage } from '../../drivers/pad/rp1-messages.js';
import {
  ARMED_COLOUR,
  LED_PATTERN,
  REASON_PERIOD_MS,
  allKeysMask,
  padFeedback,
  samePadFeedback,
  type PadFeedbackView,
} from '../../src/app/pad-feedback.js';
import type { Screen, SessionView } from '../../src/shared/kiosk-api.js';
import { LEVEL_KEYS } from '../../src/shared/levels.js';

function session(change: Partial<SessionView> = {}): SessionView {
  return {
    sessionId: 's-1',
    ticketNo: 'A001',
    deadline: 0,
    step: 'rate',
    chosenLevel: null,
    reasons: [],
    textAllowed: false,
    textMax: 150,
    citizen: null,
    qrUrl: null,
    ...change,
  };
}

const SCREENS: Screen[] = ['idle', 'rate', 'reasons', 'thanks', 'paused', 'closed'];

describe('padFeedback', () => {
  it('lights every armed key, steady, in one neutral colour on the rate step', () => {
    expect(padFeedback({ screen: 'rate', session: session() })).toEqual([
      { keyMask: 0b11111, ...ARMED_COLOUR, pattern: LED_PATTERN.steady, periodMs: 0 },
    ]);
  });

  it('breathes all keys in the same colour on the reason step, whichever 差评 level led there', () => {
    const expected = [
      { keyMask: 0b11111, ...ARMED_COLOUR, pattern: LED_PATTERN.breathe, periodMs: REASON_PERIOD_MS },
    ];
    for (const chosenLevel of ['dissatisfied', 'very_dissatisfied'] as const) {
      const view = { screen: 'reasons' as const, session: session({ step: 'reasons', chosenLevel }) };
      expect(padFeedback(view)).toEqual(expected);
    }
    expect(padFeedback({ screen: 'rate', session: session() })).not.toEqual(expected);
  });

  it.each(['idle', 'thanks', 'paused', 'closed'] as const)('switches every key off on %s', (screen) => {
    expect(padFeedback({ screen, session: null })).toEqual([
      { keyMask: 0b11111, r: 0, g: 0, b: 0, pattern: LED_PATTERN.off, periodMs: 0 },
    ]);
  });

  it('is dark when a rate or reasons screen has no session, or the step disagrees with the screen', () => {
    expect(padFeedback({ screen: 'rate', session: null })[0]?.pattern).toBe(LED_PATTERN.off);
    expect(padFeedback({ screen: 'reasons', session: null })[0]?.pattern).toBe(LED_PATTERN.off);
    expect(padFeedback({ screen: 'rate', session: session({ step: 'reasons' }) })[0]?.pattern).toBe(
      LED_PATTERN.off,
    );
  });

  it('covers the pad’s own key count (u8 mask, 1 … 8 keys)', () => {
    expect(allKeysMask(3)).toBe(0b111);
    expect(allKeysMask(8)).toBe(0xff);
    expect(allKeysMask(12)).toBe(0xff);
    expect(allKeysMask(0)).toBe(0b1);
    expect(allKeysMask(Number.NaN)).toBe(0b11111);
    expect(padFeedback({ screen: 'rate', session: session() }, 3)[0]?.keyMask).toBe(0b111);
  });

  it('never depends on the level, the ticket, the citizen or the language (property)', () => {
    const arbSession = fc.record({
      step: fc.constantFrom('rate' as const, 'reasons' as const),
      chosenLevel: fc.constantFrom(null, ...LEVEL_KEYS),
      ticketNo: fc.string(),
      citizen: fc.constantFrom(null, { maskedName: '张*', maskedId: '4601**********123X' }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...SCREENS),
        arbSession,
        arbSession,
        fc.integer({ min: 1, max: 8 }),
        (screen, a, b, keys) => {
          const va: PadFeedbackView = { screen, session: session(a) };
          const vb: PadFeedbackView = { screen, session: session({ ...b, step: a.step }) };
          const leds = padFeedback(va, keys);
          expect(samePadFeedback(leds, padFeedback(vb, keys))).toBe(true);
          // One command for every key at once: no key is ever singled out.
          expect(leds).toHaveLength(1);
          expect(leds[0]?.keyMask).toBe(allKeysMask(keys));
        },
      ),
    );
  });

  it('encodes as valid RP/1 SET_LED frames', () => {
    for (const screen of SCREENS) {
      for (const led of padFeedback({ screen, session: screen === 'idle' ? null : session() })) {
        const payload = encodeMessage({ type: 'setLed', ...led });
        expect(decodeMessage(payload.type, payload.payload)).toMatchObject({
          ok: true,
          message: { type: 'setLed', ...led },
        });
      }
    }
  });

  it('compares command lists field by field', () => {
    const rate = padFeedback({ screen: 'rate', session: session() });
    expect(samePadFeedback(rate, padFeedback({ screen: 'rate', session: session() }))).toBe(true);
    expect(samePadFeedback(rate, padFeedback({ screen: 'idle', session: null }))).toBe(false);
    expect(samePadFeedback(rate, [])).toBe(false);
  });
});
