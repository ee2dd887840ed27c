/**
 * Field-by-field well-formedness, as a table (province-profile.md "Record", "Service" ⟨r2⟩): which fields are
 * required, and each one's format. Every value is a string except `seq` (a number) and `flags` (an array of
 * strings); an optional field that does not apply is absent, never an empty string ("Hash": "absent optional
 * fields are left out, not written as empty").
 */

export interface Rejection {
  code: string;
  /** The offending field, for `BAD_FIELD`, `BAD_CERT`, `BAD_CODE`. */
  field?: string;
  /** Names the rule broken; never the value (it may be an ID number). */
  message: string;
}

type Kind = 'string' | 'seq' | 'flags';

export interface FieldRule {
  required: boolean;
  kind?: Kind;
  /** For strings: null when well-formed, else what is wrong. */
  format?: (value: string) => string | null;
}

const pattern =
  (re: RegExp, what: string) =>
  (v: string): string | null =>
    re.test(v) ? null : `must be ${what}`;

const oneOf =
  (values: readonly string[]) =>
  (v: string): string | null =>
    values.includes(v) ? null : `must be one of ${values.map((x) => `"${x}"`).join(', ')}`;

/** `yyyy-MM-dd HH:mm:ss` naming a real instant (no 2026-02-30, no 24:00:00). */
export function isRecordTime(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

export const formats = {
  text: (): null => null,
  uuidV7: pattern(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUIDv7'),
  proStatus: oneOf(['1', '2', '3']),
  areaCode: pattern(/^\d{12}$/, '12 digits'),
  /** 18 characters of the GB 32100 alphabet (a 统一社会信用代码). */
  deptCode: pattern(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'an 18-character 统一社会信用代码'),
  userProp: oneOf(['1', '2']),
  mobile: pattern(/^1\d{10}$/, '11 digits starting 1'),
  pf: pattern(/^[1-9]$/, 'a one-digit channel code'),
  satisfaction: oneOf(['1', '2', '3', '4', '5']),
  evalDetail: pattern(/^[^,\s]+(,[^,\s]+)*$/, 'comma-separated codes'),
  writingEvaluation: (v: string): string | null =>
    Array.from(v).length <= 150 ? null : 'must be at most 150 characters',
  time: (v: string): string | null => (isRecordTime(v) ? null : 'must be yyyy-MM-dd HH:mm:ss'),
  count: pattern(/^[1-9]\d*$/, 'a positive whole number'),
  dataSource: pattern(/^\d{3}$/, '3 digits'),
  isDefault: oneOf(['0', '1']),
  hex64: pattern(/^[0-9a-f]{64}$/, '64 lower-case hex characters'),
  sig: pattern(/^[0-9a-f]{128}$/, '128 lower-case hex characters (r ‖ s)'),
};

const badField = (field: string, message: string): Rejection => ({
  code: 'BAD_FIELD',
  field,
  message: `${field}: ${message}`,
});

/**
 * The first field of `value` that breaks `rules` (unknown fields included), as `BAD_FIELD` naming it; null
 * when every field is well-formed. `unknownCode` lets a caller give some unknown fields a code of their own
 * (identity on a Service record).
 */
export function checkFields(
  value: unknown,
  rules: Readonly<Record<string, FieldRule>>,
  unknownCode: (field: string) => Rejection | null = () => null,
): Rejection | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { code: 'BAD_FIELD', message: 'record must be a JSON object' };
  const object = value as Record<string, unknown>;
  for (const field of Object.keys(object)) {
    if (Object.hasOwn(rules, field)) continue;
    return unknownCode(field) ?? badField(field, 'not a field of this record');
  }
  for (const [field, rule] of Object.entries(rules)) {
    const v = object[field];
    if (v === undefined) {
      if (rule.required) return badField(field, 'required');
      continue;
    }
    const kind = rule.kind ?? 'string';
    if (kind === 'seq') {
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
        return badField(field, 'must be a whole number ≥ 1');
      continue;
    }
    if (kind === 'flags') {
      if (!Array.isArray(v) || !v.every((f) => typeof f === 'string'))
        return badField(field, 'must be an array of strings');
      continue;
    }
    if (typeof v !== 'string') return badField(field, 'must be a string');
    if (v === '') return badField(field, 'must not be empty (leave an optional field out)');
    const wrong = rule.format?.(v) ?? null;
    if (wrong !== null) return badField(field, wrong);
  }
  return null;
}
