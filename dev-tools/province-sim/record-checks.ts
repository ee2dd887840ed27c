/**
 * Every per-record check of province-profile.md "Province-side checks", in the order a province runs them;
 * the first failure is the record's rejection. Chain and signature are not here: a mismatch there is
 * accepted and reported as a break (ledger.ts, chain-check.ts).
 *
 * Order: well-formed (BAD_FIELD) → no identity on a default (IDENTITY_ON_DEFAULT) → identity triples
 * complete (BAD_FIELD) → 证件类型 provisioned and number passing its check (BAD_CERT) → `mobile` only on a
 * 差评 (BAD_FIELD) → evaluation codes (BAD_CODE) → the badNeeds rule (REASON_REQUIRED).
 */
import { kindsOfCode, passesCertCheck, type CertTypeTable } from './cert-checks.js';
import type { SatisfactionKey } from './catalogue.js';
import { checkFields, formats, type FieldRule, type Rejection } from './field-rules.js';

const f = formats;
const req = (format: FieldRule['format'] = f.text): FieldRule => ({ required: true, format });
const opt = (format: FieldRule['format'] = f.text): FieldRule => ({ required: false, format });

/** The Record table, field by field. */
export const RECORD_FIELDS: Readonly<Record<string, FieldRule>> = {
  ratingId: req(f.uuidV7),
  projectNo: req(),
  taskCode: opt(),
  taskName: opt(),
  proStatus: req(f.proStatus),
  areaCode: req(f.areaCode),
  deptCode: req(f.deptCode),
  proDepart: req(),
  // ⟨r2⟩ always present (domain-rules §11: report → signed-in clerk → window.defaultStaff).
  proManager: req(),
  staffId: req(),
  hallCode: req(),
  windowNo: req(),
  deviceId: req(),
  userProp: req(f.userProp),
  userName: opt(),
  userPageType: opt(),
  certKey: opt(),
  handleUserName: opt(),
  handleUserPageType: opt(),
  handleUserPageCode: opt(),
  mobile: opt(f.mobile),
  pf: req(f.pf),
  satisfaction: req(f.satisfaction),
  evalDetail: opt(f.evalDetail),
  writingEvaluation: opt(f.writingEvaluation),
  catalogueVersion: req(),
  assessTime: req(f.time),
  serviceTime: req(f.time),
  assessNumber: req(f.count),
  serviceNumber: req(f.count),
  dataSource: req(f.dataSource),
  isDefault: req(f.isDefault),
  flags: { required: true, kind: 'flags' },
  seq: { required: true, kind: 'seq' },
  prevHash: req(f.hex64),
  hash: req(f.hex64),
  sig: opt(f.sig),
};

/** Fields that say who the citizen is: never on a default record (profile "Defaults" ⟨r2⟩, domain-rules §4). */
export const IDENTITY_FIELDS = [
  'userName',
  'userPageType',
  'certKey',
  'mobile',
  'handleUserName',
  'handleUserPageType',
  'handleUserPageCode',
] as const;

const APPLICANT = ['userName', 'userPageType', 'certKey'] as const;
const HANDLER = ['handleUserName', 'handleUserPageType', 'handleUserPageCode'] as const;

export type BadNeeds = 'codes' | 'codesOrText';

export interface RecordCheckContext {
  certTypes: CertTypeTable;
  /** The codes of a catalogue version the province published, per level; null for a version it never had. */
  catalogue(version: string): Record<SatisfactionKey, ReadonlySet<string>> | null;
  badNeeds: BadNeeds;
  /**
   * Whether a record without `sig` is rejected. The kiosk does not sign yet (issue 15 item 9: "a later issue
   * adds `sig`"), so by default an absent `sig` is accepted and reported as a signature break instead.
   */
  requireSignature: boolean;
  /** The province's date, yyyyMMdd (Asia/Shanghai), for "valid birth date". */
  today: string;
}

/** The record as the checks see it, once well-formed. */
export type CheckedRecord = Record<string, unknown> & {
  ratingId: string;
  projectNo: string;
  proStatus: string;
  assessNumber: string;
  deviceId: string;
  seq: number;
  hash: string;
  prevHash: string;
  satisfaction: SatisfactionKey;
  isDefault: '0' | '1';
  userProp: '1' | '2';
  catalogueVersion: string;
  evalDetail?: string;
  writingEvaluation?: string;
  sig?: string;
};

function tripleIncomplete(r: Record<string, unknown>, triple: readonly string[]): Rejection | null {
  const present = triple.filter((k) => r[k] !== undefined);
  if (present.length === 0 || present.length === triple.length) return null;
  const missing = triple.find((k) => r[k] === undefined)!;
  return {
    code: 'BAD_FIELD',
    field: missing,
    message: `${missing}: required with ${present.join(' and ')} (${triple.join(', ')}: all three or none)`,
  };
}

function certRejection(
  certTypes: CertTypeTable,
  typeField: string,
  numberField: string,
  typeCode: string,
  number: string,
  today: string,
  allowed: (kind: string) => boolean,
): Rejection | null {
  const kinds = kindsOfCode(certTypes, typeCode).filter(allowed);
  if (kinds.length === 0)
    return {
      code: 'BAD_CERT',
      field: typeField,
      message: `${typeField}: "${typeCode}" is not a provisioned 证件类型 code for this party`,
    };
  if (!kinds.some((kind) => passesCertCheck(kind, number, today)))
    return {
      code: 'BAD_CERT',
      field: numberField,
      message: `${numberField}: fails the check of 证件类型 "${typeCode}"`,
    };
  return null;
}

/** The record's rejection, or null when a province accepts it. */
export function checkRecord(raw: unknown, ctx: RecordCheckContext): Rejection | null {
  const malformed = checkFields(raw, RECORD_FIELDS);
  if (malformed) return malformed;
  const r = raw as CheckedRecord;

  if (ctx.requireSignature && r.sig === undefined)
    return { code: 'BAD_FIELD', field: 'sig', message: 'sig: required (device signature)' };

  if (r.isDefault === '1') {
    const carried = IDENTITY_FIELDS.filter((k) => r[k] !== undefined);
    if (carried.length > 0)
      return {
        code: 'IDENTITY_ON_DEFAULT',
        field: carried[0]!,
        message: `a default rating carries no identity, got ${carried.join(', ')}`,
      };
  }

  const incomplete = tripleIncomplete(r, APPLICANT) ?? tripleIncomplete(r, HANDLER);
  if (incomplete) return incomplete;

  if (r.userPageType !== undefined) {
    // For a legal person (userProp "2") the applicant's number is its 统一社会信用代码; a natural person's never is.
    const applicantKind = r.userProp === '2' ? (k: string) => k === 'uscc' : (k: string) => k !== 'uscc';
    const bad = certRejection(
      ctx.certTypes,
      'userPageType',
      'certKey',
      r.userPageType as string,
      r.certKey as string,
      ctx.today,
      applicantKind,
    );
    if (bad) return bad;
  }
  if (r.handleUserPageType !== undefined) {
    // The handler is the person who tapped a card: a person's document, never a 统一社会信用代码.
    const bad = certRejection(
      ctx.certTypes,
      'handleUserPageType',
      'handleUserPageCode',
      r.handleUserPageType as string,
      r.handleUserPageCode as string,
      ctx.today,
      (k) => k !== 'uscc',
    );
    if (bad) return bad;
  }

  const bad = Number(r.satisfaction) <= 2;
  if (r.mobile !== undefined && !bad)
    return {
      code: 'BAD_FIELD',
      field: 'mobile',
      message: 'mobile: only on a 差评 (satisfaction ≤ 2)',
    };

  if (r.evalDetail !== undefined) {
    const codes = r.evalDetail.split(',');
    const local = codes.find((c) => c.startsWith('local:'));
    if (local !== undefined)
      return {
        code: 'BAD_CODE',
        field: 'evalDetail',
        message: `evalDetail: "${local}" is a device-made code (domain-rules §3: never on the wire)`,
      };
    const catalogue = ctx.catalogue(r.catalogueVersion);
    if (catalogue === null)
      return {
        code: 'BAD_CODE',
        field: 'catalogueVersion',
        message: `catalogueVersion: "${r.catalogueVersion}" is not a catalogue this province published`,
      };
    const unknown = codes.find((c) => !catalogue[r.satisfaction].has(c));
    if (unknown !== undefined)
      return {
        code: 'BAD_CODE',
        field: 'evalDetail',
        message: `evalDetail: "${unknown}" is not a code of ${r.catalogueVersion} for satisfaction ${r.satisfaction}`,
      };
  }

  if (bad) {
    const hasText = (r.writingEvaluation ?? '').trim() !== '';
    const satisfied = r.evalDetail !== undefined || (ctx.badNeeds === 'codesOrText' && hasText);
    if (!satisfied)
      return {
        code: 'REASON_REQUIRED',
        message:
          ctx.badNeeds === 'codes'
            ? 'a 差评 needs evalDetail (badNeeds: codes)'
            : 'a 差评 needs evalDetail or writingEvaluation (badNeeds: codesOrText)',
      };
  }
  return null;
}
