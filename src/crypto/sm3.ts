/**
 * SM3 (GB/T 32905-2016). Node's OpenSSL 3 has it natively; Electron's BoringSSL does not
 * (province-profile.md "Envelope"), so there the pure-JS `sm-crypto-v2` runs instead. Both give the same
 * digest (a property test checks it), so a chain written by one runtime verifies in the other.
 */
import crypto from 'node:crypto';
import { sm3 } from 'sm-crypto-v2';

const NATIVE = crypto.getHashes().includes('sm3');

const utf8 = new TextEncoder();

/**
 * SM3 with the pure-JS implementation, whatever the runtime (tests compare it with the native one).
 * Strings are encoded here: sm-crypto-v2's own UTF-8 encoder is wrong for U+40000 … U+FFFFF (found by the
 * property test), a range that includes the private-use plane some ID systems use for rare 生僻字.
 */
export function sm3HexPureJs(data: string | Uint8Array): string {
  return sm3(typeof data === 'string' ? utf8.encode(data) : data).toLowerCase();
}

/** SM3 digest as 64 lower-case hex characters. A string is hashed as its UTF-8 bytes. */
// crypto.hash (Node ≥ 20.12) is the one-shot form: no Hash object per call (the chain hash is on the press path).
const oneShot = (
  crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }
).hash;

export const sm3Hex: (data: string | Uint8Array) => string = !NATIVE
  ? sm3HexPureJs
  : oneShot
    ? (data) => oneShot('sm3', data, 'hex')
    : (data) => crypto.createHash('sm3').update(data).digest('hex');

export const SM3_IMPLEMENTATION = NATIVE ? 'openssl' : 'sm-crypto-v2';
