/**
 * The five rating levels, stored on the device by meaning (domain-rules §1). Wire codes
 * (`satisfaction`, GB/T 39046 A.8) run in opposite directions, so they are mapped only at the
 * province adapter boundary (src/sync/province/), never here.
 */
export const LEVEL_KEYS = [
  'very_satisfied',
  'satisfied',
  'basic',
  'dissatisfied',
  'very_dissatisfied',
] as const;
export type LevelKey = (typeof LEVEL_KEYS)[number];

export type LevelClass = 'good' | 'neutral' | 'bad';

export const LEVEL_CLASS: Readonly<Record<LevelKey, LevelClass>> = {
  very_satisfied: 'good',
  satisfied: 'good',
  basic: 'neutral',
  dissatisfied: 'bad',
  very_dissatisfied: 'bad',
};

/** 差评 (domain-rules §3): these levels need at least one reason from the catalogue. */
export function isBadLevel(level: LevelKey): boolean {
  return LEVEL_CLASS[level] === 'bad';
}

export function isLevelKey(value: unknown): value is LevelKey {
  return typeof value === 'string' && (LEVEL_KEYS as readonly string[]).includes(value);
}

/** Default key map for a five-key pad, left to right (rating-pad-rp1.md "Messages"): configuration may override. */
export const DEFAULT_KEY_LEVELS: readonly LevelKey[] = LEVEL_KEYS;
