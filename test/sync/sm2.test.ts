import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sm2 } from 'sm-crypto-v2';
import {
  generateSm2KeyPair,
  sm2Decrypt,
  sm2DecryptBytes,
  Sm2DecryptError,
  sm2Encrypt,
} from '../../src/sync/province/sm2.js';
import { G, onCurve, publicKeyOf, referenceDecrypt, referenceEncrypt } from './support/sm2-reference.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('SM2 for the province envelope (C1C3C2, hex with leading 04)', () => {
  const keys = generateSm2KeyPair();

  it('makes a key pair whose public key is 130 lower-case hex characters starting 04', () => {
    expect(keys.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    expect(keys.privateKey).toMatch(/^[0-9a-f]{64}$/);
  });

  it('round-trips UTF-8 text, Chinese included', () => {
    const text = JSON.stringify({
      records: [{ proDepart: '海口市政务服务中心', writingEvaluation: '等候时间过长😀' }],
    });
    expect(sm2Decrypt(sm2Encrypt(text, keys.publicKey), keys.privateKey)).toBe(text);
  });

  it('writes the ciphertext as lower-case hex with the leading 04 and C1 on the curve', () => {
    const c = sm2Encrypt('hello', keys.publicKey);
    expect(c).toMatch(/^04[0-9a-f]+$/);
    expect(c.length).toBe(2 + 128 + 64 + 'hello'.length * 2);
    const c1 = { x: BigInt('0x' + c.slice(2, 66)), y: BigInt('0x' + c.slice(66, 130)) };
    expect(onCurve(c1)).toBe(true);
  });

  it('decrypts the same ciphertext with or without the leading 04', () => {
    const c = sm2Encrypt('appMark+time', keys.publicKey);
    expect(sm2Decrypt(c.slice(2), keys.privateKey)).toBe('appMark+time');
    expect(sm2Decrypt(c.toUpperCase(), keys.privateKey)).toBe('appMark+time');
  });

  it('refuses a tampered ciphertext or the wrong key with Sm2DecryptError', () => {
    const c = sm2Encrypt('payload', keys.publicKey);
    const tampered = c.slice(0, -2) + (c.endsWith('00') ? '01' : '00');
    expect(() => sm2Decrypt(tampered, keys.privateKey)).toThrow(Sm2DecryptError);
    expect(() => sm2Decrypt(c, generateSm2KeyPair().privateKey)).toThrow(Sm2DecryptError);
    expect(() => sm2Decrypt('04zz', keys.privateKey)).toThrow(Sm2DecryptError);
  });

  describe('interop with an independent GM/T 0003.4 implementation', () => {
    const d = 0x3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8n;
    const publicKey = publicKeyOf(d);

    it('uses the SM2 recommended curve (the reference generator lies on it and agrees with sm-crypto-v2)', () => {
      expect(onCurve(G)).toBe(true);
      expect(sm2.getPublicKeyFromPrivateKey(d.toString(16).padStart(64, '0'))).toBe(publicKey);
    });

    it('decrypts a C1C3C2 ciphertext made by the reference implementation, with and without 04', () => {
      const message = '{"records":[{"satisfaction":"1","evalDetail":"501,521"}]}';
      const k = 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n;
      const cipher = referenceEncrypt(utf8(message), publicKey, k);
      const privateHex = d.toString(16).padStart(64, '0');
      expect(sm2Decrypt(cipher, privateHex)).toBe(message);
      expect(sm2Decrypt(cipher.slice(2), privateHex)).toBe(message);
    });

    it('decrypts a ciphertext whose key stream is all zeros, as sm-crypto-v2 may send, since C3 still verifies it', () => {
      // k = 470 gives this key a zero key-stream byte for a 1-byte message (found by search): C2 is the plaintext.
      const cipher = referenceEncrypt(Uint8Array.of(0x7c), publicKey, 470n);
      expect(cipher.slice(-2)).toBe('7c');
      const privateHex = d.toString(16).padStart(64, '0');
      expect(Buffer.from(sm2DecryptBytes(cipher, privateHex))).toEqual(Buffer.of(0x7c));
      const tampered = cipher.slice(0, -2) + '7d';
      expect(() => sm2DecryptBytes(tampered, privateHex)).toThrow(Sm2DecryptError);
    });

    it('produces ciphertext the reference implementation decrypts as C1C3C2', () => {
      const message = '20261126093015hcp-demo-mark-secret';
      const cipher = sm2Encrypt(message, publicKey);
      const plain = referenceDecrypt(cipher, d);
      expect(plain && new TextDecoder().decode(plain)).toBe(message);
    });
  });

  describe('interop with sm-crypto-v2 (the province simulator’s and earlier kiosks’ library)', () => {
    it('each decrypts what the other encrypted, for any bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 400 }), (message) => {
          const ours = sm2Encrypt(message, keys.publicKey);
          const decrypted = sm2.doDecrypt(ours.slice(2), keys.privateKey, 1, { output: 'array' });
          expect(Buffer.from(decrypted as Uint8Array).equals(Buffer.from(message))).toBe(true);
          const theirs = '04' + sm2.doEncrypt(message, keys.publicKey, 1);
          expect(Buffer.from(sm2DecryptBytes(theirs, keys.privateKey)).equals(Buffer.from(message))).toBe(
            true,
          );
        }),
        { numRuns: 60 },
      );
    });

    it('round-trips a whole 100-record batch (about 75 KB)', () => {
      const text = JSON.stringify({
        records: Array.from({ length: 100 }, (_, i) => ({ i, t: '评价'.repeat(120) })),
      });
      expect(text.length).toBeGreaterThan(24_000);
      const theirs = '04' + sm2.doEncrypt(new TextEncoder().encode(text), keys.publicKey, 1);
      expect(sm2Decrypt(theirs, keys.privateKey)).toBe(text);
      expect(sm2.doDecrypt(sm2Encrypt(text, keys.publicKey).slice(2), keys.privateKey, 1)).toBe(text);
    });

    it('refuses a malformed public or private key with a TypeError', () => {
      expect(() => sm2Encrypt('x', '04abc')).toThrow(/130 hex/);
      const c = sm2Encrypt('x', keys.publicKey);
      expect(() => sm2DecryptBytes(c, 'not hex')).toThrow(TypeError);
      expect(() => sm2DecryptBytes(c, '0')).toThrow(/out of range/);
    });
  });
});
