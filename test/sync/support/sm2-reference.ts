/**
 * A deliberately naive, independent SM2 encryption (GM/T 0003.4 §6) in plain BigInt affine arithmetic,
 * used only to check interop of src/sync/province/sm2.ts with the profile's C1C3C2 layout
 * (`04 ‖ x1 ‖ y1 ‖ C3 ‖ C2`). Slow, not constant-time: tests only.
 */
import { sm3 } from 'sm-crypto-v2';

const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n; // checked by onCurve() in the test

type Point = { x: bigint; y: bigint } | null;

const mod = (v: bigint) => ((v % P) + P) % P;

function inv(v: bigint): bigint {
  let [a, b, x0, x1] = [mod(v), P, 1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b] = [b, a - q * b];
    [x0, x1] = [x1, x0 - q * x1];
  }
  return mod(x0);
}

function add(p: Point, q: Point): Point {
  if (!p) return q;
  if (!q) return p;
  if (p.x === q.x && mod(p.y + q.y) === 0n) return null;
  const l = p.x === q.x ? mod((3n * p.x * p.x + A) * inv(2n * p.y)) : mod((q.y - p.y) * inv(q.x - p.x));
  const x = mod(l * l - p.x - q.x);
  return { x, y: mod(l * (p.x - x) - p.y) };
}

export function multiply(k: bigint, point: Point): Point {
  let result: Point = null;
  let addend = point;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

export function onCurve(p: { x: bigint; y: bigint }): boolean {
  return mod(p.y * p.y) === mod(p.x * p.x * p.x + A * p.x + B);
}

export const G = { x: GX, y: GY };

const hex32 = (v: bigint) => v.toString(16).padStart(64, '0');
const bytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function kdf(z: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let ct = 1, off = 0; off < length; ct++, off += 32) {
    const block = new Uint8Array(z.length + 4);
    block.set(z);
    new DataView(block.buffer).setUint32(z.length, ct);
    out.set(bytes(sm3(block)).subarray(0, Math.min(32, length - off)), off);
  }
  return out;
}

export function publicKeyOf(d: bigint): string {
  const q = multiply(d, G)!;
  return '04' + hex32(q.x) + hex32(q.y);
}

/** C1C3C2 with the leading 04, lower-case hex, for a chosen ephemeral k. */
export function referenceEncrypt(message: Uint8Array, publicKeyHex: string, k: bigint): string {
  const pb = { x: BigInt('0x' + publicKeyHex.slice(2, 66)), y: BigInt('0x' + publicKeyHex.slice(66)) };
  const c1 = multiply(k, G)!;
  const s = multiply(k, pb)!;
  const x2 = bytes(hex32(s.x));
  const y2 = bytes(hex32(s.y));
  const t = kdf(new Uint8Array([...x2, ...y2]), message.length);
  const c2 = message.map((m, i) => m ^ t[i]!);
  const c3 = sm3(new Uint8Array([...x2, ...message, ...y2]));
  return '04' + hex32(c1.x) + hex32(c1.y) + c3 + toHex(c2);
}

/** Decrypts `04 ‖ C1 ‖ C3 ‖ C2`; null when C3 does not verify. */
export function referenceDecrypt(cipherHex: string, d: bigint): Uint8Array | null {
  if (!cipherHex.startsWith('04')) return null;
  const c1 = { x: BigInt('0x' + cipherHex.slice(2, 66)), y: BigInt('0x' + cipherHex.slice(66, 130)) };
  const c3 = cipherHex.slice(130, 194);
  const c2 = bytes(cipherHex.slice(194));
  const s = multiply(d, c1)!;
  const x2 = bytes(hex32(s.x));
  const y2 = bytes(hex32(s.y));
  const t = kdf(new Uint8Array([...x2, ...y2]), c2.length);
  const m = c2.map((c, i) => c ^ t[i]!);
  return sm3(new Uint8Array([...x2, ...m, ...y2])) === c3 ? m : null;
}
