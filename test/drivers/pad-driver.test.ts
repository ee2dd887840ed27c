/** The pad driver against an in-memory link: handshake, reliability, liveness, with the device side scripted. */
import { afterEach, describe, expect, it } from 'vitest';
import { PadDriver } from '../../drivers/pad/pad-driver.js';
import {
  FLAG,
  MSG,
  createRp1Parser,
  decodeFrame,
  encodeFrame,
  type Rp1Frame,
} from '../../drivers/pad/rp1-codec.js';
import { encodeMessage, type Rp1Message } from '../../drivers/pad/rp1-messages.js';
import { PadSimulator } from '../../drivers/sim/pad-sim.js';
import { DeviceSupervisor } from '../../drivers/supervisor.js';
import { createMockPair, type MockTransport } from '../../drivers/transport/mock.js';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0).reverse()) await s();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A scripted pad: records every frame from the host and answers HELLO_REQUEST / PING unless told not to. */
async function scriptedPad(options: { answerPing?: boolean; ackArm?: boolean; proto?: number } = {}) {
  const [host, device] = createMockPair('pad');
  await device.open();
  const seen: Array<Rp1Frame & { at: number }> = [];
  const send = (msg: Rp1Message, flags = 0, seq = 1, ver = 0x10) => {
    const { type, payload } = encodeMessage(msg);
    void device.write(encodeFrame({ ver, flags, seq, type, payload }));
  };
  const parser = createRp1Parser({
    onFrame: (bytes) => {
      const f = { ...decodeFrame(bytes), at: performance.now() };
      seen.push(f);
      if (f.type === MSG.HELLO_REQUEST) {
        const proto = options.proto ?? 0x10;
        send(
          {
            type: 'hello',
            proto,
            firmware: 0x0203,
            model: 'SCRIPT',
            serial: 'S-1',
            keyCount: 5,
            capabilities: 7,
          },
          0,
          1,
          proto,
        );
      }
      if (f.type === MSG.PING && options.answerPing !== false)
        send({ type: 'pong', uptimeS: 1, status: 0, eventCounter: 0 });
      if (f.type === MSG.ARM && f.flags & FLAG.ackRequested && options.ackArm !== false) {
        void device.write(
          encodeFrame({ flags: FLAG.ack, seq: f.seq, type: f.type, payload: new Uint8Array(0) }),
        );
      }
    },
  });
  device.onData((b) => parser.push(b));
  await host.open();
  return { host, device, seen, send };
}

async function attached(host: MockTransport, options: ConstructorParameters<typeof PadDriver>[0] = {}) {
  const driver = new PadDriver(options);
  stops.push(() => driver.detach());
  const hello = await driver.attach(host);
  return { driver, hello };
}

describe('PadDriver', () => {
  it('When the pad answers HELLO_REQUEST, the driver reports its model, serial, firmware and capabilities', async () => {
    const pad = await scriptedPad();
    const { hello } = await attached(pad.host);
    expect(hello).toEqual({
      model: 'SCRIPT',
      serial: 'S-1',
      firmware: '2.3',
      keyCount: 5,
      capabilities: { rgbLeds: true, buzzer: true, textDisplay: true },
    });
  });

  it('When the pad speaks another major version, the handshake fails with E4003', async () => {
    const pad = await scriptedPad({ proto: 0x20 });
    await expect(new PadDriver().attach(pad.host)).rejects.toMatchObject({ code: 'E4003' });
  });

  it('When nothing answers HELLO_REQUEST, the handshake fails with E4002', async () => {
    const [host] = createMockPair('silent');
    await host.open();
    await expect(new PadDriver({ handshakeTimeoutMs: 100 }).attach(host)).rejects.toMatchObject({
      code: 'E4002',
    });
  });

  it('When a RATING arrives twice with the same (SEQ, TYPE), the driver ACKs both within 100 ms and reports it once', async () => {
    const pad = await scriptedPad();
    const { driver } = await attached(pad.host);
    const ratings: unknown[] = [];
    driver.on('rating', (r) => ratings.push(r));
    const rating: Rp1Message = { type: 'rating', sessionId: 9, key: 1, eventCounter: 55, msSinceArm: 1200 };
    const t0 = performance.now();
    pad.send(rating, FLAG.ackRequested, 42);
    pad.send(rating, FLAG.ackRequested | FLAG.retransmission, 42);
    await sleep(50);
    const acks = pad.seen.filter((f) => f.flags === FLAG.ack && f.seq === 42 && f.type === MSG.RATING);
    expect(acks).toHaveLength(2);
    expect(acks[1]!.at - t0).toBeLessThan(100);
    expect(ratings).toEqual([
      { padSerial: 'S-1', eventCounter: 55, padSessionId: 9, key: 1, msSinceArm: 1200, retransmitted: false },
    ]);
  });

  it('When the pad does not ACK an ARM, the driver retransmits it 3 times with bit3 set, then fails with E4007', async () => {
    const pad = await scriptedPad({ ackArm: false });
    const { driver } = await attached(pad.host, { ackTimeoutMs: 30 });
    const errors: string[] = [];
    driver.on('error', (e) => errors.push(e.code));
    await expect(driver.arm(1, 30)).rejects.toMatchObject({ code: 'E4007' });
    const arms = pad.seen.filter((f) => f.type === MSG.ARM);
    expect(arms.map((f) => f.flags)).toEqual([0x01, 0x09, 0x09, 0x09]);
    expect(new Set(arms.map((f) => f.seq)).size).toBe(1);
    expect(errors).toContain('E4007');
    expect(driver.stats.counters.timeouts).toBe(4);
  });

  it('When the pad answers NAK busy, the driver counts it and retransmits', async () => {
    const pad = await scriptedPad({ ackArm: false });
    const { driver } = await attached(pad.host, { ackTimeoutMs: 40 });
    pad.device.onData(() => {
      const arm = pad.seen.filter((f) => f.type === MSG.ARM);
      const last = arm.at(-1);
      if (!last) return;
      const flags = arm.length === 1 ? FLAG.nak : FLAG.ack;
      const payload = flags === FLAG.nak ? Uint8Array.of(4) : new Uint8Array(0);
      setImmediate(
        () => void pad.device.write(encodeFrame({ flags, seq: last.seq, type: MSG.ARM, payload })),
      );
    });
    await driver.arm(3, 10);
    expect(driver.stats.counters.naks).toBe(1);
  });

  it('When three PONGs are missed, the link is reported down with E4004 and the transport is closed', async () => {
    const pad = await scriptedPad({ answerPing: false });
    const { driver } = await attached(pad.host, { pingIntervalMs: 30 });
    const down = await driver.next('state', 1000, (s) => s.state === 'disconnected');
    expect(down.code).toBe('E4004');
    expect(pad.host.isOpen).toBe(false);
  });

  it('When the pad reports KEY_EVENT and ERROR, the driver emits key and error E4008', async () => {
    const pad = await scriptedPad();
    const { driver } = await attached(pad.host);
    const key = driver.next('key', 500);
    const error = driver.next('error', 500);
    pad.send({ type: 'keyEvent', key: 4, down: true, timestampMs: 1234 });
    pad.send({ type: 'error', code: 2, text: 'stuck' });
    expect(await key).toMatchObject({ key: 4, down: true, padMs: 1234 });
    expect(await error).toMatchObject({ code: 'E4008' });
  });
});

describe('PadDriver with the pad simulator in mock mode, under the supervisor', () => {
  it('When the pad sends garbage before a press, the press still arrives and the garbage is counted as discarded', async () => {
    const sim = new PadSimulator({ kind: 'mock' }, { serial: 'SIM-MOCK' });
    await sim.start();
    const driver = new PadDriver();
    const sup = new DeviceSupervisor({
      kind: 'pad',
      driver,
      config: { transport: 'serial', path: 'unused', baudRate: 115200 },
      transportFactory: async () => sim.link.hostTransport,
    });
    stops.push(
      () => sim.stop(),
      () => sup.stop(),
    );
    const up = sup.next('state', 2000, (s) => s.state === 'connected');
    sup.start();
    await up;
    sim.sendGarbage(100);
    const rating = driver.next('rating', 1000);
    sim.press(1);
    expect(await rating).toMatchObject({ padSerial: 'SIM-MOCK', key: 1, eventCounter: 1 });
    expect(sup.snapshot().counters.bytesDiscarded).toBe(100);
  });

  it('When the host arms, lights, beeps and asks for status, the simulated pad ACKs each and answers STATUS', async () => {
    const sim = new PadSimulator({ kind: 'mock' }, { serial: 'SIM-CMDS', eventCounter: 7 });
    await sim.start();
    const driver = new PadDriver();
    stops.push(
      () => sim.stop(),
      () => driver.detach(),
    );
    await sim.link.hostTransport!.open();
    await driver.attach(sim.link.hostTransport!);
    await driver.arm(11, 30, 1);
    await driver.setLed({ keyMask: 0x1f, r: 0, g: 255, b: 0, pattern: 1, periodMs: 0 });
    await driver.buzzer({ frequencyHz: 2000, onMs: 80, offMs: 0, repeat: 1 });
    expect(await driver.getStatus()).toMatchObject({
      type: 'status',
      status: 1,
      eventCounter: 7,
      supplyMv: 5000,
    });
    await driver.disarm(11);
    expect(sim.received.map((m) => m.type)).toEqual([
      'helloRequest',
      'arm',
      'setLed',
      'buzzer',
      'getStatus',
      'disarm',
    ]);
    expect(sim.armedSession).toBe(0);
  });

  it('When the pad stalls, liveness drops the link (E4004) and the supervisor reconnects after the stall', async () => {
    const sim = new PadSimulator({ kind: 'mock' }, { serial: 'SIM-STALL' });
    await sim.start();
    const driver = new PadDriver({ pingIntervalMs: 50 });
    const sup = new DeviceSupervisor({
      kind: 'pad',
      driver,
      config: { transport: 'serial', path: 'unused', baudRate: 115200 },
      transportFactory: async () => sim.link.hostTransport,
      initialBackoffMs: 100,
    });
    stops.push(
      () => sim.stop(),
      () => sup.stop(),
    );
    const states: string[] = [];
    sup.on('state', (s) => states.push(`${s.state}${s.code ? ':' + s.code : ''}`));
    const up = sup.next('state', 2000, (s) => s.state === 'connected');
    sup.start();
    await up;
    sim.stall(400);
    await sup.next('state', 2000, (s) => s.state === 'disconnected');
    await sup.next('state', 5000, (s) => s.state === 'connected');
    expect(states).toContain('disconnected:E4004');
    expect(sup.snapshot().counters.reconnects).toBeGreaterThanOrEqual(1);
  });
});
