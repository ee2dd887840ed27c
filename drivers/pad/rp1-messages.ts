/** RP/1 message payloads (rating-pad-rp1.md "Messages"): little-endian integers, ASCII strings. Pure. */
import { MSG, NAK_REASON } from './rp1-codec.js';

export type Rp1Message =
  | {
      type: 'hello';
      proto: number;
      firmware: number;
      model: string;
      serial: string;
      keyCount: number;
      capabilities: number;
    }
  | { type: 'ping' }
  | { type: 'pong'; uptimeS: number; status: number; eventCounter: number }
  | { type: 'helloRequest' }
  | { type: 'arm'; sessionId: number; timeoutS: number; prompt: number }
  | { type: 'disarm'; sessionId: number }
  | { type: 'rating'; sessionId: number; key: number; eventCounter: number; msSinceArm: number }
  | { type: 'keyEvent'; key: number; down: boolean; timestampMs: number }
  | { type: 'setLed'; keyMask: number; r: number; g: number; b: number; pattern: number; periodMs: number }
  | { type: 'buzzer'; frequencyHz: number; onMs: number; offMs: number; repeat: number }
  | { type: 'getStatus' }
  | {
      type: 'status';
      uptimeS: number;
      status: number;
      eventCounter: number;
      supplyMv: number;
      temperatureDeciC: number;
    }
  | { type: 'error'; code: number; text: string };

const ascii = (s: string, size: number): Uint8Array => {
  const out = new Uint8Array(size);
  for (let i = 0; i < Math.min(size, s.length); i += 1) out[i] = s.charCodeAt(i) & 0x7f;
  return out;
};
const fromAscii = (b: Uint8Array): string => {
  const end = b.indexOf(0);
  return String.fromCharCode(...b.subarray(0, end < 0 ? b.length : end));
};

/** Fixed payload sizes; ERROR is variable (≥ 1). */
const SIZE: Record<number, number> = {
  [MSG.HELLO]: 37,
  [MSG.PING]: 0,
  [MSG.PONG]: 9,
  [MSG.HELLO_REQUEST]: 0,
  [MSG.ARM]: 7,
  [MSG.DISARM]: 4,
  [MSG.RATING]: 13,
  [MSG.KEY_EVENT]: 6,
  [MSG.SET_LED]: 7,
  [MSG.BUZZER]: 7,
  [MSG.GET_STATUS]: 0,
  [MSG.STATUS]: 13,
};

export function encodeMessage(msg: Rp1Message): { type: number; payload: Uint8Array } {
  const w = (type: number, size: number, fill: (v: DataView, b: Uint8Array) => void) => {
    const b = new Uint8Array(size);
    fill(new DataView(b.buffer), b);
    return { type, payload: b };
  };
  switch (msg.type) {
    case 'hello':
      return w(MSG.HELLO, 37, (v, b) => {
        v.setUint8(0, msg.proto);
        v.setUint16(1, msg.firmware, true);
        b.set(ascii(msg.model, 16), 3);
        b.set(ascii(msg.serial, 16), 19);
        v.setUint8(35, msg.keyCount);
        v.setUint8(36, msg.capabilities);
      });
    case 'ping':
      return w(MSG.PING, 0, () => undefined);
    case 'helloRequest':
      return w(MSG.HELLO_REQUEST, 0, () => undefined);
    case 'getStatus':
      return w(MSG.GET_STATUS, 0, () => undefined);
    case 'pong':
      return w(MSG.PONG, 9, (v) => {
        v.setUint32(0, msg.uptimeS, true);
        v.setUint8(4, msg.status);
        v.setUint32(5, msg.eventCounter, true);
      });
    case 'status':
      return w(MSG.STATUS, 13, (v) => {
        v.setUint32(0, msg.uptimeS, true);
        v.setUint8(4, msg.status);
        v.setUint32(5, msg.eventCounter, true);
        v.setUint16(9, msg.supplyMv, true);
        v.setInt16(11, msg.temperatureDeciC, true);
      });
    case 'arm':
      return w(MSG.ARM, 7, (v) => {
        v.setUint32(0, msg.sessionId, true);
        v.setUint16(4, msg.timeoutS, true);
        v.setUint8(6, msg.prompt);
      });
    case 'disarm':
      return w(MSG.DISARM, 4, (v) => v.setUint32(0, msg.sessionId, true));
    case 'rating':
      return w(MSG.RATING, 13, (v) => {
        v.setUint32(0, msg.sessionId, true);
        v.setUint8(4, msg.key);
        v.setUint32(5, msg.eventCounter, true);
        v.setUint32(9, msg.msSinceArm, true);
      });
    case 'keyEvent':
      return w(MSG.KEY_EVENT, 6, (v) => {
        v.setUint8(0, msg.key);
        v.setUint8(1, msg.down ? 1 : 0);
        v.setUint32(2, msg.timestampMs, true);
      });
    case 'setLed':
      return w(MSG.SET_LED, 7, (v) => {
        [msg.keyMask, msg.r, msg.g, msg.b, msg.pattern].forEach((x, i) => v.setUint8(i, x));
        v.setUint16(5, msg.periodMs, true);
      });
    case 'buzzer':
      return w(MSG.BUZZER, 7, (v) => {
        v.setUint16(0, msg.frequencyHz, true);
        v.setUint16(2, msg.onMs, true);
        v.setUint16(4, msg.offMs, true);
        v.setUint8(6, msg.repeat);
      });
    case 'error':
      return w(MSG.ERROR, 1 + msg.text.length, (v, b) => {
        v.setUint8(0, msg.code);
        b.set(ascii(msg.text, msg.text.length), 1);
      });
  }
}

export type DecodeResult = { ok: true; message: Rp1Message } | { ok: false; nak: number };

/** Decodes a payload by TYPE; failures carry the NAK reason to answer with ("Reliability"). */
export function decodeMessage(type: number, p: Uint8Array): DecodeResult {
  const size = SIZE[type];
  if (size === undefined && type !== MSG.ERROR) return { ok: false, nak: NAK_REASON.unknownType };
  if ((size !== undefined && p.length !== size) || (type === MSG.ERROR && p.length < 1)) {
    return { ok: false, nak: NAK_REASON.badPayload };
  }
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const ok = (message: Rp1Message): DecodeResult => ({ ok: true, message });
  switch (type) {
    case MSG.HELLO:
      return ok({
        type: 'hello',
        proto: v.getUint8(0),
        firmware: v.getUint16(1, true),
        model: fromAscii(p.subarray(3, 19)),
        serial: fromAscii(p.subarray(19, 35)),
        keyCount: v.getUint8(35),
        capabilities: v.getUint8(36),
      });
    case MSG.PING:
      return ok({ type: 'ping' });
    case MSG.HELLO_REQUEST:
      return ok({ type: 'helloRequest' });
    case MSG.GET_STATUS:
      return ok({ type: 'getStatus' });
    case MSG.PONG:
      return ok({
        type: 'pong',
        uptimeS: v.getUint32(0, true),
        status: v.getUint8(4),
        eventCounter: v.getUint32(5, true),
      });
    case MSG.STATUS:
      return ok({
        type: 'status',
        uptimeS: v.getUint32(0, true),
        status: v.getUint8(4),
        eventCounter: v.getUint32(5, true),
        supplyMv: v.getUint16(9, true),
        temperatureDeciC: v.getInt16(11, true),
      });
    case MSG.ARM:
      return ok({
        type: 'arm',
        sessionId: v.getUint32(0, true),
        timeoutS: v.getUint16(4, true),
        prompt: v.getUint8(6),
      });
    case MSG.DISARM:
      return ok({ type: 'disarm', sessionId: v.getUint32(0, true) });
    case MSG.RATING:
      return ok({
        type: 'rating',
        sessionId: v.getUint32(0, true),
        key: v.getUint8(4),
        eventCounter: v.getUint32(5, true),
        msSinceArm: v.getUint32(9, true),
      });
    case MSG.KEY_EVENT:
      return ok({
        type: 'keyEvent',
        key: v.getUint8(0),
        down: v.getUint8(1) === 1,
        timestampMs: v.getUint32(2, true),
      });
    case MSG.SET_LED:
      return ok({
        type: 'setLed',
        keyMask: p[0]!,
        r: p[1]!,
        g: p[2]!,
        b: p[3]!,
        pattern: p[4]!,
        periodMs: v.getUint16(5, true),
      });
    case MSG.BUZZER:
      return ok({
        type: 'buzzer',
        frequencyHz: v.getUint16(0, true),
        onMs: v.getUint16(2, true),
        offMs: v.getUint16(4, true),
        repeat: v.getUint8(6),
      });
    default:
      return ok({ type: 'error', code: p[0]!, text: fromAscii(p.subarray(1)) });
  }
}
