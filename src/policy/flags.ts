/**
 * Abuse flags (domain-rules §7). Flags never drop a rating: they travel with it for review (复核), so
 * these functions only ever answer "which flags", never "accept or not".
 */

export const FLAGS = {
  /** The first press came sooner than `tooFastMs` after the session opened (§7). */
  tooFast: 'too-fast',
  /** The same ID card already rated `idBurstPerDay` services today (§7). */
  idBurst: 'id-burst',
  /** A 差评 whose citizen left the reason screen (§3): stored locally, not sent as a record. */
  noReason: 'no-reason',
} as const;

export type Flag = (typeof FLAGS)[keyof typeof FLAGS];

/** §7: "a press sooner than 300 ms after the session opened is flagged too-fast". */
export function isTooFast(openedAt: number, pressAt: number, tooFastMs: number): boolean {
  return pressAt - openedAt < tooFastMs;
}

/**
 * §7: "the same ID card rating more than N services a day is flagged id-burst". `ratingsToday` counts the
 * ratings before this one, so `ratingsToday >= N` means this is rating N + 1 or later.
 */
export function isIdBurst(ratingsToday: number | null, idBurstPerDay: number): boolean {
  return ratingsToday !== null && ratingsToday >= idBurstPerDay;
}

export interface FlagFacts {
  openedAt: number;
  /** The first press accepted into the session, or null before any. */
  firstPressAt: number | null;
  /** Ratings today by the session's citizen, or null for an anonymous session. */
  citizenRatingsToday: number | null;
}

export interface FlagLimits {
  tooFastMs: number;
  idBurstPerDay: number;
}

/** The flags a session carries, in a stable order (so equal sessions give equal records). */
export function sessionFlags(facts: FlagFacts, limits: FlagLimits): Flag[] {
  const flags: Flag[] = [];
  if (facts.firstPressAt !== null && isTooFast(facts.openedAt, facts.firstPressAt, limits.tooFastMs)) {
    flags.push(FLAGS.tooFast);
  }
  if (isIdBurst(facts.citizenRatingsToday, limits.idBurstPerDay)) flags.push(FLAGS.idBurst);
  return flags;
}
