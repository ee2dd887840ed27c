/**
 * SM2 public-key encryption (GB/T 32918.4) for the province envelope (province-profile.md "Envelope"):
 * ciphertext order C1C3C2, lower-case hex WITH the leading `04` of the uncompressed C1 point; decryption
 * accepts both forms. Pure JS, because Electron's BoringSSL has no SM2.
 * The curve arithmetic is @noble/curves (the engine under sm-crypto-v2) with the standard's SM2 parameters;
 * the key derivation and SM3 are src/crypto/sm3-core.ts, several times faster than the library's for a
 * batch (bench "sync": sync.sm2-encrypt-100-records). Ciphertexts interoperate with sm-crypto-v2 in both
 * directions (property tests), which the province simulator and earlier kiosk versions use.
 */
import { randomBytes } from 'node:crypto';
import { Field } from '@noble/curves/abstract/modular';
import { weierstrassN } from '@noble/curves/abstract/weierstrass';
import { sm2Kdf, sm3Digest } from '../../crypto/sm3-core.js';

/** GB/T 32918.5 recommended curve parameters. */
const P = BigInt('0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff');
const N = BigInt('0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123');
const Point = weierstrassN(
  {
    p: P,
    n: N,
    h: BigInt(1),
    a: BigInt('0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc'),
    b: BigInt('0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93'),
    Gx: BigInt('0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7'),
    Gy: BigInt('0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0'),
  },
  { Fp: Field(P), Fn: Field(N) },
);
type CurvePoint = InstanceType<typeof Point>;

const PUBLIC_KEY = /^04[0-9a-f]{128}$/;
const PRIVATE_KEY = /^[0-9a-f]{1,64}$/;
const HEX = /^[0-9a-f]*$/;

/** The province key is fixed per device: its multiplication table is computed once (8-bit windows). */
const precomputed = new Map<string, CurvePoint>();
function publicKeyPoint(publicKey: string): CurvePoint {
  const key = publicKey.toLowerCase();
  let point = precomputed.get(key);
  if (!point) {
    if (!PUBLIC_KEY.test(key)) throw new TypeError('SM2 public key must be 130 hex characters starting 04');
    point = Point.fromHex(key).precompute(8, false); // fromHex refuses a point off the curve
    if (precomputed.size > 8) precomputed.clear();
    precomputed.set(key, point);
  }
  return point;
}

const toBytes32 = (n: bigint): Uint8Array => Buffer.from(n.toString(16).padStart(64, '0'), 'hex');

/** A uniformly random scalar in [1, n − 1] (rejection sampling; n is within 2^-32 of 2^256). */
function randomScalar(): bigint {
  for (;;) {
    const k = BigInt(`0x${randomBytes(32).toString('hex')}`);
    if (k > 0n && k < N) return k;
  }
}

/** x2 ‖ y2 of a point, the KDF input and the frame of C3. */
function coordinates(point: CurvePoint): { x2: Uint8Array; y2: Uint8Array; z: Uint8Array } {
  const { x, y } = point.toAffine();
  const x2 = toBytes32(x);
  const y2 = toBytes32(y);
  return { x2, y2, z: Buffer.concat([x2, y2]) };
}

const isZero = (bytes: Uint8Array): boolean => bytes.every((b) => b === 0);

const utf8 = new TextEncoder();

/**
 * Encrypts `plaintext` (UTF-8 when a string, encoded with the platform's encoder: sm-crypto-v2's own is
 * wrong for U+40000 … U+FFFFF, see src/crypto/sm3.ts) to `04 ‖ C1(x,y) ‖ C3 ‖ C2`, lower-case hex.
 */
export function sm2Encrypt(plaintext: string | Uint8Array, publicKey: string): string {
  const message = typeof plaintext === 'string' ? utf8.encode(plaintext) : plaintext;
  const pb = publicKeyPoint(publicKey);
  for (;;) {
    const k = randomScalar();
    const c1 = Point.BASE.multiply(k).toBytes(false); // 04 ‖ x1 ‖ y1
    const { x2, y2, z } = coordinates(pb.multiply(k));
    const t = sm2Kdf(z, message.length);
    // GB/T 32918.4 §6.1 A5: an all-zero key stream means another k (probability ≈ 2^-256 per byte count).
    if (message.length > 0 && isZero(t)) continue;
    for (let i = 0; i < t.length; i++) t[i] = t[i]! ^ message[i]!;
    const c3 = sm3Digest(x2, message, y2);
    return Buffer.from(c1).toString('hex') + Buffer.from(c3).toString('hex') + Buffer.from(t).toString('hex');
  }
}

export class Sm2DecryptError extends Error {
  constructor() {
    super('SM2 decryption failed (wrong key, corrupted or not C1C3C2)');
    this.name = 'Sm2DecryptError';
  }
}

function privateScalar(privateKey: string): bigint {
  const key = privateKey.toLowerCase();
  if (!PRIVATE_KEY.test(key)) throw new TypeError('SM2 private key must be up to 64 hex characters');
  const d = BigInt(`0x${key}`);
  if (d <= 0n || d >= N - 1n) throw new TypeError('SM2 private key out of range');
  return d;
}

/** C1C3C2 body (no leading `04`) → plaintext, or null when it does not verify. */
function tryDecrypt(body: Buffer, d: bigint): Uint8Array | null {
  if (body.length < 64 + 32) return null;
  let c1: CurvePoint;
  try {
    c1 = Point.fromBytes(Buffer.concat([Buffer.of(4), body.subarray(0, 64)]));
  } catch {
    return null; // C1 not on the curve
  }
  const { x2, y2, z } = coordinates(c1.multiply(d));
  const c3 = body.subarray(64, 96);
  const message = new Uint8Array(body.subarray(96));
  const t = sm2Kdf(z, message.length);
  // GB/T 32918.4 B4 rejects an all-zero key stream, but sm-crypto-v2 (the province simulator's library, and
  // earlier kiosks') never draws another k for one (A5), so a 1-byte message meets it once in 256. C3 below
  // still authenticates the plaintext; refusing would only turn such a message away.
  for (let i = 0; i < t.length; i++) message[i] = message[i]! ^ t[i]!;
  return Buffer.from(sm3Digest(x2, message, y2)).equals(c3) ? message : null;
}

/** Decrypts C1C3C2 hex, with or without the leading `04`, to bytes; throws Sm2DecryptError. */
export function sm2DecryptBytes(cipherHex: string, privateKey: string): Uint8Array {
  const hex = cipherHex.toLowerCase();
  if (!HEX.test(hex) || hex.length % 2 !== 0 || hex.length < 128 + 64) throw new Sm2DecryptError();
  const d = privateScalar(privateKey);
  // A `04`-less ciphertext whose x coordinate starts 0x04 is possible (1/256): try both readings.
  const candidates = hex.startsWith('04') ? [hex.slice(2), hex] : [hex];
  for (const body of candidates) {
    const out = tryDecrypt(Buffer.from(body, 'hex'), d);
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
  // d in [1, n − 2] (GB/T 32918.1 §6.1), so that 1 + d is invertible for signatures made with the same key.
  let d = randomScalar();
  while (d >= N - 1n) d = randomScalar();
  return {
    publicKey: Buffer.from(Point.BASE.multiply(d).toBytes(false)).toString('hex'),
    privateKey: d.toString(16).padStart(64, '0'),
  };
}
