/**
 * RP/1 codec (rating-pad-rp1.md): frame encode/decode and every message type. Pure, no I/O.
 */
import { FrameScanner, type FramingRules, type ScannerOptions } from '../frame-scanner.js';
import { crc16Modbus } from './crc16.js';

export const RP1_SYNC = [0xa5, 0x5a] as const;
export const RP1_VERSION = 0x10;
export const RP1_MAX_PAYLOAD = 512;
export const RP1_HEADER = 8;
export const RP1_OVERHEAD = RP1_HEADER + 2;
/** "drop a partial frame after 50 ms of silence". */
export const RP1_SILENCE_MS = 50;

/** FLAGS bits ("Frame" table). */
export const FLAG = { ackRequested: 0x01, ack: 0x02, nak: 0x04, retransmission: 0x08 } as const;
export const NAK_REASON = { crc: 1, unknownType: 2, badPayload: 3, busy: 4 } as const;

export const MSG = {
  HELLO: 0x01,
  PING: 0x02,
  PONG: 0x03,
  HELLO_REQUEST: 0x04,
  ARM: 0x10,
  DISARM: 0x11,
  RATING: 0x12,
  KEY_EVENT: 0x13,
  SET_LED: 0x20,
  BUZZER: 0x21,
  GET_STATUS: 0x30,
  STATUS: 0x31,
  ERROR: 0x7e,
} as const;

export interface Rp1Frame {
  ver: number;
  flags: number;
  seq: number;
  type: number;
  payload: Uint8Array;
}

export function encodeFrame(frame: Omit<Rp1Frame, 'ver'> & { ver?: number }): Uint8Array {
  const len = frame.payload.length;
  if (len > RP1_MAX_PAYLOAD) throw new RangeError(`RP/1 payload ${len} > ${RP1_MAX_PAYLOAD}`);
  const out = new Uint8Array(RP1_OVERHEAD + len);
  out[0] = RP1_SYNC[0];
  out[1] = RP1_SYNC[1];
  out[2] = frame.ver ?? RP1_VERSION;
  out[3] = frame.flags;
  out[4] = frame.seq & 0xff;
  out[5] = frame.type;
  out[6] = len & 0xff;
  out[7] = len >>> 8;
  out.set(frame.payload, RP1_HEADER);
  const crc = crc16Modbus(out, 2, RP1_HEADER + len);
  out[RP1_HEADER + len] = crc & 0xff; // low byte first
  out[RP1_HEADER + len + 1] = crc >>> 8;
  return out;
}

/** Decodes a frame the scanner has already checked (sync, LEN, CRC). */
export function decodeFrame(bytes: Uint8Array): Rp1Frame {
  const len = bytes[6]! | (bytes[7]! << 8);
  return {
    ver: bytes[2]!,
    flags: bytes[3]!,
    seq: bytes[4]!,
    type: bytes[5]!,
    payload: bytes.slice(8, 8 + len),
  };
}

export const rp1Rules: FramingRules = {
  sync: RP1_SYNC,
  headerBytes: RP1_HEADER,
  frameLength(buf, o) {
    const len = buf[o + 6]! | (buf[o + 7]! << 8);
    return len > RP1_MAX_PAYLOAD ? -1 : RP1_OVERHEAD + len; // "reject LEN > 512"
  },
  check(buf, o, length) {
    const crc = crc16Modbus(buf, o + 2, o + length - 2);
    return buf[o + length - 2] === (crc & 0xff) && buf[o + length - 1] === crc >>> 8;
  },
  maxFrameBytes: RP1_OVERHEAD + RP1_MAX_PAYLOAD,
};

export function createRp1Parser(
  options: Omit<ScannerOptions, 'silenceMs'> & { silenceMs?: number },
): FrameScanner {
  return new FrameScanner(rp1Rules, { silenceMs: RP1_SILENCE_MS, ...options });
}

export const isAck = (f: Rp1Frame): boolean => (f.flags & FLAG.ack) !== 0;
export const isNak = (f: Rp1Frame): boolean => (f.flags & FLAG.nak) !== 0;
export const majorVersion = (ver: number): number => ver >>> 4;
/** "fw version u16", shown as major.minor. */
export const formatFirmware = (fw: number): string => `${fw >>> 8}.${fw & 0xff}`;
