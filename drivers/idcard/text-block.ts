/**
 * Text-block decoders (id-reader-sam.md "Text block"): 256 bytes UTF-16LE, space-padded; byte 248 gives the
 * card type: `I` foreign 2017, `J` residence permit, `Y` foreign 2023 (province-profile.md ⟨r2⟩ 证件类型),
 * anything else mainland. Pure. A number failing GB 11643 is a read error (E5006); a layout we do not know
 * (e.g. a 9… number without the `Y` type byte) is E5007, never guessed.
 */
import { READER_ERRORS } from '../../src/shared/errors/devices.js';
import { CERT_TYPE_OF_LAYOUT, type CardIdentity } from './identity.js';

export type TextBlockResult =
  { ok: true; identity: CardIdentity } | { ok: false; code: string; reason: string };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** GB 11643 check character for the first 17 digits. */
export function gb11643CheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export function isValidIdNumber(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && gb11643CheckDigit(id.slice(0, 17)) === id[17];
}

/** UTF-16LE field, trailing spaces (and NULs) trimmed only: foreign names contain inner spaces. */
function field(text: Uint8Array, offset: number, bytes: number): string {
  let s = '';
  for (let i = offset; i + 1 < offset + bytes; i += 2)
    s += String.fromCharCode(text[i]! | (text[i + 1]! << 8));
  let end = s.length;
  while (end > 0 && (s[end - 1] === ' ' || s.charCodeAt(end - 1) === 0)) end -= 1;
  return s.slice(0, end);
}

const GENDER = { '1': 'male', '2': 'female', '0': 'unknown', '9': 'unstated' } as const;
const gender = (c: string): CardIdentity['gender'] => GENDER[c as keyof typeof GENDER] ?? 'unknown';
const isoDate = (d: string): string | undefined =>
  /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : undefined;
const validTo = (d: string): string | undefined => (d === '长期' ? 'long-term' : isoDate(d));

const fail = (info: { code: string }, reason: string): TextBlockResult => ({
  ok: false,
  code: info.code,
  reason,
});
const unsupported = (reason: string) => fail(READER_ERRORS.unknownCardType, reason);
const readError = (reason: string) => fail(READER_ERRORS.readFailed, reason);

export function decodeTextBlock(text: Uint8Array): TextBlockResult {
  if (text.length < 256) return readError('short text block');
  const type = text[248];
  if (type === 0x49) return decodeForeign(text);
  if (type === 0x59) return decodeForeign2023(text);
  return decodeResident(text, type === 0x4a);
}

/** Mainland resident card, and the HK/Macao/Taiwan residence permit ('J'), which shares its layout. */
function decodeResident(text: Uint8Array, permit: boolean): TextBlockResult {
  const certKey = field(text, 122, 36);
  // A 2023 foreign card says so with its `Y` type byte; a 9… number under another type is not guessed.
  if (/^9\d{16}[\dX]$/.test(certKey)) return unsupported('number starting 9 without the Y card type');
  if (!/^\d{17}[\dX]$/.test(certKey)) return readError('malformed ID number');
  if (permit && !/^8[123]0000/.test(certKey)) return unsupported("'J' card without 810000/820000/830000");
  if (!isValidIdNumber(certKey)) return fail(READER_ERRORS.checkDigit, 'GB 11643 check digit');
  const birthDate = isoDate(field(text, 36, 16));
  const from = isoDate(field(text, 188, 16));
  const to = validTo(field(text, 204, 16));
  const name = field(text, 0, 30);
  if (!birthDate || !from || !to || !name) return readError('malformed field');
  const cardType = permit ? 'hk-mo-tw' : 'mainland';
  const identity: CardIdentity = {
    cardType,
    certType: CERT_TYPE_OF_LAYOUT[cardType],
    certKey,
    name,
    gender: gender(field(text, 30, 2)),
    birthDate,
    address: field(text, 52, 70),
    issuer: field(text, 158, 30),
    validFrom: from,
    validTo: to,
  };
  if (permit) {
    identity.passNumber = field(text, 220, 18);
    identity.issueCount = field(text, 238, 4);
  } else {
    identity.nation = field(text, 32, 4);
  }
  return { ok: true, identity };
}

/** Foreign permanent resident card, 2017 design ('I'). */
function decodeForeign(text: Uint8Array): TextBlockResult {
  const certKey = field(text, 122, 30);
  if (!/^[A-Z]{3}\d{12}$/.test(certKey)) return unsupported("'I' card number is not 3 letters + 12 digits");
  const birthDate = isoDate(field(text, 220, 16));
  const from = isoDate(field(text, 188, 16));
  const to = validTo(field(text, 204, 16));
  const name = field(text, 0, 120);
  if (!birthDate || !from || !to || !name) return readError('malformed field');
  const identity: CardIdentity = {
    cardType: 'foreign',
    certType: CERT_TYPE_OF_LAYOUT.foreign,
    certKey,
    name,
    gender: gender(field(text, 120, 2)),
    birthDate,
    validFrom: from,
    validTo: to,
    nationality: field(text, 152, 6),
  };
  const chineseName = field(text, 158, 30);
  if (chineseName) identity.chineseName = chineseName;
  return { ok: true, identity };
}

/**
 * Foreign permanent resident card, 2023 design (`Y`). The SAM spec leaves its layout unconfirmed; the one
 * read here is the mainland card's frame with the names swapped in, as the vendors' SDKs report it:
 * 0 (30) Chinese name · 30 (2) gender · 36 (16) birth date · 52 (70) English name · 122 (36) permit number
 * (18 digits starting 9, GB 11643 MOD 11-2 check) · 188 (16) issued · 204 (16) expires · 248 `Y`.
 * Because that layout is not confirmed, the read is cross-checked rather than trusted: the number carries
 * the birth date (digits 7–14), and a block whose birth date does not match it is a read error, not a
 * citizen. Fields not in that list (issuer, nationality) are not read: never guessed.
 */
function decodeForeign2023(text: Uint8Array): TextBlockResult {
  const certKey = field(text, 122, 36);
  if (!/^9\d{17}$/.test(certKey)) return readError("'Y' card number is not 18 digits starting 9");
  if (!isValidIdNumber(certKey)) return fail(READER_ERRORS.checkDigit, 'GB 11643 check digit');
  const birthDate = isoDate(field(text, 36, 16));
  const from = isoDate(field(text, 188, 16));
  const to = validTo(field(text, 204, 16));
  const englishName = field(text, 52, 70);
  const chineseName = field(text, 0, 30);
  if (!birthDate || !from || !to || !(englishName || chineseName)) return readError('malformed field');
  if (birthDate.replaceAll('-', '') !== certKey.slice(6, 14)) return readError("'Y' birth date ≠ number");
  const identity: CardIdentity = {
    cardType: 'foreign-2023',
    certType: CERT_TYPE_OF_LAYOUT['foreign-2023'],
    certKey,
    name: englishName || chineseName,
    gender: gender(field(text, 30, 2)),
    birthDate,
    validFrom: from,
    validTo: to,
  };
  if (chineseName) identity.chineseName = chineseName;
  return { ok: true, identity };
}
