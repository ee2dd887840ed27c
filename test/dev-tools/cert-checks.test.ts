import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isForeignPermanent2017,
  isForeignPermanent2023,
  isResidencePermitNumber,
  isResidentIdNumber,
  isUsccNumber,
  passesCertCheck,
} from '../../dev-tools/province-sim/cert-checks.js';

const TODAY = '20261201';

/** GB 11643 by its definition: weight of position i (1-based from the left) is 2^(18-i) mod 11. */
function referenceIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (2 ** (17 - i) % 11);
  const check = (12 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}

/** GB 32100 by its definition: weight of position i (0-based) is 3^i mod 31, check = 31 − sum mod 31. */
const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function referenceUsccCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17[i]!) * (3 ** i % 31);
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const birthDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-11-30T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));
const idNumber = (area: fc.Arbitrary<string>) =>
  fc.tuple(area, birthDate, digits(3)).map(([a, b, s]) => a + b + s + referenceIdCheck(a + b + s));
const residentId = idNumber(digits(6));
const usccNumber = fc
  .string({ unit: fc.constantFrom(...USCC_ALPHABET), minLength: 17, maxLength: 17 })
  .map((s) => s + referenceUsccCheck(s));

/** The same string with the character at `index` replaced by another one of `alphabet`. */
const withOneCharChanged = (value: string, alphabet: string) =>
  fc.tuple(fc.nat({ max: value.length - 1 }), fc.nat({ max: alphabet.length - 2 })).map(([i, k]) => {
    const others = [...alphabet].filter((c) => c !== value[i]);
    return value.slice(0, i) + others[k % others.length]! + value.slice(i + 1);
  });

describe('The province’s 居民身份证 check (GB 11643 check digit, valid birth date)', () => {
  it('accepts every number with a right check digit and a real birth date', () => {
    fc.assert(
      fc.property(residentId, (n) => {
        expect(isResidentIdNumber(n, TODAY)).toBe(true);
      }),
    );
  });

  it('rejects every number with one character changed (the check digit catches a single error)', () => {
    fc.assert(
      fc.property(
        residentId.chain((n) => withOneCharChanged(n, '0123456789X').map((m) => [n, m] as const)),
        ([, changed]) => {
          expect(isResidentIdNumber(changed, TODAY)).toBe(false);
        },
      ),
    );
  });

  it('rejects every number with two neighbouring different digits swapped', () => {
    fc.assert(
      fc.property(residentId, fc.nat({ max: 15 }), (n, i) => {
        fc.pre(n[i] !== n[i + 1]);
        const swapped = n.slice(0, i) + n[i + 1]! + n[i]! + n.slice(i + 2);
        expect(isResidentIdNumber(swapped, TODAY)).toBe(false);
      }),
    );
  });

  it('rejects a right check digit on a birth date that does not exist or lies in the future', () => {
    for (const body of ['46010019900230123', '46010019901301123', '46010018991231123', '46010020270101123']) {
      expect(isResidentIdNumber(body + referenceIdCheck(body), TODAY), body).toBe(false);
    }
  });

  it('takes only an upper-case X as check character', () => {
    const body = '46010019900101102';
    expect(referenceIdCheck(body)).toBe('X');
    expect(isResidentIdNumber(`${body}X`, TODAY)).toBe(true);
    expect(isResidentIdNumber(`${body}x`, TODAY)).toBe(false);
  });
});

describe('The province’s 港澳台居民居住证 check (as 居民身份证, address code 810000/820000/830000)', () => {
  it('accepts a valid number under each of the three address codes and no other', () => {
    fc.assert(
      fc.property(
        idNumber(fc.constantFrom('810000', '820000', '830000')),
        residentId.filter((n) => !['810000', '820000', '830000'].includes(n.slice(0, 6))),
        (permit, mainland) => {
          expect(isResidencePermitNumber(permit, TODAY)).toBe(true);
          expect(isResidencePermitNumber(mainland, TODAY)).toBe(false);
        },
      ),
    );
  });
});

describe('The province’s 外国人永久居留身份证 checks', () => {
  it('2017: exactly 3 upper-case letters and 12 digits', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 3, maxLength: 3 }),
        digits(12),
        (letters, number) => {
          expect(isForeignPermanent2017(letters + number)).toBe(true);
          expect(isForeignPermanent2017(letters.toLowerCase() + number)).toBe(false);
          expect(isForeignPermanent2017(letters + number.slice(1))).toBe(false);
        },
      ),
    );
  });

  it('2023: 18 digits starting 9 with the MOD 11-2 check digit, never X', () => {
    fc.assert(
      fc.property(digits(16), (rest) => {
        const body = `9${rest}`;
        const check = referenceIdCheck(body);
        expect(isForeignPermanent2023(body + check)).toBe(check !== 'X');
        const wrong = String((Number(check === 'X' ? 10 : check) + 1) % 10);
        expect(isForeignPermanent2023(body + wrong)).toBe(false);
        expect(isForeignPermanent2023(`8${rest}${referenceIdCheck(`8${rest}`)}`)).toBe(false);
      }),
    );
  });

  it('either layout passes the foreign-permanent type’s check', () => {
    expect(passesCertCheck('foreign-permanent', 'USA110090010112', TODAY)).toBe(true);
    expect(passesCertCheck('foreign-permanent', '915600199001011231', TODAY)).toBe(true);
    expect(passesCertCheck('foreign-permanent', '460100199001011230', TODAY)).toBe(false);
  });
});

describe('The province’s 统一社会信用代码 check (GB 32100)', () => {
  it('accepts every 18-character code with its check character', () => {
    fc.assert(
      fc.property(usccNumber, (n) => {
        expect(isUsccNumber(n)).toBe(true);
      }),
    );
  });

  it('rejects every code with one character changed', () => {
    fc.assert(
      fc.property(
        usccNumber.chain((n) => withOneCharChanged(n, USCC_ALPHABET)),
        (changed) => {
          expect(isUsccNumber(changed)).toBe(false);
        },
      ),
    );
  });

  it('rejects the letters GB 32100 leaves out (I, O, S, V, Z) and lower case', () => {
    expect(isUsccNumber('91110000600037341L')).toBe(true);
    for (const bad of ['9111000060003734IL', '91110000600037341l', '9111000060003734OL', '91110000600037341'])
      expect(isUsccNumber(bad), bad).toBe(false);
  });
});
