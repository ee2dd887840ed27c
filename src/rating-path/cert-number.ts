/**
 * One number check per document type (province-profile.md "证件类型 codes", `certKey check` column;
 * domain-rules §5 ⟨r2⟩). Pure. A number that fails its own type's check is refused at the window link (400 on
 * `citizen.certKey`) and never sent, so a document can never travel under another type's code.
 */
import type { CertType } from '../shared/cert-type.js';

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

const MOD11_2_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const MOD11_2_CHECK = '10X98765432';

/** ISO 7064 MOD 11-2 check character of the first 17 digits (GB 11643; also the 2023 永居证). */
export function mod11_2Check(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * (MOD11_2_WEIGHTS[i] ?? 0);
  return MOD11_2_CHECK[sum % 11] ?? '';
}

const hasMod11_2Check = (value: string): boolean => mod11_2Check(value.slice(0, 17)) === value[17];

/** Birth date at offset 6 (yyyyMMdd), a real calendar day from 1900 on (GB 11643). */
function hasBirthDate(value: string): boolean {
  const year = Number(value.slice(6, 10));
  return year >= 1900 && isCalendarDate(year, Number(value.slice(10, 12)), Number(value.slice(12, 14)));
}

/** The address codes of 港澳台居民居住证 numbers (profile: `810000`, `820000` or `830000`). */
export const RESIDENCE_PERMIT_AREAS: readonly string[] = ['810000', '820000', '830000'];

/** GB 11643 shape: 17 digits and a check character (upper-case `X`), birth date and check digit valid. */
function isGb11643Shaped(value: string): boolean {
  return /^\d{17}[\dX]$/.test(value) && hasBirthDate(value) && hasMod11_2Check(value);
}

/**
 * 居民身份证. A number with a residence-permit address or the leading 9 of the 2023 永居证 is another
 * document: refused here, so it cannot be sent under 居民身份证's code.
 */
export function isIdCardNumber(value: string): boolean {
  return (
    /^[1-8]/.test(value) && isGb11643Shaped(value) && !RESIDENCE_PERMIT_AREAS.includes(value.slice(0, 6))
  );
}

/** 港澳台居民居住证 (SAM type `J`): GB 11643 with address 810000 (HK), 820000 (MO) or 830000 (TW). */
export function isResidencePermitNumber(value: string): boolean {
  return isGb11643Shaped(value) && RESIDENCE_PERMIT_AREAS.includes(value.slice(0, 6));
}

/** 外国人永久居留身份证 2017 (SAM type `I`): 3 upper-case letters + 12 digits. */
export function isForeignPermit2017Number(value: string): boolean {
  return /^[A-Z]{3}\d{12}$/.test(value);
}

/** 外国人永久居留身份证 2023 (SAM type `Y`): 18 digits starting 9, with the MOD 11-2 check. */
export function isForeignPermit2023Number(value: string): boolean {
  // The profile says "18 digits": a number whose check would be X is not a 2023 card number.
  return /^9\d{17}$/.test(value) && hasMod11_2Check(value);
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100 check character of the first 17 characters of a 统一社会信用代码. */
export function usccCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += USCC_CHARS.indexOf(first17[i] ?? '') * (USCC_WEIGHTS[i] ?? 0);
  return USCC_CHARS[(31 - (sum % 31)) % 31] ?? '';
}

/** 统一社会信用代码 (GB 32100): 18 characters of its alphabet (no I, O, S, V, Z), last one the check. */
export function isUsccNumber(value: string): boolean {
  return /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(value) && usccCheck(value.slice(0, 17)) === value[17];
}

const CHECKS: Readonly<Record<CertType, (value: string) => boolean>> = {
  'id-card': isIdCardNumber,
  'residence-permit': isResidencePermitNumber,
  'foreign-permanent': (value) => isForeignPermit2017Number(value) || isForeignPermit2023Number(value),
  uscc: isUsccNumber,
};

/** True when `certKey` (already upper-cased) passes the check of its document type. */
export function isValidCertKey(certType: CertType, certKey: string): boolean {
  return CHECKS[certType](certKey);
}
