import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findStaffByCard, staffCardDigest } from '../../src/config/staff-roster.js';
import type { StaffMember } from '../../src/config/schema.js';
import { STAFF_CARD_KEY } from './helpers.js';

const CARD_A = '11010519491231002X';
const CARD_B = '460100199001011234';
const roster: StaffMember[] = [
  { staffId: 'S001', name: '王芳', cardDigest: staffCardDigest(STAFF_CARD_KEY, CARD_A) },
  { staffId: 'S002', name: '李强' },
  { staffId: 'S003', name: '张伟', cardDigest: staffCardDigest(STAFF_CARD_KEY, CARD_B) },
];

describe('staff card sign-in', () => {
  it('finds the clerk whose card digest matches, whatever the case of the check letter', () => {
    expect(findStaffByCard(roster, STAFF_CARD_KEY, CARD_A)?.staffId).toBe('S001');
    expect(findStaffByCard(roster, STAFF_CARD_KEY, CARD_A.toLowerCase())?.staffId).toBe('S001');
    expect(findStaffByCard(roster, Buffer.from(STAFF_CARD_KEY, 'base64'), ` ${CARD_B} `)?.staffId).toBe(
      'S003',
    );
  });

  it('answers null for an unknown card, another hall key, no key or an empty number', () => {
    expect(findStaffByCard(roster, STAFF_CARD_KEY, '110105194912310039')).toBeNull();
    expect(findStaffByCard(roster, Buffer.alloc(32, 9), CARD_A)).toBeNull();
    expect(findStaffByCard(roster, undefined, CARD_A)).toBeNull();
    expect(findStaffByCard(roster, 'short', CARD_A)).toBeNull();
    expect(findStaffByCard(roster, STAFF_CARD_KEY, '  ')).toBeNull();
    expect(findStaffByCard([], STAFF_CARD_KEY, CARD_A)).toBeNull();
  });

  it('the digest is keyed HMAC-SHA256 hex and never contains the number', () => {
    const digest = staffCardDigest(STAFF_CARD_KEY, CARD_A);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).not.toContain(CARD_A.slice(0, 6));
    expect(() => staffCardDigest(Buffer.alloc(16), CARD_A)).toThrow(RangeError);
  });

  it('is pure and total: any text finds a member only through its own digest', () => {
    fc.assert(
      fc.property(fc.string(), (certKey) => {
        const found = findStaffByCard(roster, STAFF_CARD_KEY, certKey);
        const norm = certKey.trim().toUpperCase();
        expect(found?.staffId ?? null).toBe(norm === CARD_A ? 'S001' : norm === CARD_B ? 'S003' : null);
      }),
    );
  });
});
