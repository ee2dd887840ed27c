/** Transports: pure HID/USB framing, and the HID, USB, TCP and mock transports against in-memory fakes. */
import { EventEmitter } from 'node:events';
import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeReply, encodeRequest } from '../../drivers/idcard/sam-codec.js';
import { joinReport, splitIntoReports } from '../../drivers/transport/hid-framing.js';
import { HidTransport, type HidDeviceLike, type HidModuleLike } from '../../drivers/transport/hid.js';
import { createTransport, pickSerialPath } from '../../drivers/transport/index.js';
import { createMockPair } from '../../drivers/transport/mock.js';
import { splitSamFrames } from '../../drivers/transport/usb-framing.js';
import { UsbBulkTransport, type UsbDeviceLike, type UsbModuleLike } from '../../drivers/transport/usb.js';

describe('HID report framing (pure)', () => {
  it('cuts bytes into 64-byte reports with a count byte 1…63 and joins them back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const reports = splitIntoReports(bytes);
        expect(reports.every((r) => r.length === 64 && r[0]! >= 1 && r[0]! <= 63)).toBe(true);
        expect(Buffer.concat(reports.map((r) => joinReport(r)!))).toEqual(Buffer.from(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('drops a report whose count byte is 0 or over 63, and strips a leading report ID when asked', () => {
    expect(joinReport(new Uint8Array(64))).toBeUndefined();
    expect(joinReport(Uint8Array.of(64, ...new Uint8Array(63)))).toBeUndefined();
    expect(joinReport(Uint8Array.of(0, 2, 7, 8, ...new Uint8Array(61)), true)).toEqual(Uint8Array.of(7, 8));
  });
});

class FakeHidDevice extends EventEmitter implements HidDeviceLike {
  readonly writes: number[][] = [];
  closed = false;
  async write(values: number[] | Buffer): Promise<number> {
    this.writes.push([...values]);
    return values.length;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('HidTransport with a fake node-hid', () => {
  it('finds the device by VID:PID, writes report ID 0 + 64-byte reports, feeds report payloads, and closes on a read error', async () => {
    const device = new FakeHidDevice();
    const hid: HidModuleLike = {
      devicesAsync: async () => [{ vendorId: 0x1234, productId: 0x5678, path: '/dev/hidraw3' }],
      HIDAsync: {
        open: async (path) => (path === '/dev/hidraw3' ? device : Promise.reject(new Error('no'))),
      },
    };
    const t = (await createTransport({ transport: 'hid', vendorId: 0x1234, productId: 0x5678 }, { hid }))!;
    expect(t).toBeInstanceOf(HidTransport);
    await t.open();
    expect(t.describe()).toEqual({ transport: 'hid', path: '/dev/hidraw3' });
    await t.write(new Uint8Array(70).fill(9));
    expect(device.writes.map((w) => [w.length, w[0], w[1]])).toEqual([
      [65, 0, 63],
      [65, 0, 7],
    ]);
    const got: number[] = [];
    t.onData((b) => got.push(...b));
    device.emit('data', Buffer.from([3, 1, 2, 3, ...new Uint8Array(60)]));
    expect(got).toEqual([1, 2, 3]);
    const closed = new Promise((r) => t.onClose(r));
    device.emit('error', new Error('could not read from HID device'));
    expect(await closed).toBeInstanceOf(Error);
    expect(t.isOpen).toBe(false);
    await expect(t.write(Uint8Array.of(1))).rejects.toThrow();
  });
});

function fakeUsb() {
  const outs: Array<[number, number[]]> = [];
  const inQueue = new Map<number, Uint8Array[]>([
    [1, []],
    [5, []],
  ]);
  let waiting: Array<() => void> = [];
  let unplugged = false;
  const device: UsbDeviceLike = {
    opened: false,
    configuration: undefined,
    open: async () => undefined,
    close: async () => undefined,
    selectConfiguration: async () => undefined,
    claimInterface: async () => undefined,
    releaseInterface: async () => undefined,
    transferOut: async (ep, data) => outs.push([ep, [...data]]),
    async transferIn(ep, length) {
      for (;;) {
        if (unplugged) throw new Error('LIBUSB_ERROR_NO_DEVICE');
        const q = inQueue.get(ep)!;
        if (q.length) {
          const next = q.shift()!;
          if (next.length > length) q.unshift(next.subarray(length));
          const chunk = next.subarray(0, length);
          return { status: 'ok', data: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength) };
        }
        await new Promise<void>((r) => waiting.push(r));
      }
    },
  };
  const wake = () => {
    const w = waiting;
    waiting = [];
    w.forEach((r) => r());
  };
  const module: UsbModuleLike = {
    usb: { findDeviceByIds: async (v, p) => (v === 0x0400 && p === 0xc35a ? device : undefined) },
  };
  return {
    module,
    outs,
    /** The reader answers: head on IN 0x81, body on IN 0x85. */
    reply(frame: Uint8Array) {
      inQueue.get(1)!.push(frame.subarray(0, 7));
      inQueue.get(5)!.push(frame.subarray(7));
      wake();
    },
    unplug() {
      unplugged = true;
      wake();
    },
  };
}

describe('UsbBulkTransport with a fake usb module (0400:C35A)', () => {
  it('splits a SAM frame into preamble+LEN on OUT 0x02 and the rest on OUT 0x06 (pure)', () => {
    const [part] = splitSamFrames(encodeRequest('findCard'));
    expect([...part!.head]).toEqual([0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x03]);
    expect([...part!.body]).toEqual([0x20, 0x01, 0x22]);
  });

  it('writes head and body on the two OUT endpoints and joins IN 0x81 + IN 0x85 into one frame, then closes on unplug', async () => {
    const usb = fakeUsb();
    const t = (await createTransport(
      { transport: 'usb', vendorId: 0x0400, productId: 0xc35a },
      { usb: usb.module },
    ))!;
    expect(t).toBeInstanceOf(UsbBulkTransport);
    await t.open();
    await t.write(encodeRequest('selectCard'));
    expect(usb.outs).toEqual([
      [2, [0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x03]],
      [6, [0x20, 0x02, 0x21]],
    ]);
    const got: number[] = [];
    t.onData((b) => got.push(...b));
    const reply = encodeReply(0x90, new Uint8Array(1284));
    usb.reply(reply);
    await new Promise((r) => setTimeout(r, 10));
    expect(Buffer.from(got)).toEqual(Buffer.from(reply));
    const closed = new Promise((r) => t.onClose(r));
    usb.unplug();
    expect(await closed).toBeInstanceOf(Error);
  });
});

describe('TCP and mock transports, and serial path choice', () => {
  it('carries bytes both ways over tcp://127.0.0.1:port and reports the peer closing', async () => {
    const server = net.createServer((s) =>
      s.on('data', (b) => s.end(Buffer.concat([Buffer.from('echo:'), b]))),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const t = (await createTransport({ transport: 'tcp', url: `tcp://127.0.0.1:${port}` }))!;
    await t.open();
    const got: Buffer[] = [];
    t.onData((b) => got.push(Buffer.from(b)));
    const closed = new Promise((r) => t.onClose(r));
    await t.write(Buffer.from('hi'));
    await closed;
    expect(Buffer.concat(got).toString()).toBe('echo:hi');
    server.close();
  });

  it('returns no transport for keyboard and none', async () => {
    expect(await createTransport({ transport: 'keyboard' })).toBeUndefined();
    expect(await createTransport({ transport: 'none' })).toBeUndefined();
  });

  it('delivers mock writes to the peer asynchronously and rejects writes after close', async () => {
    const [a, b] = createMockPair();
    await a.open();
    await b.open();
    const got = new Promise<Uint8Array>((r) => b.onData(r));
    await a.write(Uint8Array.of(1, 2));
    expect([...(await got)]).toEqual([1, 2]);
    await a.close();
    await expect(a.write(Uint8Array.of(3))).rejects.toThrow(/not open/);
  });

  it('prefers /dev/serial/by-id/… for a configured VID:PID', () => {
    const ports = [
      { path: '/dev/ttyACM0', vendorId: '2e8a', productId: '000a', pnpId: 'usb-Acme_Pad_123-if00' },
      { path: '/dev/ttyUSB0', vendorId: '1a86', productId: '7523' },
    ];
    expect(pickSerialPath(ports, 0x2e8a, 0x000a, 'linux')).toBe('/dev/serial/by-id/usb-Acme_Pad_123-if00');
    expect(pickSerialPath(ports, 0x1a86, 0x7523, 'linux')).toBe('/dev/ttyUSB0');
    expect(pickSerialPath(ports, 0x1111, 0x2222, 'linux')).toBeUndefined();
  });
});
