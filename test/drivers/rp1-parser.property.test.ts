import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  createRp1Parser,
  encodeFrame,
  rp1Rules,
  RP1_OVERHEAD,
  RP1_MAX_PAYLOAD,
} from '../../drivers/pad/rp1-codec.js';
import { checkStream, streamArbitrary, type StreamModel } from './support/stream-property.js';

const SYNC0 = 0xa5;
const noA5 = (b: number) => (b === SYNC0 ? 0x00 : b);
const byte = fc.integer({ min: 0, max: 255 });
const safeByte = byte.map(noA5);

const frameOf = (bytes: fc.Arbitrary<Uint8Array>) =>
  fc.record({ flags: byte, seq: byte, type: byte, payload: bytes }).map((f) => encodeFrame(f));

/** Any valid frame: payload bytes may contain A5 5A (a frame at the head is taken whole). */
const validFrame = frameOf(
  fc.oneof(
    { weight: 20, arbitrary: fc.uint8Array({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 400, maxLength: RP1_MAX_PAYLOAD }) },
  ),
);

/** A frame whose bytes after SYNC contain no A5, so a rescan inside it finds nothing. */
const cleanFrame = fc
  .record({ flags: safeByte, seq: safeByte, type: safeByte, payload: fc.uint8Array({ maxLength: 40 }) })
  .map((f) => encodeFrame({ ...f, payload: f.payload.map(noA5) }))
  .filter((f) => !f.subarray(2).includes(SYNC0));

const noise = fc.uint8Array({ minLength: 1, maxLength: 30 }).map((b) => b.map(noA5));
/** SYNC + header with LEN > 512: rejected at once. */
const badLen = fc
  .record({ head: fc.uint8Array({ minLength: 5, maxLength: 5 }), hi: fc.integer({ min: 3, max: 255 }) })
  .map(({ head, hi }) => Uint8Array.of(0xa5, 0x5a, ...head.map(noA5), noA5(hi) || 3));
/** A complete frame with a wrong CRC (no A5 after its SYNC). */
const badCrc = cleanFrame
  .chain((f) => fc.integer({ min: 1, max: 0xfffe }).map((mask) => ({ f, mask })))
  .map(({ f, mask }) => {
    const g = Uint8Array.from(f);
    g[g.length - 2]! ^= mask & 0xff;
    g[g.length - 1]! ^= mask >> 8;
    return g;
  })
  .filter((g) => !g.subarray(2).includes(SYNC0));
const truncated = cleanFrame.chain((f) =>
  fc.integer({ min: 1, max: f.length - 1 }).map((n) => f.slice(0, n)),
);

/** SYNC + header claiming 0…80 payload bytes, with no payload of its own. */
const overlapping = fc
  .record({ head: fc.uint8Array({ minLength: 4, maxLength: 4 }), len: fc.integer({ min: 0, max: 80 }) })
  .map(({ head, len }) => Uint8Array.of(0xa5, 0x5a, ...head.map(noA5), len, 0));

const model: StreamModel = {
  makeParser: (o) => createRp1Parser(o),
  overlapping,
  rules: rp1Rules,
  validFrame,
  garbage: fc.oneof(noise, badLen, badCrc),
  truncated,
  maxFrameBytes: RP1_OVERHEAD + RP1_MAX_PAYLOAD,
};

describe('RP/1 parser over random streams', () => {
  it('recovers every valid frame once, in order, from garbage and random chunking, with a bounded buffer', () => {
    fc.assert(
      fc.property(streamArbitrary(model), (run) => checkStream(model, run)),
      { numRuns: 10_000 },
    );
  });
});
