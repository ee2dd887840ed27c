import { describe, expect, it } from 'vitest';
import {
  SAM_CMD,
  createSamParser,
  decodeReply,
  encodeReply,
  encodeRequest,
  formatSamId,
  takeTextBlock,
  type SamCommand,
} from '../../drivers/idcard/sam-codec.js';
import { encodeReadTextData } from '../../drivers/sim/text-block-encode.js';
import { MAINLAND } from '../../drivers/sim/identities.js';
import { FakeClock } from './support/fake-clock.js';

const hex = (b: Uint8Array) =>
  Buffer.from(b)
    .toString('hex')
    .toUpperCase()
    .replace(/(..)(?=.)/g, '$1 ');

describe('SAM codec', () => {
  // id-reader-sam.md "Commands (complete request frames)", byte-exact.
  const golden: Array<[SamCommand, string]> = [
    ['resetSam', 'AA AA AA 96 69 00 03 10 FF EC'],
    ['samStatus', 'AA AA AA 96 69 00 03 11 FF ED'],
    ['readSamId', 'AA AA AA 96 69 00 03 12 FF EE'],
    ['findCard', 'AA AA AA 96 69 00 03 20 01 22'],
    ['selectCard', 'AA AA AA 96 69 00 03 20 02 21'],
    ['readText', 'AA AA AA 96 69 00 03 30 01 32'],
    ['readTextFingerprint', 'AA AA AA 96 69 00 03 30 10 23'],
    ['readAppendedAddress', 'AA AA AA 96 69 00 03 30 03 30'],
  ];
  it.each(golden)('encodes the %s request exactly as the spec table', (command, expected) => {
    expect(hex(encodeRequest(command))).toBe(expected);
  });

  it('covers every command of the spec table', () => {
    expect(Object.keys(SAM_CMD).sort()).toEqual(golden.map(([c]) => c).sort());
  });

  it('encodes the example "find OK" reply byte-exact and decodes it', () => {
    const frame = encodeReply(0x9f, new Uint8Array(4));
    expect(hex(frame)).toBe('AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97');
    expect(decodeReply(frame)).toEqual({ sw1: 0, sw2: 0, sw3: 0x9f, data: new Uint8Array(4) });
  });

  it('encodes the example "select OK" reply byte-exact', () => {
    expect(hex(encodeReply(0x90, new Uint8Array(8)))).toBe(
      `AA AA AA 96 69 00 0C 00 00 90 ${'00 '.repeat(8)}9C`,
    );
  });

  it('frames the read-text reply as LEN 05 08, 1295 bytes, text at 14, photo at 270, CHK at 1294', () => {
    const frame = encodeReply(0x90, encodeReadTextData(MAINLAND));
    expect(frame.length).toBe(1295);
    expect([frame[5], frame[6]]).toEqual([0x05, 0x08]);
    expect(frame[14]).toBe(0x4b); // '测' = U+6D4B, little-endian
    const reply = decodeReply(frame)!;
    const text = takeTextBlock(reply)!;
    expect(text.length).toBe(256);
    expect(reply.data.subarray(260).every((b) => b === 0)).toBe(true); // the photo is wiped at the codec
  });

  it('parses a frame split at every byte and resyncs on the preamble after garbage', () => {
    const frames: Uint8Array[] = [];
    const parser = createSamParser({ onFrame: (f) => frames.push(f), clock: new FakeClock() });
    const frame = encodeReply(0x90, new Uint8Array(8));
    for (const b of [0xaa, 0xaa, 0x01, 0xaa, ...frame]) parser.push(Uint8Array.of(b));
    expect(frames.map((f) => hex(f))).toEqual([hex(frame)]);
    expect(parser.counters.discardedBytes).toBe(4);
  });

  it('drops a frame with a wrong XOR checksum and caps LEN at 4 KiB', () => {
    const parser = createSamParser({ onFrame: () => undefined, clock: new FakeClock() });
    const bad = encodeRequest('findCard');
    bad[9]! ^= 1;
    parser.push(bad);
    parser.push(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x10, 0x01));
    expect(parser.counters).toMatchObject({ checkErrors: 1, lengthRejects: 1, framesOut: 0 });
  });

  it('prints the SAM id as d0.d2-u32le-u32le(9)-u32le(9)', () => {
    const id = Uint8Array.from([5, 0, 1, 0, 0x40, 0x42, 0x0f, 0, 7, 0, 0, 0, 0x15, 0xcd, 0x5b, 0x07]);
    expect(formatSamId(id)).toBe('05.01-1000000-000000007-123456789');
  });
});
