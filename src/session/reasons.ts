/**
 * Validation of the reasons a citizen gives for a 差评 (domain-rules §3), against the catalogue snapshot
 * the session took when it opened (so a catalogue download mid-session cannot change the rules under it).
 */
import type { ErrorCodeInfo } from '../shared/errors/types.js';
import { SESSION_ERRORS } from '../shared/errors/session.js';
import type { CatalogueRef } from './types.js';

export type BadLevel = 'dissatisfied' | 'very_dissatisfied';

export type ReasonCheck =
  { ok: true; codes: string[]; text: string } | { ok: false; error: ErrorCodeInfo; message: string };

/** Characters as the citizen sees them (code points), so an emoji or a rare 汉字 counts once. */
function visibleLength(text: string): number {
  return [...text].length;
}

/**
 * At least one code, every code from the list for this level; duplicates are dropped (keeping the order
 * chosen). Text is trimmed; it must be empty when the catalogue allows no text, and at most `textMax`.
 * Text alone never suffices: the province rejects a 差评 without catalogue reasons (§3), so a code is required.
 */
export function checkReasons(
  catalogue: CatalogueRef,
  level: BadLevel,
  codes: string[],
  text: string,
): ReasonCheck {
  const unique = [...new Set(codes)];
  if (unique.length === 0) {
    return {
      ok: false,
      error: SESSION_ERRORS.reasonRequired,
      message: 'Pick at least one reason for this level.',
    };
  }
  const allowed = catalogue.codes[level];
  const unknown = unique.filter((code) => !allowed.includes(code));
  if (unknown.length > 0) {
    return {
      ok: false,
      error: SESSION_ERRORS.unknownReason,
      message: `${unknown.length} reason code(s) are not in catalogue ${catalogue.version} for ${level}.`,
    };
  }
  const trimmed = text.trim();
  if (trimmed.length > 0 && !catalogue.textAllowed) {
    return {
      ok: false,
      error: SESSION_ERRORS.textNotAllowed,
      message: 'This catalogue allows no written reason.',
    };
  }
  if (visibleLength(trimmed) > catalogue.textMax) {
    return {
      ok: false,
      error: SESSION_ERRORS.textTooLong,
      message: `The written reason is over ${catalogue.textMax} characters.`,
    };
  }
  return { ok: true, codes: unique, text: trimmed };
}
