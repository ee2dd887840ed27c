import fc from 'fast-check';
import { describe, it } from 'vitest';
import { SAM_MAX_LEN, createSamParser, encodeSamFrame, samRules } from '../../drivers/idcard/sam-codec.js';
import { checkStream, streamArbitrary, type StreamModel } from './support/stream-property.js';

const SYNC0 = 0xaa;
const noAA = (b: number) => (b === SYNC0 ? 0x00 : b);
const PREAMBLE = [0xaa, 0xaa, 0xaa, 0x96, 0x69];

/** Any valid frame (body bytes may contain AA), sometimes the 1295-byte read-text size. */
const validFrame = fc
  .oneof(
    { weight: 20, arbitrary: fc.uint8Array({ minLength: 2, maxLength: 40 }) },
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1287, maxLength: 1287 }) },
  )
  .map((body) => encodeSamFrame(body));

const cleanFrame = fc
  .uint8Array({ minLength: 2, maxLength: 40 })
  .map((body) => encodeSamFrame(body.map(noAA)))
  .filter((f) => !f.subarray(5).includes(SYNC0));

const noise = fc.uint8Array({ minLength: 1, maxLength: 30 }).map((b) => b.map(noAA));
/** Preamble + LEN over the 4 KiB cap or under 3: rejected at once. */
const badLen = fc
  .oneof(fc.integer({ min: SAM_MAX_LEN + 1, max: 0xffff }), fc.integer({ min: 0, max: 2 }))
  .filter((len) => len >> 8 !== SYNC0 && (len & 0xff) !== SYNC0)
  .map((len) => Uint8Array.of(...PREAMBLE, len >> 8, len & 0xff));
const badChk = cleanFrame
  .chain((f) => fc.integer({ min: 1, max: 255 }).map((mask) => ({ f, mask })))
  .map(({ f, mask }) => {
    const g = Uint8Array.from(f);
    g[g.length - 1]! ^= mask;
    return g;
  })
  .filter((g) => !g.subarray(5).includes(SYNC0));
const truncated = cleanFrame.chain((f) =>
  fc.integer({ min: 1, max: f.length - 1 }).map((n) => f.slice(0, n)),
);

/** Preamble + LEN 3…80 with nothing after it: it swallows the next frames. */
const overlapping = fc.integer({ min: 3, max: 80 }).map((len) => Uint8Array.of(...PREAMBLE, 0, len));

const model: StreamModel = {
  makeParser: (o) => createSamParser(o),
  overlapping,
  rules: samRules,
  validFrame,
  garbage: fc.oneof(noise, badLen, badChk),
  truncated,
  maxFrameBytes: 7 + SAM_MAX_LEN,
};

describe('SAM parser over random streams', () => {
  it('recovers every valid frame once, in order, from garbage and random chunking, with a bounded buffer', () => {
    fc.assert(
      fc.property(streamArbitrary(model), (run) => checkStream(model, run)),
      { numRuns: 10_000 },
    );
  });
});
