import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byCodePoint } from '../../dev-tools/province-sim/canonical.js';

/** The definition: compare the strings' code points one by one. */
function reference(a: string, b: string): number {
  const ca = Array.from(a, (c) => c.codePointAt(0)!);
  const cb = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
  return ca.length - cb.length;
}

describe('The province simulator’s key order (province-profile.md "Hash": keys sorted by code point)', () => {
  it('orders any two strings as their code points do, astral characters and U+E000… included', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('a', 'z', '\ue000', '\uffff', '😀', '𠮷'),
        fc.string({ unit: 'binary' }),
      ),
    });
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(Math.sign(byCodePoint(a, b))).toBe(Math.sign(reference(a, b)));
      }),
      { numRuns: 2000 },
    );
  });
});
