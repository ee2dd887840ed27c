/**
 * The province's own number checks per 证件类型 (province-profile.md "证件类型 codes" ⟨r2⟩), written from the
 * standards, independently of the kiosk's checkers: an independent receiver is what catches the kiosk's bugs.
 * Pure functions; `today` is passed in so that "valid birth date" does not read a clock.
 */
import type { CertType } from '../../src/shared/cert-type.js';

/** GB 11643-1999 weights for the first 17 characters (MOD 11-2). */
const GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Check character by (weighted sum mod 11). */
const GB11643_CHECK = '10X98765432';

/** The MOD 11-2 check character of 17 digits (GB 11643: "X" stands for 10). */
export function gb11643CheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * GB11643_WEIGHTS[i]!;
  return GB11643_CHECK[sum % 11]!;
}

/** yyyyMMdd is a real calendar day, not before 1900 and not after `today` (yyyyMMdd). */
export function isValidBirthDate(yyyymmdd: string, today: string): boolean {
  if (!/^\d{8}$/.test(yyyymmdd)) return false;
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth && yyyymmdd <= today;
}

/** 居民身份证: 18 characters, 17 digits + the GB 11643 check (upper-case X only), valid birth date. */
export function isResidentIdNumber(value: string, today: string): boolean {
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  return gb11643CheckChar(value.slice(0, 17)) === value[17] && isValidBirthDate(value.slice(6, 14), today);
}

/** 港澳台居民居住证: a resident-ID-shaped number whose address code is 810000 (HK), 820000 (MO) or 830000 (TW). */
export function isResidencePermitNumber(value: string, today: string): boolean {
  return ['810000', '820000', '830000'].includes(value.slice(0, 6)) && isResidentIdNumber(value, today);
}

/** 外国人永久居留身份证 of 2017: 15 characters, 3 upper-case letters + 12 digits. */
export function isForeignPermanent2017(value: string): boolean {
  return /^[A-Z]{3}\d{12}$/.test(value);
}

/**
 * 外国人永久居留身份证 of 2023 (SAM type `Y`): 18 digits starting 9 with the MOD 11-2 check. The profile says
 * "18 digits", so a number whose check would be X is not one (the profile, not GB 11643, decides here).
 */
export function isForeignPermanent2023(value: string): boolean {
  return /^9\d{17}$/.test(value) && gb11643CheckChar(value.slice(0, 17)) === value[17];
}

/** GB 32100-2015 alphabet: digits and upper-case letters without I, O, Z, S, V (value = index). */
export const GB32100_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const GB32100_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The GB 32100 check character of the first 17 characters (MOD 31), or null if one is outside the alphabet. */
export function gb32100CheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = GB32100_ALPHABET.indexOf(first17[i] ?? '');
    if (v < 0) return null;
    sum += v * GB32100_WEIGHTS[i]!;
  }
  return GB32100_ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** 统一社会信用代码: 18 characters of the GB 32100 alphabet, the last its check character. */
export function isUsccNumber(value: string): boolean {
  return value.length === 18 && gb32100CheckChar(value.slice(0, 17)) === value[17];
}

/** The profile's check for a number of the given document kind. */
export function passesCertCheck(type: CertType, value: string, today: string): boolean {
  switch (type) {
    case 'id-card':
      return isResidentIdNumber(value, today);
    case 'residence-permit':
      return isResidencePermitNumber(value, today);
    case 'foreign-permanent':
      return isForeignPermanent2017(value) || isForeignPermanent2023(value);
    case 'uscc':
      return isUsccNumber(value);
  }
}

/** The provisioned 证件类型 table: the province's code for each document kind (profile `certTypes`). */
export type CertTypeTable = Readonly<Record<CertType, string>>;

/** The profile's defaults, standing until the province's own code table is provisioned. */
export const DEFAULT_CERT_TYPES: CertTypeTable = {
  'id-card': '111',
  'residence-permit': '554',
  'foreign-permanent': '553',
  uscc: '001',
};

/** The document kinds provisioned under `code` (usually one; none when the code is not provisioned). */
export function kindsOfCode(table: CertTypeTable, code: string): CertType[] {
  return (Object.keys(table) as CertType[]).filter((kind) => table[kind] === code);
}
