/**
 * SM2 public-key encryption (GM/T 0003) for the province envelope (province-profile.md "Envelope"):
 * ciphertext order C1C3C2, lower-case hex WITH the leading `04` of the uncompressed C1 point.
 * sm-crypto-v2 is pure JS (Electron's BoringSSL has no SM2); its `doEncrypt(msg, key, 1)` omits the
 * `04`, so it is prepended here; decryption accepts both forms.
 */
import { sm2 } from 'sm-crypto-v2';

const C1C3C2 = 1;
const PUBLIC_KEY = /^04[0-9a-fA-F]{128}$/;

type PrecomputedKey = ReturnType<typeof sm2.precomputePublicKey>;
const precomputed = new Map<string, PrecomputedKey>();

/** The province key is fixed per device: precompute its multiplication table once (≈ 2× faster). */
function publicKeyPoint(publicKey: string): PrecomputedKey {
  const key = publicKey.toLowerCase();
  let point = precomputed.get(key);
  if (!point) {
    if (!PUBLIC_KEY.test(key)) throw new TypeError('SM2 public key must be 130 hex characters starting 04');
    point = sm2.precomputePublicKey(key);
    if (precomputed.size > 8) precomputed.clear();
    precomputed.set(key, point);
  }
  return point;
}

const utf8 = new TextEncoder();

/**
 * Encrypts `plaintext` (UTF-8 when a string) to `04 ‖ C1(x,y) ‖ C3 ‖ C2`, lower-case hex. Strings are encoded
 * here with the platform's UTF-8 encoder, the same one the SM3 chain uses (sm-crypto-v2's SM3 string path is
 * wrong for U+40000 … U+FFFFF, see src/crypto/sm3.ts), so no text reaches the library's own encoders.
 */
export function sm2Encrypt(plaintext: string | Uint8Array, publicKey: string): string {
  const bytes = typeof plaintext === 'string' ? utf8.encode(plaintext) : plaintext;
  return '04' + sm2.doEncrypt(bytes, publicKeyPoint(publicKey), C1C3C2).toLowerCase();
}

export class Sm2DecryptError extends Error {
  constructor() {
    super('SM2 decryption failed (wrong key, corrupted or not C1C3C2)');
    this.name = 'Sm2DecryptError';
  }
}

function tryDecrypt(body: string, privateKey: string): Uint8Array | null {
  try {
    const out: unknown = sm2.doDecrypt(body, privateKey, C1C3C2, { output: 'array' });
    // sm-crypto-v2 answers a plain [] (not a Uint8Array) when C3 does not verify.
    return out instanceof Uint8Array ? out : null;
  } catch {
    return null; // C1 not on the curve
  }
}

/** Decrypts C1C3C2 hex, with or without the leading `04`, to bytes; throws Sm2DecryptError. */
export function sm2DecryptBytes(cipherHex: string, privateKey: string): Uint8Array {
  const hex = cipherHex.toLowerCase();
  if (!/^[0-9a-f]*$/.test(hex) || hex.length % 2 !== 0 || hex.length < 128 + 64) throw new Sm2DecryptError();
  // A `04`-less ciphertext whose x coordinate starts 0x04 is possible (1/256): try both readings.
  const candidates = hex.startsWith('04') ? [hex.slice(2), hex] : [hex];
  for (const body of candidates) {
    const out = tryDecrypt(body, privateKey);
    if (out) return out;
  }
  throw new Sm2DecryptError();
}

/** Decrypts to a UTF-8 string; throws Sm2DecryptError. */
export function sm2Decrypt(cipherHex: string, privateKey: string): string {
  const bytes = sm2DecryptBytes(cipherHex, privateKey);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Sm2DecryptError();
  }
}

/** A fresh key pair (tests, the province simulator). `publicKey` is 130 hex characters starting `04`. */
export function generateSm2KeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = sm2.generateKeyPairHex();
  return { publicKey: publicKey.toLowerCase(), privateKey: privateKey.toLowerCase() };
}
