/**
 * SM3 (GB/T 32905-2016) through `sm-crypto-v2`, a pure-JS implementation: Electron's BoringSSL has no
 * SM3 (province-profile.md "Envelope"), so the same code hashes the chain in Node and in Electron.
 */
import { sm3 } from 'sm-crypto-v2';

/** SM3 digest as 64 lower-case hex characters. A string is hashed as its UTF-8 bytes. */
export function sm3Hex(data: string | Uint8Array): string {
  return sm3(data).toLowerCase();
}
