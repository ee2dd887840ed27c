/** The supervisor's find/open/reopen policy with injectable timers and fake devices. */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { PadDriver } from '../../drivers/pad/pad-driver.js';
import { ReaderDriver } from '../../drivers/idcard/reader-driver.js';
import { PadSimulator } from '../../drivers/sim/pad-sim.js';
import type { DevicePresence } from '../../drivers/presence.js';
import { DeviceSupervisor } from '../../drivers/supervisor.js';
import { MockTransport } from '../../drivers/transport/mock.js';
import type { TransportConfig } from '../../drivers/transport/transport.js';
import { FakeClock } from './support/fake-clock.js';

const flush = () => new Promise((r) => setImmediate(r));

/** A device whose presence the test switches; `watch` hints are not sent (the poll must do). */
function switchablePresence(
  present: boolean,
): DevicePresence & { present(): Promise<boolean>; set(p: boolean): void } {
  let now = present;
  return {
    pollMs: 100,
    present: async () => now,
    watch: () => () => undefined,
    set: (p) => (now = p),
  };
}

describe('DeviceSupervisor', () => {
  it('When the pad is there but cannot be opened, it reports E4001 and retries after 0.5 s, doubling to 10 s', async () => {
    const clock = new FakeClock();
    const attempts: number[] = [];
    const sup = new DeviceSupervisor({
      kind: 'pad',
      driver: new PadDriver({ clock }),
      clock,
      presence: switchablePresence(true),
      config: { transport: 'serial', path: '/dev/ttyACM9', baudRate: 115200 },
      transportFactory: async () => {
        attempts.push(clock.now());
        const t = new MockTransport('absent');
        t.present = false;
        return t;
      },
    });
    const codes: string[] = [];
    sup.on('state', (s) => s.code && codes.push(s.code));
    sup.start();
    for (let i = 0; i < 400; i += 1) {
      await flush();
      clock.advance(100);
    }
    await flush();
    const gaps = attempts.slice(1).map((t, i) => t - attempts[i]!);
    expect(gaps.slice(0, 7)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(new Set(codes)).toEqual(new Set(['E4001']));
    expect(sup.snapshot()).toMatchObject({
      kind: 'pad',
      transport: 'serial',
      path: 'absent',
      state: 'disconnected',
      lastError: 'E4001',
    });
    await sup.stop();
  });

  it('When the pad is absent, it is not retried on a backoff but opened within one poll of reappearing, however long it was away', async () => {
    const clock = new FakeClock();
    const presence = switchablePresence(false);
    const attempts: number[] = [];
    const sup = new DeviceSupervisor({
      kind: 'pad',
      driver: new PadDriver({ clock }),
      clock,
      presence,
      config: { transport: 'serial', path: '/dev/hcp-pad', baudRate: 115200 },
      transportFactory: async () => {
        attempts.push(clock.now());
        const t = new MockTransport('pad');
        t.present = false; // still fails to open: the test counts attempts only
        return t;
      },
    });
    const run = async (ms: number) => {
      for (let t = 0; t < ms; t += 50) {
        await flush();
        clock.advance(50);
      }
      await flush();
    };
    sup.start();
    await run(30_000);
    // One attempt at start (it failed, the path is absent): nothing more while the device is away.
    expect(attempts).toEqual([0]);
    presence.set(true);
    const back = clock.now();
    await run(200);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]! - back).toBeLessThanOrEqual(100);
    // Present but failing: now the backoff applies, from 0.5 s.
    await run(600);
    expect(attempts).toHaveLength(3);
    expect(attempts[2]! - attempts[1]!).toBe(500);
    await sup.stop();
  });

  it('When a reader cannot be opened, the code is E5001', async () => {
    const sup = new DeviceSupervisor({
      kind: 'reader',
      driver: new ReaderDriver(),
      config: { transport: 'tcp', url: 'tcp://127.0.0.1:1' },
      initialBackoffMs: 60_000,
    });
    const state = sup.next('state', 2000, (s) => s.state === 'disconnected');
    sup.start();
    expect((await state).code).toBe('E5001');
    await sup.stop();
  });

  it('When a VID:PID is configured for a serial pad, it opens the /dev/serial/by-id/… path from the port list', async () => {
    const opened: string[] = [];
    const config: TransportConfig = {
      transport: 'serial',
      path: '/dev/ttyACM0',
      baudRate: 115200,
      vendorId: 0x2e8a,
      productId: 0x000a,
    };
    const sup = new DeviceSupervisor({
      kind: 'pad',
      driver: new PadDriver(),
      config,
      initialBackoffMs: 60_000,
      listSerial: async () => [
        { path: '/dev/ttyACM1', vendorId: '2e8a', productId: '000a', pnpId: 'usb-Sim_Pad_1-if00' },
      ],
      transportFactory: async (_c, modules) => {
        opened.push(modules.serialPath ?? 'none');
        const t = new MockTransport('x');
        t.present = false;
        return t;
      },
    });
    const state = sup.next('state', 2000, (s) => s.state === 'disconnected');
    sup.start();
    await state;
    expect(opened).toEqual(
      process.platform === 'linux' ? ['/dev/serial/by-id/usb-Sim_Pad_1-if00'] : ['/dev/ttyACM1'],
    );
    await sup.stop();
  });

  it('When the pad simulator runs on a TCP port, the supervisor connects over tcp:// and a press arrives', async () => {
    const sim = new PadSimulator({ kind: 'tcp', port: 0 }, { serial: 'SIM-TCP' });
    // Port 0 is not printable before listen: pick a free port first.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    Object.assign(sim.link.options, { port });
    await sim.start();
    const driver = new PadDriver();
    const sup = new DeviceSupervisor({
      kind: 'pad',
      driver,
      config: { transport: 'tcp', url: sim.kioskPath },
    });
    const up = sup.next('state', 3000, (s) => s.state === 'connected');
    sup.start();
    await up;
    const rating = driver.next('rating', 2000);
    sim.press(2);
    expect(await rating).toMatchObject({ padSerial: 'SIM-TCP', key: 2 });
    expect(sup.snapshot()).toMatchObject({
      transport: 'tcp',
      path: sim.kioskPath,
      state: 'connected',
      model: 'RP1-SIM',
    });
    await sup.stop();
    await sim.stop();
  });
});
