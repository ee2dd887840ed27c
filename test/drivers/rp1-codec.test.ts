import { describe, expect, it } from 'vitest';
import { crc16Modbus } from '../../drivers/pad/crc16.js';
import { FLAG, MSG, createRp1Parser, decodeFrame, encodeFrame } from '../../drivers/pad/rp1-codec.js';
import { decodeMessage, encodeMessage, type Rp1Message } from '../../drivers/pad/rp1-messages.js';
import { FakeClock } from './support/fake-clock.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('RP/1 codec', () => {
  it('CRC-16/MODBUS of "123456789" is the check value 0x4B37', () => {
    expect(crc16Modbus(new TextEncoder().encode('123456789'))).toBe(0x4b37);
  });

  it('encodes a PING frame byte-exact: SYNC, VER 0x10, FLAGS, SEQ, TYPE, LEN little-endian, CRC low byte first', () => {
    const frame = encodeFrame({ flags: 0, seq: 7, type: MSG.PING, payload: new Uint8Array(0) });
    const crc = crc16Modbus(Uint8Array.of(0x10, 0x00, 0x07, 0x02, 0x00, 0x00));
    expect(hex(frame)).toBe(
      `a55a100007020000${(crc & 0xff).toString(16).padStart(2, '0')}${(crc >> 8).toString(16).padStart(2, '0')}`,
    );
  });

  it('encodes a RATING payload little-endian: session id u32, key u8, event counter u32, ms since ARM u32', () => {
    const { type, payload } = encodeMessage({
      type: 'rating',
      sessionId: 0x01020304,
      key: 3,
      eventCounter: 0x0a0b0c0d,
      msSinceArm: 1500,
    });
    expect(type).toBe(0x12);
    expect(hex(payload)).toBe('0403020103' + '0d0c0b0a' + 'dc050000');
  });

  const samples: Rp1Message[] = [
    {
      type: 'hello',
      proto: 0x10,
      firmware: 0x0102,
      model: 'RP1-SIM',
      serial: 'SIM0001',
      keyCount: 5,
      capabilities: 3,
    },
    { type: 'ping' },
    { type: 'pong', uptimeS: 123456, status: 1, eventCounter: 42 },
    { type: 'helloRequest' },
    { type: 'arm', sessionId: 99, timeoutS: 30, prompt: 1 },
    { type: 'disarm', sessionId: 99 },
    { type: 'rating', sessionId: 99, key: 5, eventCounter: 4294967295, msSinceArm: 800 },
    { type: 'keyEvent', key: 2, down: true, timestampMs: 77 },
    { type: 'setLed', keyMask: 0x1f, r: 255, g: 128, b: 0, pattern: 2, periodMs: 500 },
    { type: 'buzzer', frequencyHz: 2000, onMs: 100, offMs: 50, repeat: 2 },
    { type: 'getStatus' },
    { type: 'status', uptimeS: 5, status: 2, eventCounter: 9, supplyMv: 5010, temperatureDeciC: -55 },
    { type: 'error', code: 3, text: 'key 2 stuck' },
  ];

  it.each(samples.map((m) => [m.type, m] as const))(
    'round-trips a %s message through a frame and the parser',
    (_name, message) => {
      const { type, payload } = encodeMessage(message);
      const frames: Uint8Array[] = [];
      const parser = createRp1Parser({ onFrame: (f) => frames.push(f), clock: new FakeClock() });
      parser.push(encodeFrame({ flags: FLAG.ackRequested, seq: 200, type, payload }));
      expect(frames).toHaveLength(1);
      const frame = decodeFrame(frames[0]!);
      expect(frame).toMatchObject({ ver: 0x10, flags: 1, seq: 200, type });
      expect(decodeMessage(frame.type, frame.payload)).toEqual({ ok: true, message });
    },
  );

  it('answers an unknown TYPE with NAK reason 2 and a wrong payload length with reason 3', () => {
    expect(decodeMessage(0x55, new Uint8Array(0))).toEqual({ ok: false, nak: 2 });
    expect(decodeMessage(MSG.RATING, new Uint8Array(3))).toEqual({ ok: false, nak: 3 });
  });

  it('rejects LEN > 512, counts a CRC error, and drops a partial frame after 50 ms of silence', () => {
    const clock = new FakeClock();
    const frames: Uint8Array[] = [];
    const parser = createRp1Parser({ onFrame: (f) => frames.push(f), clock });
    parser.push(Uint8Array.of(0xa5, 0x5a, 0x10, 0, 0, 2, 0x01, 0x02)); // LEN 513
    expect(parser.counters.lengthRejects).toBe(1);
    const good = encodeFrame({ flags: 0, seq: 1, type: MSG.PING, payload: new Uint8Array(0) });
    const bad = Uint8Array.from(good);
    bad[9]! ^= 0xff;
    parser.push(bad);
    expect(parser.counters.checkErrors).toBe(1);
    parser.push(good.subarray(0, 5));
    clock.advance(60);
    expect(parser.buffered).toBe(0);
    expect(parser.counters.partialTimeouts).toBe(1);
    parser.push(good);
    expect(frames).toHaveLength(1);
    expect(parser.counters.discardedBytes).toBe(8 + bad.length + 5);
  });
});
