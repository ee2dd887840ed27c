import { describe, expect, it } from 'vitest';
import { decodeTextBlock, gb11643CheckDigit, isValidIdNumber } from '../../drivers/idcard/text-block.js';
import { maskIdNumber, maskName } from '../../drivers/idcard/mask.js';
import { encodeTextBlock } from '../../drivers/sim/text-block-encode.js';
import * as ids from '../../drivers/sim/identities.js';

describe('text block decoders', () => {
  it('computes the GB 11643 check digit (including X)', () => {
    expect(gb11643CheckDigit('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });

  it.each([ids.MAINLAND, ids.HK_MO_TW, ids.FOREIGN, ids.MAINLAND_LONG_TERM])(
    'decodes the $cardType sample $name field by field',
    (identity) => {
      expect(decodeTextBlock(encodeTextBlock(identity))).toEqual({ ok: true, identity });
    },
  );

  it('keeps inner spaces of a foreign name and trims trailing ones only', () => {
    const r = decodeTextBlock(encodeTextBlock({ ...ids.FOREIGN, name: 'TEST  MIDDLE SAMPLE' }));
    expect(r.ok && r.identity.name).toBe('TEST  MIDDLE SAMPLE');
  });

  it('treats a failed check digit as read error E5006', () => {
    expect(decodeTextBlock(encodeTextBlock(ids.BAD_CHECK_DIGIT))).toMatchObject({ ok: false, code: 'E5006' });
  });

  it('reports the 2023 foreign card (18 digits starting 9) as unsupported E5007, never guessed', () => {
    expect(decodeTextBlock(encodeTextBlock(ids.FOREIGN_2023))).toMatchObject({ ok: false, code: 'E5007' });
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
