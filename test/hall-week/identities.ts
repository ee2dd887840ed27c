/**
 * Fictitious citizens for the hall week, one kind per document the kiosk must tell apart (domain-rules §5 ⟨r2⟩,
 * province-profile.md `certTypes`), each number valid for its type's check. Written here, independently of the
 * kiosk's own checks (drivers/idcard, src/link), so that a shared mistake cannot hide. Pure.
 */
import type { PersonCertType } from '../../src/shared/cert-type.js';
import type { Rng } from './prng.js';

/** The four documents a natural person shows: SAM text type none, `J`, `I` (2017) and `Y` (2023). */
export type DocumentKind = 'id-card' | 'residence-permit' | 'foreign-2017' | 'foreign-2023';

export const DOCUMENT_KINDS: readonly DocumentKind[] = [
  'id-card',
  'residence-permit',
  'foreign-2017',
  'foreign-2023',
];

export interface Person {
  kind: DocumentKind;
  /** What the window system sends as `citizen.certType` (window-link.md ⟨r2⟩). */
  certType: PersonCertType;
  certKey: string;
  /** Chinese name, or the English name for a foreign permanent resident (what the card's name field holds). */
  userName: string;
  birthDate: string;
}

/** province-profile.md `certTypes` defaults: the 证件类型 (`userPageType`) each document is sent with. */
export const DEFAULT_USER_PAGE_TYPE: Readonly<Record<PersonCertType, string>> = {
  'id-card': '111',
  'residence-permit': '554',
  'foreign-permanent': '553',
};

const CERT_TYPE_OF: Readonly<Record<DocumentKind, PersonCertType>> = {
  'id-card': 'id-card',
  'residence-permit': 'residence-permit',
  'foreign-2017': 'foreign-permanent',
  'foreign-2023': 'foreign-permanent',
};

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11643 (ISO 7064 MOD 11-2) check character of the first 17 digits (id-reader-sam.md). */
export function mod11CheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('17 digits expected');
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(first17[i]), 0);
  return '10X98765432'[sum % 11] as string;
}

/** True when an 18-character number carries its GB 11643 check character. */
export function hasValidCheckChar(number: string): boolean {
  return /^\d{17}[\dX]$/.test(number) && mod11CheckChar(number.slice(0, 17)) === number[17];
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function birthDate(rng: Rng): { compact: string; iso: string } {
  const year = rng.int(1950, 2004);
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);
  return {
    compact: `${year}${pad(month, 2)}${pad(day, 2)}`,
    iso: `${year}-${pad(month, 2)}-${pad(day, 2)}`,
  };
}

const GIVEN = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** One fictitious person holding a document of `kind`; `serial` keeps numbers distinct within a run. */
export function makePerson(rng: Rng, kind: DocumentKind, serial: number): Person {
  const birth = birthDate(rng);
  const seq = pad(serial % 1000, 3);
  const chineseName = `测试${rng.pick(GIVEN)}${rng.pick(GIVEN)}`;
  let certKey: string;
  let userName = chineseName;
  switch (kind) {
    case 'id-card': {
      const first17 = `460100${birth.compact}${seq}`;
      certKey = first17 + mod11CheckChar(first17);
      break;
    }
    case 'residence-permit': {
      // 港澳台居民居住证: the address code is 810000 / 820000 / 830000 (province-profile.md certTypes).
      const first17 = `${rng.pick(['810000', '820000', '830000'])}${birth.compact}${seq}`;
      certKey = first17 + mod11CheckChar(first17);
      break;
    }
    case 'foreign-2017': {
      // 3 upper-case letters + 12 digits (the 2017 permit).
      const letters = Array.from({ length: 3 }, () => rng.pick([...LETTERS])).join('');
      certKey = `${letters}${pad(rng.int(0, 999999), 6)}${birth.compact.slice(2)}`;
      userName = `TEST SAMPLE ${rng.pick([...LETTERS])}${rng.pick([...LETTERS])}`;
      break;
    }
    case 'foreign-2023': {
      // 18 digits starting 9 with the MOD 11-2 check digit; a first 17 whose check would be X is redrawn.
      let first17: string;
      do
        first17 = `9${pad(rng.int(10, 99), 2)}${pad(rng.int(0, 999), 3)}${birth.compact}${pad(rng.int(0, 999), 3)}`;
      while (mod11CheckChar(first17) === 'X');
      certKey = first17 + mod11CheckChar(first17);
      userName = `TEST SAMPLE ${rng.pick([...LETTERS])}${rng.pick([...LETTERS])}`;
      break;
    }
  }
  return { kind, certType: CERT_TYPE_OF[kind], certKey, userName, birthDate: birth.iso };
}

/** True when `certKey` passes the check province-profile.md `certTypes` gives for its document. */
export function passesDocumentCheck(person: Pick<Person, 'kind' | 'certKey'>): boolean {
  const { kind, certKey } = person;
  switch (kind) {
    case 'id-card':
      return hasValidCheckChar(certKey) && /^\d{6}(19|20)\d{6}/.test(certKey);
    case 'residence-permit':
      return hasValidCheckChar(certKey) && /^8[123]0000/.test(certKey);
    case 'foreign-2017':
      return /^[A-Z]{3}\d{12}$/.test(certKey);
    case 'foreign-2023':
      return /^9\d{17}$/.test(certKey) && hasValidCheckChar(certKey);
  }
}
