/**
 * The high-water seq kept beside the database in `<db>.hw` (domain-rules §6: rolling the file back to an
 * older copy must be detected, and a copy of the database carries its own meta table with it).
 * Fixed-width text rewritten in place at offset 0 (no truncate, no rename), so a crash leaves either the
 * old or the new value. Raised by the store's idle maintenance (every few seconds) and at close, not per
 * commit, and fsynced only at close: after a crash or power cut it may lag the last few seconds of ratings,
 * which can only miss a rollback to a copy that recent, never report a false one.
 */
import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';

const PREFIX = 'hcp-hw1 ';
const WIDTH = 16;
const LENGTH = PREFIX.length + WIDTH + 1;

export interface HighWater {
  /** The recorded seq, or null when the file is new or unreadable (then nothing can be compared). */
  readonly value: number | null;
  /** Raises the recorded seq; never lowers it. */
  raise(seq: number): void;
  close(): void;
}

export function openHighWater(path: string): HighWater {
  const fd = openSync(path, openFlag(path), 0o600);
  let value = parse(fd);
  return {
    get value() {
      return value;
    },
    raise(seq) {
      if (value !== null && seq <= value) return;
      writeSync(fd, `${PREFIX}${String(seq).padStart(WIDTH, '0')}\n`, 0, 'latin1');
      value = seq;
    },
    close() {
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}

function openFlag(path: string): string {
  try {
    closeSync(openSync(path, 'r'));
    return 'r+';
  } catch {
    return 'w+';
  }
}

function parse(fd: number): number | null {
  const buf = Buffer.alloc(LENGTH);
  const n = readSync(fd, buf, 0, LENGTH, 0);
  const text = buf.subarray(0, n).toString('latin1');
  if (n !== LENGTH || !text.startsWith(PREFIX)) return null;
  const digits = text.slice(PREFIX.length, PREFIX.length + WIDTH);
  return /^\d+$/.test(digits) ? Number(digits) : null;
}
