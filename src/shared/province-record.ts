/**
 * One rating record as the province receives it (province-profile.md "Record"). Every value is a
 * string except `seq` (number) and `flags` (array of strings), exactly as the hash canonicalisation
 * requires. Optional fields are absent, never empty strings, when they do not apply.
 */
export interface ProvinceRecord {
  ratingId: string;
  projectNo: string;
  taskCode?: string;
  taskName?: string;
  /** The evaluation node (province-profile.md ⟨r2⟩): "1" accepted, "2" in progress, "3" completed. */
  proStatus: '1' | '2' | '3';
  areaCode: string;
  deptCode: string;
  proDepart: string;
  proManager?: string;
  staffId?: string;
  hallCode: string;
  windowNo: string;
  deviceId: string;
  userProp: '1' | '2';
  /** PII: left out of the hash so it can be erased after delivery (province-profile.md "Hash"). */
  userName?: string;
  userPageType?: string;
  /** PII: left out of the hash, encrypted at rest. */
  certKey?: string;
  pf: string;
  satisfaction: '1' | '2' | '3' | '4' | '5';
  evalDetail?: string;
  writingEvaluation?: string;
  catalogueVersion: string;
  assessTime: string;
  serviceTime: string;
  assessNumber: string;
  serviceNumber: string;
  dataSource: string;
  isDefault: '0' | '1';
  flags: string[];
  seq: number;
  prevHash: string;
  hash: string;
}

/** The PII fields: never hashed, encrypted at rest, erased after delivery + retention. */
export const PII_FIELDS = ['certKey', 'userName'] as const;

/** A record before the store appends it to the chain (the store assigns `seq`, `prevHash`, `hash`). */
export type RecordDraft = Omit<ProvinceRecord, 'seq' | 'prevHash' | 'hash'>;

/** True when the draft carries any PII field. */
export function hasPii(draft: RecordDraft): boolean {
  return PII_FIELDS.some((field) => draft[field] !== undefined);
}

/**
 * The draft as the store takes it: without PII, since a rating's identity stays sealed in its service row
 * (the store refuses a draft that carries it).
 */
export function withoutPii(draft: RecordDraft): RecordDraft {
  // Destructured, not deleted: `delete` would leave V8 a slow dictionary object on the press path.
  const { certKey: _certKey, userName: _userName, ...rest } = draft;
  return rest;
}

export const GENESIS_PREV_HASH = '0'.repeat(64);
