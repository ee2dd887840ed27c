/** Value shapes the window link accepts: identity numbers, photos, times with offset, calendar dates. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PHOTO_MAX_BYTES,
  isGb11643,
  isIsoDate,
  isPersonCertKey,
  isUscc,
  parseIsoWithOffset,
  photoProblem,
} from '../../src/link/formats.js';

describe('identity numbers', () => {
  it('accepts GB 11643 numbers with a right check character and a real birth date', () => {
    expect(isGb11643('11010519491231002X')).toBe(true);
    expect(isGb11643('440524188001010014')).toBe(false); // born 1880: before 1900
    expect(isGb11643('110105194912310021')).toBe(false); // wrong check character
    expect(isGb11643('110105194902300025')).toBe(false); // 30 February
    expect(isGb11643('11010519491231002x')).toBe(false); // lower case is upper-cased by the schema first
  });

  it('detects every single-digit change of a valid number by its check character', () => {
    const valid = '11010519491231002X';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (i, delta) => {
        const digit = (Number(valid[i]) + delta) % 10;
        const changed = `${valid.slice(0, i)}${digit}${valid.slice(i + 1)}`;
        expect(isGb11643(changed)).toBe(false);
      }),
    );
  });

  it('accepts HK/MO/TW travel permits and the 2004 foreign residence card, and nothing shapeless', () => {
    for (const ok of ['H12345678', 'M1234567890', '12345678', '1234567890', 'USA123456789012']) {
      expect(isPersonCertKey(ok)).toBe(true);
    }
    for (const bad of ['X12345678', '1234567', 'US123456789012', 'H1234567', '123456789']) {
      expect(isPersonCertKey(bad)).toBe(false);
    }
  });

  it('checks the GB 32100 check character of a unified social credit code', () => {
    expect(isUscc('91350100M000100Y43')).toBe(true);
    expect(isUscc('91350100M000100Y44')).toBe(false);
    expect(isUscc('91350100M000100I43')).toBe(false);
  });
});

describe('photo data URLs', () => {
  const url = (type: string, bytes: Buffer) => `data:image/${type};base64,${bytes.toString('base64')}`;
  const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(size - 3)]);

  it('accepts a real JPEG or PNG up to 200 KiB decoded', () => {
    expect(photoProblem(url('jpeg', jpeg(PHOTO_MAX_BYTES)))).toBeNull();
    expect(
      photoProblem(url('png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))),
    ).toBeNull();
  });

  it('refuses larger photos, bad base64, other types and bytes that are not the declared image', () => {
    expect(photoProblem(url('jpeg', jpeg(PHOTO_MAX_BYTES + 1)))).toBe('too-large');
    expect(photoProblem('data:image/jpeg;base64,/9j/4A=')).toBe('not-base64');
    expect(photoProblem('data:image/jpeg;base64,/9j/4B==')).toBe('not-base64'); // non-canonical padding bits
    expect(photoProblem('data:image/jpeg;base64,')).toBe('not-base64');
    expect(photoProblem('data:image/gif;base64,R0lGODlh')).toBe('shape');
    expect(photoProblem(url('png', jpeg(10)))).toBe('not-image');
  });
});

describe('times and dates', () => {
  it('reads ISO 8601 with Z or a numeric offset, with or without seconds and fractions', () => {
    const at = Date.parse('2024-05-01T01:30:00Z');
    expect(parseIsoWithOffset('2024-05-01T09:30:00+08:00')).toBe(at);
    expect(parseIsoWithOffset('2024-05-01T09:30+0800')).toBe(at);
    expect(parseIsoWithOffset('2024-05-01T09:30:00.250+08')).toBe(at + 250);
    expect(parseIsoWithOffset('2024-05-01T01:30:00Z')).toBe(at);
    expect(parseIsoWithOffset('2024-04-30T20:30:00-05:00')).toBe(at);
  });

  it('refuses local times, impossible times and absurd offsets', () => {
    for (const bad of [
      '2024-05-01T09:30:00',
      '2024-05-01',
      '2023-02-29T09:30:00+08:00',
      '2024-05-01T24:00:00+08:00',
      '2024-05-01T09:60:00+08:00',
      '2024-05-01T09:30:00+15:00',
      '1969-12-31T23:59:59Z',
      '2024-05-01T09:30:00+08:00 ',
    ]) {
      expect(parseIsoWithOffset(bad)).toBeNull();
    }
  });

  it('agrees with Date.parse on every valid time with offset', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-02T00:00:00Z'),
          max: new Date('2999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (date, offsetMin) => {
          const local = new Date(date.getTime() + offsetMin * 60_000).toISOString().slice(0, 23);
          const sign = offsetMin < 0 ? '-' : '+';
          const abs = Math.abs(offsetMin);
          const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseIsoWithOffset(text)).toBe(date.getTime());
        },
      ),
    );
  });

  it('accepts only real calendar dates as YYYY-MM-DD', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('2024-1-01')).toBe(false);
  });
});
