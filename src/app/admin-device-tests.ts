/**
 * The diagnostics screen's hardware tests (admin-service.ts): key test (every pressed key lights up and is
 * listed), LED test (all keys white for 2 s), buzzer test, and the reader test, which only ever sees the
 * masked fields of a card read while the admin screens are open.
 */
import type { PadBuzzer, PadLed } from '../../drivers/pad/pad-types.js';
import type { ActionResult, AdminDiagnostics, AdminRefusal, AdminView } from '../shared/kiosk-api.js';
import { HOST_ERRORS, isKioskError } from '../shared/errors/index.js';
import { refusal, type AdminPadPort, type AdminServiceDeps, type AdminTimers } from './admin-contract.js';
import type { AdminSession } from './admin-session.js';
import { allKeysMask, LED_PATTERN } from './pad-feedback.js';

const KEY_TEST_COLOUR = { r: 0, g: 200, b: 90 } as const;
const LED_TEST_COLOUR = { r: 255, g: 255, b: 255 } as const;
const LED_TEST_MS = 2_000;
const BUZZER_TEST: PadBuzzer = { frequencyHz: 2000, onMs: 150, offMs: 100, repeat: 2 };

export interface AdminDeviceTests {
  /** True while the key test runs (pad keys go to it instead of the gesture). */
  keyTestOn(): boolean;
  keyTestView(): AdminView['keyTest'];
  keyTest(on: boolean): ActionResult;
  ledTest(): Promise<ActionResult>;
  buzzerTest(): Promise<ActionResult>;
  /** A pad KEY_EVENT during the key test. */
  keyTestEvent(key: number, down: boolean): void;
  cardRead(card: { maskedName: string; maskedId: string }): void;
  readerTest(): AdminDiagnostics['readerTest'];
  /** The admin screens closed: key test off (LEDs dark), LED test timer dropped, reader test forgotten. */
  reset(): void;
  stop(): void;
}

export function createAdminDeviceTests(
  deps: Pick<AdminServiceDeps, 'pad' | 'now'>,
  session: Pick<AdminSession, 'phase' | 'activity' | 'guarded' | 'publish'>,
  timers: AdminTimers,
): AdminDeviceTests {
  let keyTestOn = false;
  const keysDown = new Set<number>();
  const keysSeen = new Set<number>();
  let readerTest: AdminDiagnostics['readerTest'] = null;
  let ledTimer: unknown = null;

  const keyCount = (): number => deps.pad?.hello()?.keyCount ?? 5;

  const padAllOff = (): void => {
    const pad = deps.pad;
    if (pad?.hello()?.capabilities.rgbLeds !== true) return;
    const off: PadLed = { keyMask: allKeysMask(keyCount()), r: 0, g: 0, b: 0, pattern: 0, periodMs: 0 };
    void pad.setLed(off).catch(() => undefined);
  };

  const stopKeyTest = (): void => {
    if (!keyTestOn) return;
    keyTestOn = false;
    keysDown.clear();
    keysSeen.clear();
    padAllOff();
  };

  const padFor = (capability: 'rgbLeds' | 'buzzer'): { pad: AdminPadPort; count: number } | AdminRefusal => {
    const pad = deps.pad;
    const hello = pad?.hello() ?? null;
    if (!pad || hello === null || !hello.capabilities[capability])
      return refusal(HOST_ERRORS.adminDeviceUnavailable);
    return { pad, count: hello.keyCount };
  };

  /** A pad error keeps its own code (e.g. E4xxx link lost); anything else is "device unavailable". */
  const padCall = async (call: () => Promise<void>): Promise<ActionResult> => {
    try {
      await call();
      return { ok: true };
    } catch (error) {
      if (isKioskError(error)) return { ok: false, code: error.code, message: error.message };
      return refusal(HOST_ERRORS.adminDeviceUnavailable);
    }
  };

  return {
    keyTestOn: () => keyTestOn,
    keyTestView: () => ({
      on: keyTestOn,
      keyCount: keyCount(),
      down: [...keysDown].sort((a, b) => a - b),
      seen: [...keysSeen].sort((a, b) => a - b),
    }),
    keyTest: (on) =>
      session.guarded(() => {
        if (on) {
          keyTestOn = true;
          keysDown.clear();
          keysSeen.clear();
        } else stopKeyTest();
        session.publish();
        return { ok: true } as const;
      }),
    async ledTest() {
      const checked = session.guarded(() => padFor('rgbLeds'));
      if ('ok' in checked) return checked;
      const { pad, count } = checked;
      const result = await padCall(() =>
        pad.setLed({
          keyMask: allKeysMask(count),
          ...LED_TEST_COLOUR,
          pattern: LED_PATTERN.steady,
          periodMs: 0,
        }),
      );
      // Switched off after LED_TEST_MS whatever the call answered, so no test leaves the keys lit.
      if (ledTimer !== null) timers.clearTimeout(ledTimer);
      ledTimer = timers.setTimeout(() => {
        ledTimer = null;
        padAllOff();
      }, LED_TEST_MS);
      return result;
    },
    async buzzerTest() {
      const checked = session.guarded(() => padFor('buzzer'));
      if ('ok' in checked) return checked;
      return padCall(() => checked.pad.buzzer(BUZZER_TEST));
    },
    keyTestEvent(key, down) {
      if (down) {
        keysDown.add(key);
        keysSeen.add(key);
      } else keysDown.delete(key);
      session.activity();
      const pad = deps.pad;
      if (pad?.hello()?.capabilities.rgbLeds === true && key >= 1 && key <= 8) {
        const led: PadLed = down
          ? { keyMask: 1 << (key - 1), ...KEY_TEST_COLOUR, pattern: LED_PATTERN.steady, periodMs: 0 }
          : { keyMask: 1 << (key - 1), r: 0, g: 0, b: 0, pattern: LED_PATTERN.off, periodMs: 0 };
        void pad.setLed(led).catch(() => undefined);
      }
      session.publish();
    },
    cardRead(card) {
      if (session.phase() !== 'open') return;
      readerTest = { maskedName: card.maskedName, maskedId: card.maskedId, at: deps.now() };
      session.activity();
    },
    readerTest: () => readerTest,
    reset() {
      stopKeyTest();
      if (ledTimer !== null) timers.clearTimeout(ledTimer);
      ledTimer = null;
      readerTest = null;
    },
    stop() {
      if (ledTimer !== null) timers.clearTimeout(ledTimer);
      ledTimer = null;
    },
  };
}
