/**
 * One number check per document type (province-profile.md "证件类型 codes" ⟨r2⟩), by property: numbers built
 * to each type's rule pass its check, and any change of one character, or a number of another type, fails it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isForeignPermit2017Number,
  isForeignPermit2023Number,
  isIdCardNumber,
  isResidencePermitNumber,
  isUsccNumber,
  isValidCertKey,
  mod11_2Check,
  usccCheck,
} from '../../src/rating-path/cert-number.js';

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A real birth date yyyyMMdd from 1900 to 2099. */
const birthDate = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true })
  .map((d) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`);

const withMod11 = (first17: string) => first17 + mod11_2Check(first17);

/** 居民身份证: a mainland area (first digit 1–8, not 81/82/83 0000), birth date, sequence, check. */
const idCard = fc
  .tuple(fc.integer({ min: 110000, max: 659999 }), birthDate, digits(3))
  .map(([area, birth, seq]) => withMod11(`${area}${birth}${seq}`));

const residencePermit = fc
  .tuple(fc.constantFrom('810000', '820000', '830000'), birthDate, digits(3))
  .map(([area, birth, seq]) => withMod11(`${area}${birth}${seq}`));

const foreign2017 = fc
  .tuple(fc.stringMatching(/^[A-Z]{3}$/), digits(12))
  .map(([letters, rest]) => letters + rest);

// The profile says "18 digits": a check that would be X makes no 2023 card number.
const foreign2023 = digits(16)
  .map((rest) => withMod11(`9${rest}`))
  .filter((n) => !n.endsWith('X'));
const foreign2023WithX = digits(16)
  .map((rest) => withMod11(`9${rest}`))
  .filter((n) => n.endsWith('X'));

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const uscc = fc
  .array(fc.constantFrom(...USCC_ALPHABET), { minLength: 17, maxLength: 17 })
  .map((chars) => chars.join(''))
  .map((first17) => first17 + usccCheck(first17));

/** Replaces the character at `i` by another one of the same kind of alphabet. */
function changeOne(value: string, i: number, by: number): string {
  const alphabet = /\d|X/.test(value[i] ?? '') ? '0123456789X' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const at = alphabet.indexOf(value[i] ?? '');
  const next = alphabet[(at + 1 + (by % (alphabet.length - 1))) % alphabet.length] ?? '0';
  return value.slice(0, i) + next + value.slice(i + 1);
}

describe('document number checks', () => {
  it('accepts every well-formed 居民身份证 and refuses it after any one check-covered character changes', () => {
    fc.assert(
      fc.property(idCard, fc.integer({ min: 0, max: 17 }), fc.nat(), (number, i, by) => {
        expect(isIdCardNumber(number)).toBe(true);
        expect(isValidCertKey('id-card', number)).toBe(true);
        // GB 11643 MOD 11-2 catches every single-character change.
        expect(isIdCardNumber(changeOne(number, i, by))).toBe(false);
      }),
    );
  });

  it('accepts a 港澳台居民居住证 only with address 810000, 820000 or 830000, and never as 居民身份证', () => {
    fc.assert(
      fc.property(residencePermit, (number) => {
        expect(isResidencePermitNumber(number)).toBe(true);
        expect(isValidCertKey('id-card', number)).toBe(false);
      }),
    );
    fc.assert(
      fc.property(idCard, (number) => {
        expect(isValidCertKey('residence-permit', number)).toBe(false);
      }),
    );
  });

  it('refuses an impossible birth date even with a right check digit', () => {
    expect(isIdCardNumber(withMod11('11010519490230002'))).toBe(false); // 30 February
    expect(isIdCardNumber(withMod11('44052418800101001'))).toBe(false); // before 1900
    expect(isResidencePermitNumber(withMod11('81000019991301001'))).toBe(false); // month 13
    expect(isIdCardNumber('11010519491231002X')).toBe(true);
    expect(isIdCardNumber('11010519491231002x')).toBe(false); // upper-case X only (the link upper-cases)
  });

  it('accepts both 外国人永久居留身份证 forms: 2017 (3 letters + 12 digits) and 2023 (18 digits from 9, MOD 11-2)', () => {
    fc.assert(
      fc.property(
        foreign2017,
        foreign2023,
        fc.integer({ min: 1, max: 17 }),
        fc.nat(),
        (old, current, i, by) => {
          expect(isForeignPermit2017Number(old)).toBe(true);
          expect(isValidCertKey('foreign-permanent', old)).toBe(true);
          expect(isForeignPermit2023Number(current)).toBe(true);
          expect(isValidCertKey('foreign-permanent', current)).toBe(true);
          expect(isValidCertKey('foreign-permanent', changeOne(current, i, by))).toBe(false);
          // A 2023 card is no 居民身份证 (its leading 9 is no mainland area).
          expect(isValidCertKey('id-card', current)).toBe(false);
        },
      ),
    );
    expect(isForeignPermit2017Number('usa123456789012')).toBe(false);
    expect(isForeignPermit2017Number('USA12345678901')).toBe(false);
  });

  it('refuses a 9… number whose MOD 11-2 check is X as a 2023 永居证: the profile says 18 digits', () => {
    fc.assert(
      fc.property(foreign2023WithX, (number) => {
        expect(isForeignPermit2023Number(number)).toBe(false);
        expect(isValidCertKey('foreign-permanent', number)).toBe(false);
      }),
    );
  });

  it('accepts a 统一社会信用代码 with its GB 32100 check character and refuses any one change', () => {
    fc.assert(
      fc.property(uscc, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (code, i, by) => {
        expect(isUsccNumber(code)).toBe(true);
        const at = USCC_ALPHABET.indexOf(code[i] ?? '');
        const changed = code.slice(0, i) + USCC_ALPHABET[(at + by) % 31] + code.slice(i + 1);
        expect(isValidCertKey('uscc', changed)).toBe(false);
      }),
    );
    expect(isUsccNumber('91350100M000100Y43')).toBe(true);
    expect(isUsccNumber('91350100M000100I43')).toBe(false); // I is not in the alphabet
  });

  it('never lets a number pass the check of a type whose shape it does not have', () => {
    fc.assert(
      fc.property(fc.oneof(idCard, residencePermit, foreign2017, foreign2023), (number) => {
        const passes = (['id-card', 'residence-permit', 'foreign-permanent'] as const).filter((t) =>
          isValidCertKey(t, number),
        );
        expect(passes).toHaveLength(1);
      }),
    );
  });
});
