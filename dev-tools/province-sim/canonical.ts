/**
 * The checker's own canonicalisation (province-profile.md "Hash"), written independently of the kiosk's
 * store so that a shared mistake cannot hide: the record without `hash`, `sig` and the PII fields
 * (`certKey`, `userName`, `mobile`, `handleUserName`, `handleUserPageCode`); keys sorted by Unicode code point; no white space; `seq` a JSON number, `flags` an array of strings, every
 * other value a string; absent optional fields left out.
 */
import { sm3 } from 'sm-crypto-v2';

const EXCLUDED = new Set([
  'hash',
  'sig',
  'certKey',
  'userName',
  'mobile',
  'handleUserName',
  'handleUserPageCode',
]);

/**
 * Compares by code point (not UTF-16 unit, which is what Array.prototype.sort does). The two orders differ
 * only where a surrogate (U+D800–U+DFFF, half of a code point ≥ U+10000) meets a unit ≥ U+E000: there the
 * surrogate's code point is the larger one.
 */
export function byCodePoint(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const ua = a.charCodeAt(i);
    const ub = b.charCodeAt(i);
    if (ua === ub) continue;
    const sa = ua >= 0xd800 && ua <= 0xdfff;
    const sb = ub >= 0xd800 && ub <= 0xdfff;
    if (sa && !sb && ub >= 0xe000) return 1;
    if (sb && !sa && ua >= 0xe000) return -1;
    return ua - ub;
  }
  return a.length - b.length;
}

function jsonString(text: string): string {
  // JSON.stringify of a lone string is the RFC 8259 escape, which is what the profile's "JSON text" means.
  return JSON.stringify(text);
}

function value(key: string, v: unknown): string {
  if (key === 'seq') {
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new TypeError('seq must be an integer');
    return String(v);
  }
  if (key === 'flags') {
    if (!Array.isArray(v) || !v.every((f) => typeof f === 'string'))
      throw new TypeError('flags must be strings');
    return '[' + v.map((f: string) => jsonString(f)).join(',') + ']';
  }
  if (typeof v !== 'string') throw new TypeError(`${key} must be a string`);
  return jsonString(v);
}

export function canonicalRecordText(record: Record<string, unknown>): string {
  const keys = Object.keys(record)
    .filter((k) => !EXCLUDED.has(k) && record[k] !== undefined)
    .sort(byCodePoint);
  return '{' + keys.map((k) => `${jsonString(k)}:${value(k, record[k])}`).join(',') + '}';
}

/** SM3 over UTF-8 of prevHash (64 hex) followed by the canonical text, lower-case hex. */
export function recomputeHash(record: Record<string, unknown>): string {
  const prev = record.prevHash;
  if (typeof prev !== 'string') throw new TypeError('prevHash must be a string');
  return sm3(new TextEncoder().encode(prev + canonicalRecordText(record)));
}
