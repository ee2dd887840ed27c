/**
 * The citizen-facing half of KioskApi: every intent becomes a session-engine input or a presentation
 * setting; refusals come back as coded ActionResults (the renderer shows a quiet note), never as throws.
 */
import type { SessionInput } from '../session/index.js';
import { isKioskError, SESSION_ERRORS } from '../shared/errors/index.js';
import type { ActionResult, KioskApi, Language } from '../shared/kiosk-api.js';
import type { LevelKey } from '../shared/levels.js';

export type CitizenApi = Pick<
  KioskApi,
  | 'getView'
  | 'rate'
  | 'submitReasons'
  | 'changeLevel'
  | 'setLanguage'
  | 'setLargeType'
  | 'padKey'
  | 'reportCspViolation'
>;

export interface CitizenApiContext {
  view: KioskApi['getView'];
  now: () => number;
  /** Feeds the engine; answers its refusal, if any. */
  feed: (input: SessionInput) => { code: string; message: string } | null;
  /** Tells subscribers the view changed. */
  publish: () => void;
  languages: () => readonly Language[];
  keyboardMap: () => Readonly<Record<string, number>>;
  levelForKey: (key: number) => LevelKey | null;
  setLanguage: (language: Language) => void;
  setLargeType: (on: boolean) => void;
  /** A CSP violation reported by the page (counted for diagnostics, logged with E8013). */
  cspViolation: (directive: string, blockedOrigin: string) => void;
}

export function citizenApi(ctx: CitizenApiContext): CitizenApi {
  const { feed, now } = ctx;
  /** Runs a change and publishes the new view; a KioskError becomes a coded result. */
  const result = (change: () => { code: string; message: string } | null): ActionResult => {
    try {
      const refused = change();
      ctx.publish();
      return refused ? { ok: false, ...refused } : { ok: true };
    } catch (error) {
      if (isKioskError(error)) return { ok: false, code: error.code, message: error.message };
      throw error;
    }
  };
  return {
    getView: ctx.view,
    rate: async (sessionId, level) =>
      result(() => feed({ type: 'press', at: now(), level, source: 'touch', sessionId })),
    submitReasons: async (sessionId, codes, text) =>
      result(() => feed({ type: 'reasons.submitted', at: now(), sessionId, codes, text })),
    changeLevel: async (sessionId) => result(() => feed({ type: 'level.change', at: now(), sessionId })),
    setLanguage: async (language) =>
      result(() => {
        if (!ctx.languages().includes(language))
          return { code: SESSION_ERRORS.wrongStep.code, message: 'language not offered' };
        ctx.setLanguage(language);
        return null;
      }),
    setLargeType: async (on) =>
      result(() => {
        ctx.setLargeType(on);
        return null;
      }),
    // Keyboard-mode pads: the key → level map is configuration (rating-pad-rp1.md "Keyboard-mode pads").
    padKey: async (code) =>
      result(() => {
        const key = ctx.keyboardMap()[code];
        const level = key === undefined ? null : ctx.levelForKey(key);
        if (!level) return { code: SESSION_ERRORS.wrongStep.code, message: 'key not mapped' };
        return feed({ type: 'press', at: now(), level, source: 'keyboard' });
      }),
    reportCspViolation: async (directive, blockedOrigin) => {
      ctx.cspViolation(directive, blockedOrigin);
      return { ok: true };
    },
  };
}
