/**
 * The high-water seq kept beside the database in `<db>.hw` (domain-rules §6: rolling the file back to an
 * older copy must be detected, and a copy of the database carries its own meta table with it).
 * Fixed-width text rewritten in place at offset 0 (no truncate, no rename), so a crash leaves either the
 * old or the new value. Raised by the store's idle maintenance (every few seconds) and at close, not per
 * commit, and fsynced only at close: after a crash or power cut it may lag the last few seconds of ratings,
 * which can only miss a rollback to a copy that recent, never report a false one.
 *
 * Sealed (issue 18 item 2): with a `key` (derived from the device's sealed key, core-factory.ts) the mark is
 * `hcp-hw2 <seq> <HMAC-SHA256>`, so whoever can write the data directory but cannot open the sealed key
 * cannot lower it to match a rolled-back copy; an unsealed `hcp-hw1` mark or a bad MAC is reported as such
 * (`state`), never trusted as a lower value. What remains possible is putting back an older sealed mark
 * together with the matching older database (both are the device's own files): SECURITY.md row 8b.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';

const V1 = 'hcp-hw1 ';
const V2 = 'hcp-hw2 ';
const WIDTH = 16;
const MAC_HEX = 64;
const V1_LENGTH = V1.length + WIDTH + 1;
const V2_LENGTH = V2.length + WIDTH + 1 + MAC_HEX + 1;

/**
 * What the side file held at open: `sealed` (a valid sealed mark), `unsealed` (an old hcp-hw1 mark: the
 * first open after the upgrade, or a forgery), `invalid` (unreadable, or a MAC that does not verify), or
 * `missing` (new or empty file).
 */
export type HighWaterState = 'sealed' | 'unsealed' | 'invalid' | 'missing';

export interface HighWater {
  /** The recorded seq when it can be trusted (sealed, or any readable mark without a key), else null. */
  readonly value: number | null;
  readonly state: HighWaterState;
  /** Raises the recorded seq; never lowers it. With a key, always writes the sealed form. */
  raise(seq: number): void;
  /** Writes the mark for `seq` even when lower (after a reported break, the current database is the truth). */
  reseal(seq: number): void;
  close(): void;
}

export function openHighWater(path: string, key?: Buffer): HighWater {
  const fd = openSync(path, openFlag(path), 0o600);
  const read = parse(fd, key);
  let value = read.value;
  let written: number | null = read.state === 'sealed' || key === undefined ? read.value : null;
  const write = (seq: number): void => {
    const digits = String(seq).padStart(WIDTH, '0');
    const text = key ? `${V2}${digits} ${mac(key, digits)}\n` : `${V1}${digits}\n`;
    writeSync(fd, text, 0, 'latin1');
    value = seq;
    written = seq;
  };
  return {
    get value() {
      return value;
    },
    state: read.state,
    raise(seq) {
      if (written !== null && seq <= written) return;
      write(Math.max(seq, value ?? 0));
    },
    reseal(seq) {
      write(seq);
    },
    close() {
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}

function mac(key: Buffer, digits: string): string {
  return createHmac('sha256', key).update(`hcp-kiosk high-water ${digits}`, 'latin1').digest('hex');
}

function openFlag(path: string): string {
  try {
    closeSync(openSync(path, 'r'));
    return 'r+';
  } catch {
    return 'w+';
  }
}

function parse(fd: number, key: Buffer | undefined): { value: number | null; state: HighWaterState } {
  const buf = Buffer.alloc(V2_LENGTH);
  const n = readSync(fd, buf, 0, V2_LENGTH, 0);
  if (n === 0) return { value: null, state: 'missing' };
  const text = buf.subarray(0, n).toString('latin1');
  const digits = text.slice(V2.length, V2.length + WIDTH);
  if (!/^\d{16}$/.test(digits)) return { value: null, state: 'invalid' };
  if (text.startsWith(V1) && n >= V1_LENGTH) {
    // Without a key (store tests, tools) the old form is the only form; with one it proves nothing.
    return key ? { value: null, state: 'unsealed' } : { value: Number(digits), state: 'sealed' };
  }
  if (!text.startsWith(V2) || n !== V2_LENGTH) return { value: null, state: 'invalid' };
  if (!key) return { value: Number(digits), state: 'sealed' };
  const given = Buffer.from(text.slice(V2.length + WIDTH + 1, V2.length + WIDTH + 1 + MAC_HEX), 'latin1');
  const expected = Buffer.from(mac(key, digits), 'latin1');
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? { value: Number(digits), state: 'sealed' }
    : { value: null, state: 'invalid' };
}
