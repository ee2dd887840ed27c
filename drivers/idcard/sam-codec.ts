/**
 * SAM frame codec (id-reader-sam.md "Frame"): preamble AA AA AA 96 69, LEN (2 bytes, big-endian) counting
 * every byte after itself CHK included, XOR checksum over the bytes after the preamble (LEN included).
 * Pure, no I/O, transport-agnostic: bytes in, frames out.
 */
import { FrameScanner, type FramingRules, type ScannerOptions } from '../frame-scanner.js';

export const SAM_PREAMBLE = [0xaa, 0xaa, 0xaa, 0x96, 0x69] as const;
/** "cap LEN (4 KiB)". */
export const SAM_MAX_LEN = 4096;
/** Smallest LEN: a request (CMD PARA CHK). */
export const SAM_MIN_LEN = 3;
export const SAM_SILENCE_MS = 50;

/** Every command of the spec's table, as [CMD, PARA]. */
export const SAM_CMD = {
  resetSam: [0x10, 0xff],
  samStatus: [0x11, 0xff],
  readSamId: [0x12, 0xff],
  findCard: [0x20, 0x01],
  selectCard: [0x20, 0x02],
  readText: [0x30, 0x01],
  readTextFingerprint: [0x30, 0x10],
  readAppendedAddress: [0x30, 0x03],
} as const satisfies Record<string, readonly [number, number]>;
export type SamCommand = keyof typeof SAM_CMD;

/** SW3 status codes ("SW3 status codes" table). */
export const SW3 = {
  success: 0x90,
  noContent: 0x91,
  cardFound: 0x9f,
  badChecksum: 0x10,
  badLength: 0x11,
  badCommand: 0x21,
  notPermitted: 0x23,
  unknownError: 0x24,
  unknownCardType: 0x40,
  readFailed: 0x41,
  randomFailed: 0x47,
  samSelfTest: 0x60,
  samNotAuthorised: 0x66,
  noCard: 0x80,
  selectFailed: 0x81,
  cardAuthSam: 0x31,
  samAuthCard: 0x32,
  verifyError: 0x33,
} as const;

export const SW3_MEANING: Readonly<Record<number, string>> = {
  0x90: 'success',
  0x91: 'no content for this item',
  0x9f: 'card found',
  0x10: 'checksum of our frame wrong',
  0x11: 'length of our frame wrong',
  0x21: 'bad command / parameter',
  0x23: 'operation not permitted',
  0x24: 'unknown error',
  0x40: 'unknown card type',
  0x41: 'read failed',
  0x47: 'random number failed',
  0x60: 'SAM self-test failed',
  0x66: 'SAM not authorised',
  0x80: 'no card in field',
  0x81: 'select failed',
  0x31: 'card failed to authenticate SAM',
  0x32: 'SAM failed to authenticate card',
  0x33: 'information verification error',
};

function xor(bytes: Uint8Array, start: number, end: number): number {
  let x = 0;
  for (let i = start; i < end; i += 1) x ^= bytes[i]!;
  return x;
}

/** A whole frame around `body` (the bytes between LEN and CHK). */
export function encodeSamFrame(body: Uint8Array): Uint8Array {
  const len = body.length + 1;
  if (len > SAM_MAX_LEN) throw new RangeError(`SAM LEN ${len} > ${SAM_MAX_LEN}`);
  const out = new Uint8Array(7 + len);
  out.set(SAM_PREAMBLE, 0);
  out[5] = len >>> 8;
  out[6] = len & 0xff;
  out.set(body, 7);
  out[out.length - 1] = xor(out, 5, out.length - 1);
  return out;
}

export function encodeRequest(command: SamCommand, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const [cmd, para] = SAM_CMD[command];
  return encodeSamFrame(Uint8Array.of(cmd, para, ...data));
}

export function encodeReply(sw3: number, data: Uint8Array = new Uint8Array(0), sw1 = 0, sw2 = 0): Uint8Array {
  const body = new Uint8Array(3 + data.length);
  body[0] = sw1;
  body[1] = sw2;
  body[2] = sw3;
  body.set(data, 3);
  return encodeSamFrame(body);
}

/** The bytes between LEN and CHK of a checked frame. */
export const frameBody = (frame: Uint8Array): Uint8Array => frame.subarray(7, frame.length - 1);

export interface SamReply {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Uint8Array;
}

/** A reply frame; undefined when it is too short to carry SW1 SW2 SW3. */
export function decodeReply(frame: Uint8Array): SamReply | undefined {
  const body = frameBody(frame);
  if (body.length < 3) return undefined;
  return { sw1: body[0]!, sw2: body[1]!, sw3: body[2]!, data: body.slice(3) };
}

export function decodeRequest(
  frame: Uint8Array,
): { cmd: number; para: number; data: Uint8Array } | undefined {
  const body = frameBody(frame);
  if (body.length < 2) return undefined;
  return { cmd: body[0]!, para: body[1]!, data: body.slice(2) };
}

/**
 * Read-text reply (30 01 / 30 10): TextLen (2, BE) · PhotoLen (2, BE) · text · photo [· fingerprint].
 * Returns the 256-byte text block only. The photo is wiped in place and never leaves the codec
 * (domain-rules §5: "the chip photo is never stored"; the kiosk does not decode, keep or forward it).
 */
export function takeTextBlock(reply: SamReply): Uint8Array | undefined {
  const d = reply.data;
  if (d.length < 4) return undefined;
  const textLen = (d[0]! << 8) | d[1]!;
  const photoLen = (d[2]! << 8) | d[3]!;
  if (textLen < 256 || d.length < 4 + textLen) return undefined;
  const text = d.slice(4, 4 + textLen);
  d.fill(0, 4 + textLen, Math.min(d.length, 4 + textLen + photoLen));
  return text;
}

/** "d0.d2-u32le(d4..7)-u32le(d8..11) (9 digits)-u32le(d12..15) (9 digits)". */
export function formatSamId(id: Uint8Array): string {
  if (id.length < 16) return '';
  const v = new DataView(id.buffer, id.byteOffset, id.byteLength);
  const two = (n: number) => String(n).padStart(2, '0');
  const nine = (n: number) => String(n).padStart(9, '0');
  return `${two(id[0]!)}.${two(id[2]!)}-${v.getUint32(4, true)}-${nine(v.getUint32(8, true))}-${nine(v.getUint32(12, true))}`;
}

export const samRules: FramingRules = {
  sync: SAM_PREAMBLE,
  headerBytes: 7,
  frameLength(buf, o) {
    const len = (buf[o + 5]! << 8) | buf[o + 6]!;
    return len < SAM_MIN_LEN || len > SAM_MAX_LEN ? -1 : 7 + len;
  },
  check(buf, o, length) {
    return xor(buf, o + 5, o + length - 1) === buf[o + length - 1];
  },
  maxFrameBytes: 7 + SAM_MAX_LEN,
};

export function createSamParser(
  options: Omit<ScannerOptions, 'silenceMs'> & { silenceMs?: number },
): FrameScanner {
  return new FrameScanner(samRules, { silenceMs: SAM_SILENCE_MS, ...options });
}
