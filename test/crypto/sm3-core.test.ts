import crypto from 'node:crypto';
import fc from 'fast-check';
import { kdf } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { sm2Kdf, sm3Digest } from '../../src/crypto/sm3-core.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ascii = (text: string) => new TextEncoder().encode(text);

describe('SM3 written for the SM2 envelope (src/crypto/sm3-core.ts)', () => {
  it('gives the digests of the standard’s two examples (GB/T 32905-2016 Appendix A)', () => {
    expect(hex(sm3Digest(ascii('abc')))).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
    expect(hex(sm3Digest(ascii('abcd'.repeat(16))))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  it('agrees with OpenSSL’s SM3 on any input cut into any parts, across every padding case', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (message, cuts) => {
          const points = [...new Set(cuts.map((c) => c % (message.length + 1)))].sort((a, b) => a - b);
          const parts: Uint8Array[] = [];
          let from = 0;
          for (const at of points) {
            parts.push(message.subarray(from, at));
            from = at;
          }
          parts.push(message.subarray(from));
          expect(hex(sm3Digest(...parts))).toBe(crypto.createHash('sm3').update(message).digest('hex'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('derives the same SM2 key stream as sm-crypto-v2’s KDF for any point and length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), fc.nat({ max: 2000 }), (z, length) => {
        expect(hex(sm2Kdf(z, length))).toBe(hex(kdf(z, length)));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a KDF input that is not x2 ‖ y2', () => {
    expect(() => sm2Kdf(new Uint8Array(63), 10)).toThrow(RangeError);
  });
});
