/**
 * Shared property for both parsers: random garbage interleaved with valid frames, cut into chunks at random
 * points, must yield every valid frame once, in order, and nothing else, with a bounded buffer.
 * Garbage cannot contain a valid frame by construction: its bytes never include the first sync byte except
 * in headers that are rejected outright (bad LEN), frames that are complete inside the garbage with a wrong
 * check, or truncated frames followed by silence (> 50 ms), which the parser must drop.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { FrameScanner, FramingRules, ScannerOptions } from '../../../drivers/frame-scanner.js';
import { FakeClock } from './fake-clock.js';

export type Item =
  { kind: 'frame'; bytes: Uint8Array } | { kind: 'garbage'; bytes: Uint8Array } | { kind: 'silence' };

export interface StreamModel {
  makeParser(options: Omit<ScannerOptions, 'silenceMs'>): FrameScanner;
  validFrame: fc.Arbitrary<Uint8Array>;
  /** Garbage segments (noise, rejected headers, bad-check frames) that never form a valid frame. */
  garbage: fc.Arbitrary<Uint8Array>;
  /** A strict prefix of a frame: always followed by silence. */
  truncated: fc.Arbitrary<Uint8Array>;
  /**
   * A lone header whose LEN swallows what follows (usually real frames): the parser must fail its check
   * and drop ONE byte, not the claimed frame. By chance (1/65536 CRC, 1/256 XOR) the swallowed bytes can
   * make a valid frame: such runs are accounted for by `fc.pre` (see `accidentalFrame`).
   */
  overlapping: fc.Arbitrary<Uint8Array>;
  rules: FramingRules;
  maxFrameBytes: number;
}

/** True when some sync position other than a real frame start would pass the check (a frame made by chance). */
function accidentalFrame(rules: FramingRules, stream: Uint8Array, starts: Set<number>): boolean {
  const { sync } = rules;
  for (let p = 0; p + rules.headerBytes <= stream.length; p += 1) {
    if (starts.has(p) || sync.some((b, k) => stream[p + k] !== b)) continue;
    const len = rules.frameLength(stream, p);
    if (len >= 0 && p + len <= stream.length && rules.check(stream, p, len)) return true;
  }
  return false;
}

export function streamArbitrary(
  model: StreamModel,
): fc.Arbitrary<{ items: Item[]; cuts: number[]; gaps: number[] }> {
  const item: fc.Arbitrary<Item[]> = fc.oneof(
    { weight: 4, arbitrary: model.validFrame.map((bytes) => [{ kind: 'frame' as const, bytes }]) },
    { weight: 3, arbitrary: model.garbage.map((bytes) => [{ kind: 'garbage' as const, bytes }]) },
    { weight: 1, arbitrary: model.overlapping.map((bytes) => [{ kind: 'garbage' as const, bytes }]) },
    {
      weight: 1,
      arbitrary: model.truncated.map((bytes) => [
        { kind: 'garbage' as const, bytes },
        { kind: 'silence' as const },
      ]),
    },
  );
  return fc.record({
    items: fc.array(item, { maxLength: 12 }).map((xs) => xs.flat()),
    cuts: fc.array(fc.integer({ min: 0, max: 2000 }), { maxLength: 40 }),
    gaps: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 8 }),
  });
}

export function checkStream(
  model: StreamModel,
  run: { items: Item[]; cuts: number[]; gaps: number[] },
): void {
  const starts = new Set<number>();
  let at = 0;
  for (const it of run.items) {
    if (it.kind === 'frame') starts.add(at);
    if (it.kind !== 'silence') at += it.bytes.length;
  }
  const whole = Buffer.concat(run.items.flatMap((i) => (i.kind === 'silence' ? [] : [i.bytes])));
  fc.pre(!accidentalFrame(model.rules, whole, starts));
  const clock = new FakeClock();
  const out: Uint8Array[] = [];
  const parser = model.makeParser({ onFrame: (f) => out.push(f), clock });
  // Segments between silences are each cut into chunks at random points, with < 50 ms between chunks.
  const segments: Uint8Array[][] = [[]];
  for (const it of run.items) {
    if (it.kind === 'silence') segments.push([]);
    else segments.at(-1)!.push(it.bytes);
  }
  let total = 0;
  let gap = 0;
  for (const parts of segments) {
    const bytes = Buffer.concat(parts);
    total += bytes.length;
    const cuts = [...new Set(run.cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      if (cut <= from) continue;
      parser.push(bytes.subarray(from, cut));
      expect(parser.buffered).toBeLessThan(model.maxFrameBytes);
      clock.advance(run.gaps[gap++ % run.gaps.length]!);
      from = cut;
    }
    clock.advance(60); // silence: a partial frame must be dropped
    expect(parser.buffered).toBe(0);
  }
  const expected = run.items
    .filter((i) => i.kind === 'frame')
    .map((i) => Buffer.from(i.bytes).toString('hex'));
  expect(out.map((f) => Buffer.from(f).toString('hex'))).toEqual(expected);
  const delivered = out.reduce((n, f) => n + f.length, 0);
  expect(parser.counters.discardedBytes + delivered).toBe(total);
  parser.dispose();
}
