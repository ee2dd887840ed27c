/**
 * Consistency between a rating's level (stored by meaning, domain-rules §1) and its record. The store
 * does not map levels for the wire; it only refuses, and at verification reports, a row whose columns
 * and record disagree, so editing the level column alone is detected like editing the record.
 */
import { isLevelKey, type LevelKey } from '../shared/levels.js';
import type { RecordDraft } from '../shared/province-record.js';
import { KioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';

/** domain-rules §1 table, column "wire satisfaction". */
const SATISFACTION: Readonly<Record<LevelKey, string>> = {
  very_satisfied: '5',
  satisfied: '4',
  basic: '3',
  dissatisfied: '2',
  very_dissatisfied: '1',
};

export function levelMatches(level: string, satisfaction: unknown): boolean {
  return isLevelKey(level) && SATISFACTION[level] === satisfaction;
}

export function checkDraft(level: LevelKey, draft: RecordDraft): void {
  const fail = (reason: string): never => {
    throw new KioskError(STORE_ERRORS.invalidRecord, undefined, { reason });
  };
  if (!isLevelKey(level)) fail('unknown level');
  if (!levelMatches(level, draft.satisfaction)) fail('level and satisfaction disagree');
  if (draft.isDefault !== '0' && draft.isDefault !== '1') fail('isDefault must be "0" or "1"');
  if (typeof draft.ratingId !== 'string' || draft.ratingId.length === 0) fail('ratingId missing');
}
