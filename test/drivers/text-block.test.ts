import { describe, expect, it } from 'vitest';
import { decodeTextBlock, gb11643CheckDigit, isValidIdNumber } from '../../drivers/idcard/text-block.js';
import { ratingName } from '../../drivers/idcard/identity.js';
import { maskIdNumber, maskName } from '../../drivers/idcard/mask.js';
import { encodeTextBlock } from '../../drivers/sim/text-block-encode.js';
import * as ids from '../../drivers/sim/identities.js';

describe('text block decoders', () => {
  it('computes the GB 11643 check digit (including X)', () => {
    expect(gb11643CheckDigit('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });

  it.each([
    ids.MAINLAND,
    ids.HK_MO_TW,
    ids.FOREIGN,
    ids.MAINLAND_LONG_TERM,
    ids.FOREIGN_2023,
    ids.FOREIGN_2023_NO_CHINESE_NAME,
  ])('decodes the $cardType sample $name field by field', (identity) => {
    expect(decodeTextBlock(encodeTextBlock(identity))).toEqual({ ok: true, identity });
  });

  it('keeps inner spaces of a foreign name and trims trailing ones only', () => {
    const r = decodeTextBlock(encodeTextBlock({ ...ids.FOREIGN, name: 'TEST  MIDDLE SAMPLE' }));
    expect(r.ok && r.identity.name).toBe('TEST  MIDDLE SAMPLE');
  });

  it('treats a failed check digit as read error E5006', () => {
    expect(decodeTextBlock(encodeTextBlock(ids.BAD_CHECK_DIGIT))).toMatchObject({ ok: false, code: 'E5006' });
  });

  it('decodes a Y card (2023 foreign permanent resident card) as foreign-permanent, with both names', () => {
    const r = decodeTextBlock(encodeTextBlock(ids.FOREIGN_2023));
    expect(r).toMatchObject({
      ok: true,
      identity: {
        cardType: 'foreign-2023',
        certType: 'foreign-permanent',
        certKey: ids.FOREIGN_2023.certKey,
        name: 'SAMPLE, TEST SECOND',
        chineseName: '测试五',
      },
    });
    expect(r.ok && ratingName(r.identity)).toBe('测试五');
  });

  it('gives a Y card without a Chinese name its English name for the rating', () => {
    const r = decodeTextBlock(encodeTextBlock(ids.FOREIGN_2023_NO_CHINESE_NAME));
    expect(r.ok && ratingName(r.identity)).toBe('SAMPLE, ONLY ENGLISH');
  });

  it('gives an I card its Chinese name for the rating when it has one, and a J card its own name', () => {
    expect(ratingName(ids.FOREIGN)).toBe('测试三');
    expect(ratingName({ ...ids.FOREIGN, chineseName: undefined })).toBe('TEST SAMPLE');
    expect(ratingName(ids.HK_MO_TW)).toBe('测试二');
  });

  it('treats a Y card whose number fails the MOD 11-2 check as read error E5006', () => {
    const key = ids.FOREIGN_2023.certKey;
    const bad = key.slice(0, 17) + (key[17] === '0' ? '1' : '0');
    expect(decodeTextBlock(encodeTextBlock({ ...ids.FOREIGN_2023, certKey: bad }))).toMatchObject({
      ok: false,
      code: 'E5006',
    });
  });

  it('treats a Y card whose birth date does not match its number as a read error, not a citizen', () => {
    const r = decodeTextBlock(encodeTextBlock({ ...ids.FOREIGN_2023, birthDate: '1988-08-09' }));
    expect(r).toMatchObject({ ok: false, code: 'E5005' });
  });

  it('reports a 9… number without the Y card type as unsupported E5007, never guessed', () => {
    expect(decodeTextBlock(encodeTextBlock(ids.NINE_WITHOUT_Y_TYPE))).toMatchObject({
      ok: false,
      code: 'E5007',
    });
  });

  it('reports an I card whose number is not 3 letters + 12 digits as E5007', () => {
    const r = decodeTextBlock(encodeTextBlock({ ...ids.FOREIGN, certKey: '933100199001010010' }));
    expect(r).toMatchObject({ ok: false, code: 'E5007' });
  });
});

describe('masking', () => {
  it('shows the first 4 and last 4 characters of an ID number', () => {
    expect(maskIdNumber('46010019900101123X')).toBe('4601**********123X');
  });
  it('shows the first character of a name and one * per other character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('TEST SAMPLE')).toBe('T*** ******');
  });
});
