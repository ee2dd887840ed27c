/**
 * Pure checks for the value shapes the window link accepts (window-link.md; brief for the lengths):
 * identity document numbers, the clerk's photo, ISO 8601 times with offset and calendar dates.
 */

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1) return false;
  const days = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

/** `YYYY-MM-DD` naming a real calendar day (ratings summary `date`). */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return m !== null && isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

const ISO_WITH_OFFSET =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)$/;

/**
 * Epoch ms of an ISO 8601 date-time that carries its offset (`Z`, `±hh:mm`, `±hhmm` or `±hh`); null when the
 * text is not one, names an impossible time, or has no offset: a local time would be read in the kiosk's
 * zone, not the window system's (window-link.md "Time values are ISO 8601 with offset").
 */
export function parseIsoWithOffset(value: string): number | null {
  const m = ISO_WITH_OFFSET.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = Number(m[6] ?? '0');
  const millis = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  // Years before 1970 are no service time this kiosk could see (and Date.UTC misreads 0–99).
  if (year < 1970 || !isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59)
    return null;
  let offsetMin = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[10]);
    const om = Number(m[11] ?? '0');
    if (oh > 14 || om > 59) return null;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMin * 60_000;
}

const GB11643_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const GB11643_CHECK = '10X98765432';

/**
 * GB 11643 citizen identity number: 6-digit area (a leading 9 is the 2023 foreign permanent-residence card,
 * 810000/820000/830000 the HK/MO/TW residence permits, which share the shape), birth date, sequence,
 * ISO 7064 MOD 11-2 check character.
 */
export function isGb11643(value: string): boolean {
  if (!/^[1-9]\d{16}[\dX]$/.test(value)) return false;
  const y = Number(value.slice(6, 10));
  if (y < 1900 || !isCalendarDate(y, Number(value.slice(10, 12)), Number(value.slice(12, 14)))) return false;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(value[i]) * (GB11643_WEIGHTS[i] ?? 0);
  return GB11643_CHECK[sum % 11] === value[17];
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** GB 32100 unified social credit code (统一社会信用代码), the certKey of a legal person (userProp 2). */
export function isUscc(value: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += USCC_CHARS.indexOf(value[i] ?? '') * (USCC_WEIGHTS[i] ?? 0);
  return USCC_CHARS[(31 - (sum % 31)) % 31] === value[17];
}

/** Travel permits: HK/MO 来往内地通行证, TW 来往大陆通行证, the 2004 foreign permanent-residence card. */
const PERMIT_SHAPES: readonly RegExp[] = [/^[HM]\d{8}(\d{2})?$/, /^\d{8}(\d{2})?$/, /^[A-Z]{3}\d{12}$/];

export function isPersonCertKey(value: string): boolean {
  return isGb11643(value) || PERMIT_SHAPES.some((shape) => shape.test(value));
}

export const PHOTO_MAX_BYTES = 200 * 1024;
const PHOTO_MAGIC: Record<'jpeg' | 'png', readonly number[]> = {
  jpeg: [0xff, 0xd8, 0xff],
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
};

export type PhotoProblem = 'shape' | 'too-large' | 'not-base64' | 'not-image';

/**
 * Checks a `data:image/jpeg;base64,…` (or png) URL: canonical base64 that decodes to at most 200 KiB whose
 * first bytes are the signature of the declared type. Answers the problem, or null when it is fine.
 */
export function photoProblem(value: string): PhotoProblem | null {
  const m = /^data:image\/(jpeg|png);base64,/.exec(value);
  if (!m) return 'shape';
  const b64 = value.slice(m[0].length);
  if (b64.length > (Math.ceil(PHOTO_MAX_BYTES / 3) + 1) * 4) return 'too-large';
  if (b64.length === 0 || b64.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return 'not-base64';
  const bytes = Buffer.from(b64, 'base64');
  // Node decodes leniently; a round trip proves the text was real, canonical base64.
  if (bytes.toString('base64') !== b64) return 'not-base64';
  if (bytes.length > PHOTO_MAX_BYTES) return 'too-large';
  const magic = PHOTO_MAGIC[m[1] as 'jpeg' | 'png'];
  if (!magic.every((byte, i) => bytes[i] === byte)) return 'not-image';
  return null;
}
