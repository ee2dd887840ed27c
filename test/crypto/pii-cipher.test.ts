import { describe, expect, it } from 'vitest';
import { createPiiCipher, idDigest } from '../../src/crypto/pii-cipher.js';
import { STORE_ERRORS } from '../../src/shared/errors/store.js';

const KEY = Buffer.alloc(32, 1);

describe('createPiiCipher', () => {
  it('round-trips text, including Chinese names', () => {
    const cipher = createPiiCipher(KEY);
    expect(cipher.decrypt(cipher.encrypt('张三丰 46010019900101123X'))).toBe('张三丰 46010019900101123X');
  });

  it('writes a versioned blob that never contains the plain text and differs on every call (random IV)', () => {
    const cipher = createPiiCipher(KEY);
    const a = cipher.encrypt('46010019900101123X');
    const b = cipher.encrypt('46010019900101123X');
    expect(a.startsWith('v1.')).toBe(true);
    expect(a).not.toBe(b);
    expect(a).not.toContain('46010019900101123X');
    expect(Buffer.from(a.split('.')[1]!, 'base64')).toHaveLength(12);
  });

  it('refuses a blob made with another key with code E2302', () => {
    const blob = createPiiCipher(Buffer.alloc(32, 2)).encrypt('secret');
    expect(() => createPiiCipher(KEY).decrypt(blob)).toThrow(
      expect.objectContaining({ code: STORE_ERRORS.piiUnreadable.code }),
    );
  });

  it('refuses an altered ciphertext and an unknown format with code E2302', () => {
    const cipher = createPiiCipher(KEY);
    const parts = cipher.encrypt('secret').split('.');
    const body = Buffer.from(parts[3]!, 'base64');
    body[0] = body[0]! ^ 1;
    const altered = [parts[0], parts[1], parts[2], body.toString('base64')].join('.');
    expect(() => cipher.decrypt(altered)).toThrow(expect.objectContaining({ code: 'E2302' }));
    expect(() => cipher.decrypt('v9.a.b.c')).toThrow(expect.objectContaining({ code: 'E2302' }));
  });

  it('refuses a key that is not 32 bytes with code E2301', () => {
    expect(() => createPiiCipher(Buffer.alloc(16))).toThrow(
      expect.objectContaining({ code: STORE_ERRORS.piiKeyMissing.code }),
    );
  });
});

describe('idDigest', () => {
  it('is a keyed HMAC-SHA256 in hex that treats a lower-case x check digit as the same card', () => {
    const d = idDigest(KEY, '46010019900101123X');
    expect(d).toMatch(/^[0-9a-f]{64}$/);
    expect(idDigest(KEY, '46010019900101123x')).toBe(d);
    expect(idDigest(Buffer.alloc(32, 2), '46010019900101123X')).not.toBe(d);
    expect(idDigest(KEY, '460100199001011234')).not.toBe(d);
  });
});
