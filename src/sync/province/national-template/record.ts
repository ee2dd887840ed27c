/**
 * Kiosk rating → wire record for `national-template/1` (province-profile.md "Record"). This is the ONLY
 * place a level becomes a `satisfaction` code (domain-rules §1: the directions of the code sets differ,
 * so map only at the adapter boundary).
 */
import type { KioskConfig } from '../../../config/schema.js';
import type { LevelKey } from '../../../shared/levels.js';
import type { ProvinceRecord, RecordDraft } from '../../../shared/province-record.js';
import { certTypeCode } from '../../../rating-path/cert-codes.js';
import type { Clerk } from '../../../rating-path/clerk.js';
import type { CitizenIdentity } from '../../../rating-path/identity.js';
import type { ServiceNode } from '../../../rating-path/service-key.js';
import { formatCompactDate, formatRecordTime } from '../../time.js';

/** domain-rules §1, column "wire `satisfaction`". */
export const SATISFACTION_BY_LEVEL: Readonly<Record<LevelKey, ProvinceRecord['satisfaction']>> = {
  very_satisfied: '5',
  satisfied: '4',
  basic: '3',
  dissatisfied: '2',
  very_dissatisfied: '1',
};

/** profile "Record" `proStatus` ⟨r2⟩: from the service's evaluation node. */
export const PRO_STATUS_BY_NODE: Readonly<Record<ServiceNode, ProvinceRecord['proStatus']>> = {
  accepted: '1',
  'in-progress': '2',
  completed: '3',
};

/** `writingEvaluation` ≤ 150 characters (profile "Record"). */
export const WRITING_MAX = 150;

export interface RatingForRecord {
  /** UUIDv7 made on the device (src/sync/uuidv7.ts). */
  ratingId: string;
  level: LevelKey;
  /** Reason codes from a province catalogue (of `catalogueVersion`), in the order chosen. */
  reasons: readonly string[];
  /**
   * Texts of items chosen from the built-in catalogue, in the order chosen: sent as text, never as their
   * codes (domain-rules §3 ⟨r2⟩; rating-path/builtin-reasons.ts). Absent or empty for a province catalogue.
   */
  reasonTexts?: readonly string[];
  /** Free text, may be empty. */
  text: string;
  catalogueVersion: string;
  /** Epoch ms the rating was made (or, for a default rating, the instant the default applied). */
  assessedAt: number;
  service: {
    ticketNo: string;
    projectNo: string | null;
    taskCode: string | null;
    taskName: string | null;
    serviceNumber: string | null;
    node: ServiceNode;
    /** Epoch ms the window system says the service completed. */
    completedAt: number;
  };
  /** The clerk who served: always one (domain-rules §11, rating-path/clerk.ts). */
  staff: Clerk;
  /**
   * The rating's identity, by meaning (rating-path/identity.ts `identityForRecord`): the citizen's own
   * ratings only, never a default (domain-rules §4, §5).
   */
  citizen: CitizenIdentity | null;
  flags: readonly string[];
  /** A 7-day default rating (domain-rules §4). */
  isDefault: boolean;
}

export type RecordConfig = Pick<KioskConfig, 'hall' | 'department' | 'windowNo' | 'deviceId'> & {
  province: Pick<KioskConfig['province'], 'pf' | 'defaultChannel' | 'dataSource' | 'certTypes'>;
};

const present = (value: string | null | undefined): value is string =>
  typeof value === 'string' && value !== '';

/** `projectNo` fallback when the service has none: `Q` + hallCode + yyyyMMdd (service day) + ticketNo. */
export function fallbackProjectNo(hallCode: string, completedAt: number, ticketNo: string): string {
  return `Q${hallCode}${formatCompactDate(completedAt)}${ticketNo}`;
}

/** Truncates to `max` Unicode code points (the session enforces the limit; this keeps the wire valid). */
function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('');
}

/** Between item texts, and before the citizen's own text, in `writingEvaluation`. */
export const REASON_TEXT_SEPARATOR = '；';

const length = (text: string): number => Array.from(text).length;

/**
 * `writingEvaluation` for a rating: the built-in items' texts joined with "；", then the citizen's own text,
 * at most `max` code points (profile "Record"). Whole item texts come first, in the order chosen, each kept
 * only if it fits whole; the citizen's text then gets what is left and is clipped. WHY that order: an item
 * is the reason the citizen picked (for a 差评 it is what makes the record acceptable, badNeeds
 * codesOrText), and a clipped item would say something else; items are short (≤ 60 characters each,
 * src/sync/catalogue.ts) while the free text alone may fill all 150, so letting it go first could drop
 * every chosen reason. A clipped free text still says what its start said.
 */
export function composeWritingEvaluation(
  reasonTexts: readonly string[],
  text: string,
  max: number = WRITING_MAX,
): string {
  const sep = length(REASON_TEXT_SEPARATOR);
  const parts: string[] = [];
  let used = 0;
  for (const item of reasonTexts) {
    if (item === '') continue;
    const cost = length(item) + (parts.length > 0 ? sep : 0);
    if (used + cost > max) continue;
    parts.push(item);
    used += cost;
  }
  if (text !== '') {
    const room = max - used - (parts.length > 0 ? sep : 0);
    if (room > 0) parts.push(clip(text, room));
  }
  return parts.join(REASON_TEXT_SEPARATOR);
}

/**
 * Builds the record without `seq`/`prevHash`/`hash` (the store appends it to the chain). Optional
 * fields are absent, never empty strings, when they do not apply (profile "Hash": absent fields are
 * left out of the canonical text).
 */
export function buildRecordDraft(input: RatingForRecord, config: RecordConfig): RecordDraft {
  const { service, staff, citizen } = input;
  const draft: RecordDraft = {
    ratingId: input.ratingId,
    projectNo: present(service.projectNo)
      ? service.projectNo
      : fallbackProjectNo(config.hall.code, service.completedAt, service.ticketNo),
    proStatus: PRO_STATUS_BY_NODE[service.node],
    areaCode: config.hall.areaCode,
    deptCode: config.department.code,
    proDepart: config.department.name,
    hallCode: config.hall.code,
    windowNo: config.windowNo,
    deviceId: config.deviceId,
    userProp: citizen?.userProp ?? '1',
    pf: input.isDefault ? config.province.defaultChannel : config.province.pf,
    satisfaction: SATISFACTION_BY_LEVEL[input.level],
    catalogueVersion: input.catalogueVersion,
    assessTime: formatRecordTime(input.assessedAt),
    serviceTime: formatRecordTime(service.completedAt),
    assessNumber: '1',
    serviceNumber: present(service.serviceNumber) ? service.serviceNumber : '1',
    dataSource: config.province.dataSource,
    isDefault: input.isDefault ? '1' : '0',
    flags: [...input.flags],
  };
  if (present(service.taskCode)) draft.taskCode = service.taskCode;
  if (present(service.taskName)) draft.taskName = service.taskName;
  draft.proManager = staff.name;
  draft.staffId = staff.staffId;
  // A default carries no identity, whatever it is handed (profile "Defaults" ⟨r2⟩). The 证件类型 code comes
  // from the provisioned table here, at the adapter boundary, and only here (domain-rules §5 ⟨r2⟩).
  if (citizen && !input.isDefault) {
    draft.userName = citizen.userName;
    draft.userPageType = certTypeCode(config.province.certTypes, citizen.certType);
    draft.certKey = citizen.certKey;
  }
  if (input.reasons.length > 0) draft.evalDetail = input.reasons.join(',');
  const writing = composeWritingEvaluation(input.reasonTexts ?? [], input.text);
  if (present(writing)) draft.writingEvaluation = writing;
  return draft;
}
