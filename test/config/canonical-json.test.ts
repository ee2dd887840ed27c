import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/config/canonical-json.js';

describe('canonical JSON', () => {
  it('sorts keys at every level, drops whitespace and writes numbers the ECMAScript way', () => {
    expect(canonicalJson({ b: [3, { z: 1, a: 2 }], a: 'x', c: { y: null, x: true } })).toBe(
      '{"a":"x","b":[3,{"a":2,"z":1}],"c":{"x":true,"y":null}}',
    );
    expect(canonicalJson(JSON.parse('{"n": 1.0, "m": 1e2, "k": -0.5}'))).toBe('{"k":-0.5,"m":100,"n":1}');
  });

  it('sorts by UTF-16 code units and escapes strings as JSON.stringify does', () => {
    expect(canonicalJson({ é: 1, z: 2, A: 3, 窗: 4 })).toBe('{"A":3,"z":2,"é":1,"窗":4}');
    expect(canonicalJson('line\n"quote"\u2028')).toBe(JSON.stringify('line\n"quote"\u2028'));
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ a: undefined })).toThrow(TypeError);
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson(1n)).toThrow(TypeError);
  });

  it('is stable under key order and round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(canonicalJson(JSON.parse(JSON.stringify(value, null, 2)))).toBe(text);
      }),
    );
  });
});
