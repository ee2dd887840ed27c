/**
 * The rating hash chain (domain-rules §6, province-profile.md "Hash"). Pure: no I/O, so the province
 * test server and the store verify with the same code.
 */
import { sm3Hex } from '../crypto/sm3.js';
import { GENESIS_PREV_HASH, type ProvinceRecord } from '../shared/province-record.js';

/** Left out of the canonical text: the hash itself, and PII so it can be erased after delivery. */
const EXCLUDED = new Set(['hash', 'certKey', 'userName']);

/** What canonicalRecord reads: a record with or without its `hash` (and with or without PII). */
export type ChainRecord = Omit<ProvinceRecord, 'hash'> & { hash?: string };

const SURROGATE = /[\uD800-\uDFFF]/;

/** Code-point order (not localeCompare, not UTF-16 order): "keys sorted by code point". */
function byCodePoint(a: string, b: string): number {
  // Without surrogates, UTF-16 unit order is code-point order (the hot path: record keys are ASCII).
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const ca = Array.from(a);
  const cb = Array.from(b);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++) {
    const d = (ca[i] as string).codePointAt(0)! - (cb[i] as string).codePointAt(0)!;
    if (d !== 0) return d;
  }
  return ca.length - cb.length;
}

/**
 * The canonical JSON text: keys sorted by code point, no white space, `seq` a number, `flags` an array of
 * strings, every other value a string; absent (undefined) optional fields are left out. Throws TypeError
 * on a value of another type, so a malformed record can never be hashed into the chain.
 */
export function canonicalRecord(record: ChainRecord): string {
  const source = record as unknown as Record<string, unknown>;
  const keys = Object.keys(source).filter((k) => !EXCLUDED.has(k) && source[k] !== undefined);
  for (const key of keys) {
    const value = source[key];
    if (key === 'seq') {
      if (typeof value !== 'number' || !Number.isSafeInteger(value))
        throw new TypeError('seq must be an integer');
    } else if (key === 'flags') {
      if (!Array.isArray(value) || value.some((f) => typeof f !== 'string')) {
        throw new TypeError('flags must be an array of strings');
      }
    } else if (typeof value !== 'string') {
      throw new TypeError(`${key} must be a string`);
    }
  }
  // With a key list as replacer, JSON.stringify writes exactly those keys in that order, in one native call.
  return JSON.stringify(source, sortedKeys(keys));
}

/**
 * The keys in code-point order, memoised by the unsorted list: records of one kind share one shape, so on the
 * press path this is one lookup (issue 2 commit benchmark). Bounded, since a shape is a set of field names.
 */
const SORTED = new Map<string, string[]>();
function sortedKeys(keys: string[]): string[] {
  const shape = keys.join('\u0000');
  let sorted = SORTED.get(shape);
  if (!sorted) {
    // Record keys are ASCII, where the default sort (UTF-16 units) is code-point order; the comparator only
    // runs for a key with a surrogate.
    sorted = keys.some((k) => SURROGATE.test(k)) ? [...keys].sort(byCodePoint) : [...keys].sort();
    if (SORTED.size >= 256) SORTED.clear();
    SORTED.set(shape, sorted);
  }
  return sorted;
}

/** hash = SM3(UTF-8(prevHash + canonical)), lower-case hex. */
export function recordHash(prevHash: string, record: ChainRecord): string {
  return sm3Hex(prevHash + canonicalRecord(record));
}

/**
 * Incremental verifier, so the store can check a long chain row by row without holding it in memory.
 * `push` returns false at the first record that breaks the chain; `brokenAt` is then the seq that was
 * expected at that position (a deleted record reports its own seq, an edited or inserted one its seq).
 */
export interface ChainVerifier {
  push(record: ChainRecord & { hash: string }): boolean;
  readonly brokenAt: number | null;
  readonly lastSeq: number;
  readonly lastHash: string;
}

export function createChainVerifier(start = { seq: 0, hash: GENESIS_PREV_HASH }): ChainVerifier {
  let lastSeq = start.seq;
  let lastHash = start.hash;
  let brokenAt: number | null = null;
  return {
    push(record) {
      if (brokenAt !== null) return false;
      const expected = lastSeq + 1;
      let ok = record.seq === expected && record.prevHash === lastHash;
      if (ok) {
        try {
          ok = recordHash(record.prevHash, record) === record.hash;
        } catch {
          ok = false;
        }
      }
      if (!ok) {
        brokenAt = expected;
        return false;
      }
      lastSeq = record.seq;
      lastHash = record.hash;
      return true;
    },
    get brokenAt() {
      return brokenAt;
    },
    get lastSeq() {
      return lastSeq;
    },
    get lastHash() {
      return lastHash;
    },
  };
}

/** First broken seq of a whole chain (seq from 1, genesis prevHash 64 zeros), or null when it verifies. */
export function verifyChainRecords(records: Iterable<ChainRecord & { hash: string }>): number | null {
  const verifier = createChainVerifier();
  for (const record of records) {
    if (!verifier.push(record)) break;
  }
  return verifier.brokenAt;
}
