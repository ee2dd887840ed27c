import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sm3Hex, sm3HexPureJs } from '../../src/crypto/sm3.js';

// GB/T 32905-2016 Appendix A examples, for both the runtime's SM3 and the pure-JS one Electron uses.
describe.each([
  ['the runtime SM3', sm3Hex],
  ['the pure-JS SM3 (Electron)', sm3HexPureJs],
])('%s', (_name, hash) => {
  it('hashes "abc" to the GB/T 32905 example 1 digest', () => {
    expect(hash('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('hashes the 64-byte "abcd"×16 message to the GB/T 32905 example 2 digest', () => {
    expect(hash('abcd'.repeat(16))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('hashes a string as its UTF-8 bytes, the same as the equivalent byte array', () => {
    const text = '海口市政务服务中心 好差评';
    expect(hash(text)).toBe(hash(new TextEncoder().encode(text)));
  });

  it('returns 64 lower-case hex characters', () => {
    expect(hash(new Uint8Array(0))).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('SM3 implementations', () => {
  it('agree on every input, so a chain hashed under Node verifies under Electron and back', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 2000 }), fc.uint8Array({ maxLength: 2000 })),
        (data) => {
          expect(sm3Hex(data)).toBe(sm3HexPureJs(data));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
