/**
 * Consistency between a rating's columns and its hashed record. The store does not map levels for the wire
 * (stored by meaning, domain-rules §1); it only refuses, and at verification reports, a row whose columns
 * and record disagree, so editing a column alone is detected like editing the record (domain-rules §6).
 * Every column that reaches the record or a statistic is compared: the level, the time (day reports count by
 * created_at), the service the rating claims and its kind (live or default).
 */
import { isLevelKey, type LevelKey } from '../shared/levels.js';
import type { RecordDraft } from '../shared/province-record.js';
import { KioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';
import { formatRecordTime } from '../sync/time.js';

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

/** A ratings row joined with the service it claims (ratings-repo.ts verify). */
export interface VerifiedRow {
  seq: number;
  rating_id: string;
  level: string;
  bad: number;
  is_default: number;
  record_json: string;
  prev_hash: string;
  hash: string;
  created_at: number;
  service_id: number | null;
  source: string;
  session_id: string | null;
  s_id: number | null;
  s_completed_at: number | null;
  s_service_number: string | null;
  s_project_no: string | null;
  s_rating_seq: number | null;
  s_session_id: string | null;
}

/**
 * The columns outside the hashed text against the record:
 * - created_at is the record's assessTime (to the second, Asia/Shanghai);
 * - a default rating (source 'default', no session) is exactly a record with isDefault '1';
 * - the service the rating claims exists, is claimed by this rating (services.rating_seq), and is the one the
 *   record names: its completion time, serviceNumber and (when it had one) projectNo; a live rating's session
 *   is that service's session.
 * A live rating's `source` (pad or touch) reaches neither the record nor a statistic: only the append-only
 * trigger guards it (SECURITY.md row 8c).
 * Ratings written before migration 0005 may have no service: then only the first two apply.
 */
export function rowMatchesRecord(row: VerifiedRow, record: Record<string, unknown>): boolean {
  if (record.assessTime !== formatRecordTime(row.created_at)) return false;
  const isDefault = record.isDefault === '1';
  if ((row.source === 'default') !== isDefault) return false;
  if (isDefault && row.session_id !== null) return false;
  if (row.service_id === null) return true;
  return (
    row.s_id === row.service_id &&
    row.s_rating_seq === row.seq &&
    row.s_completed_at !== null &&
    record.serviceTime === formatRecordTime(row.s_completed_at) &&
    record.serviceNumber === row.s_service_number &&
    (row.session_id === null || row.session_id === row.s_session_id) &&
    (row.s_project_no === null || record.projectNo === row.s_project_no)
  );
}
