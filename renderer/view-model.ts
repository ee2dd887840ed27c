/**
 * Pure view → screen logic: everything the screens compute from a KioskView that can be tested without a
 * DOM. No DOM and no Node here (test/renderer imports this file under the Node type check).
 */
import type { KioskView, Language, ReasonOption, Screen } from '../src/shared/kiosk-api.js';

/**
 * Whole seconds left before `deadline`. The deadline is on the main-process clock, so it is measured from
 * `viewNow` (that clock when the view was made) plus the time elapsed locally since the view arrived,
 * which makes the countdown immune to a renderer clock that is off or jumps.
 */
export function countdownSeconds(deadline: number, viewNow: number, elapsedSinceReceiptMs: number): number {
  const leftMs = deadline - viewNow - Math.max(0, elapsedSinceReceiptMs);
  if (!Number.isFinite(leftMs) || leftMs <= 0) return 0;
  return Math.ceil(leftMs / 1000);
}

/** Five slots, `true` = filled star; null when the window has too few ratings for a 星级. */
export function starSlots(stars: number | null): boolean[] | null {
  if (stars === null || !Number.isFinite(stars)) return null;
  const filled = Math.min(5, Math.max(0, Math.round(stars)));
  return [0, 1, 2, 3, 4].map((index) => index < filled);
}

/** Filled star count as shown (for the accessible label), null when not shown. */
export function starCount(stars: number | null): number | null {
  const slots = starSlots(stars);
  return slots === null ? null : slots.filter(Boolean).length;
}

/** A reason's text in the UI language; the catalogue may lack a language, zh-CN is always present. */
export function reasonText(option: ReasonOption, language: Language): string {
  return option.text[language] ?? option.text['zh-CN'];
}

/**
 * The screen actually shown. A rate or reasons screen without a session cannot take a rating, so it falls
 * back to idle rather than showing buttons that would only be refused.
 */
export function effectiveScreen(view: KioskView): Screen {
  if ((view.screen === 'rate' || view.screen === 'reasons') && view.session === null) return 'idle';
  if (view.screen === 'admin' && (view.admin === undefined || view.admin === null)) return 'idle';
  if (view.screen === 'setup' && (view.setup === undefined || view.setup === null)) return 'idle';
  return view.screen;
}

/**
 * Identity of the mounted screen: while it stays the same the screen is updated in place (the countdown,
 * selected reasons and typed text survive); when it changes the screen is rebuilt.
 */
export function screenKey(view: KioskView): string {
  const screen = effectiveScreen(view);
  const session = view.session;
  const parts: string[] = [screen, view.language];
  // Each admin phase (set PIN, PIN, diagnostics) is its own screen.
  if (screen === 'admin') parts.push(view.admin?.phase ?? '-');
  if ((screen === 'rate' || screen === 'reasons') && session !== null) {
    parts.push(session.sessionId, session.step, session.chosenLevel ?? '-');
    if (screen === 'reasons') {
      parts.push(session.reasons.map((reason) => reason.code).join(','), String(session.textAllowed));
    }
  }
  return parts.join('|');
}

/** The renderer ignores a view older than the one it shows (KioskView.version). */
export function isStale(incoming: KioskView, shown: KioskView | null): boolean {
  return shown !== null && incoming.version < shown.version;
}

/** Province records need `evalDetail` for a 差评 (province-profile.md), so at least one listed reason. */
export function canSubmitReasons(selected: ReadonlySet<string>, reasons: readonly ReasonOption[]): boolean {
  return reasons.some((reason) => selected.has(reason.code));
}

/** Selected codes in catalogue order, dropping any that the current catalogue no longer lists. */
export function selectedCodes(selected: ReadonlySet<string>, reasons: readonly ReasonOption[]): string[] {
  return reasons.filter((reason) => selected.has(reason.code)).map((reason) => reason.code);
}

/** The host validates text as at most 150 UTF-16 units (api-validate.ts); never send more than either cap. */
export function textLimit(textMax: number): number {
  return Math.max(0, Math.min(150, Math.floor(textMax)));
}

export function clampText(text: string, textMax: number): string {
  return text.slice(0, textLimit(textMax));
}

/** Only an inline raster image may be shown as the clerk photo; anything else (a remote URL, SVG) is dropped. */
export function safePhotoSrc(photo: string | null): string | null {
  if (photo === null) return null;
  return /^data:image\/(?:jpeg|png|webp);base64,[A-Za-z0-9+/]+={0,2}$/.test(photo) ? photo : null;
}

/** The QR must be a web address the citizen's phone can open; anything else is not drawn. */
export function safeQrUrl(url: string | null): string | null {
  if (url === null || url.length > 1024) return null;
  return /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
}

/** Languages to offer on the switcher: the configured ones, in a fixed order, never empty. */
export function offeredLanguages(view: KioskView, all: readonly Language[]): Language[] {
  const offered = all.filter((language) => view.languages.includes(language));
  return offered.length > 0 ? offered : [view.defaultLanguage];
}

/** The prompt sounds (assets/audio): `invite` when a session's rate screen appears, `ack` on an accepted level. */
export type PromptName = 'invite' | 'ack';

/** What the renderer showed last, for `promptFor`. */
export interface ShownState {
  screen: Screen;
  sessionId: string | null;
}

export function shownState(view: KioskView): ShownState {
  const screen = effectiveScreen(view);
  return {
    screen,
    sessionId: screen === 'rate' || screen === 'reasons' ? (view.session?.sessionId ?? null) : null,
  };
}

/**
 * Which prompt a screen change plays, if any. Domain-rules §5: the clerk hears the kiosk, so nothing here may
 * depend on the level. `ack` is the same whether the press led to thanks (好评) or to reasons (差评), and
 * nothing plays on reasons → thanks or on the way back from reasons, which only a 差评 would produce.
 */
export function promptFor(previous: ShownState | null, next: ShownState): PromptName | null {
  if (next.screen === 'rate') {
    const sameSession =
      previous !== null &&
      (previous.screen === 'rate' || previous.screen === 'reasons') &&
      previous.sessionId === next.sessionId;
    return sameSession ? null : 'invite';
  }
  if (previous?.screen === 'rate' && next.screen === 'thanks') return 'ack';
  if (previous?.screen === 'rate' && next.screen === 'reasons' && previous.sessionId === next.sessionId)
    return 'ack';
  return null;
}

/** Audio settings from the view, clamped; silent when an older core sends none. */
export function audioSettings(view: KioskView): { enabled: boolean; volume: number } {
  const audio = view.audio;
  if (audio === undefined || !audio.enabled || !Number.isFinite(audio.volume))
    return { enabled: false, volume: 0 };
  const volume = Math.min(1, Math.max(0, audio.volume));
  return { enabled: volume > 0, volume };
}
