/** Integration over a real socat pty pair: the simulated pad speaks RP/1 bytes to the driver. */
import { afterEach, describe, expect, it } from 'vitest';
import { PadDriver, type PadRatingEvent } from '../../drivers/pad/pad-driver.js';
import { PadSimulator } from '../../drivers/sim/pad-sim.js';
import { DeviceSupervisor } from '../../drivers/supervisor.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setUp(pingIntervalMs = 1000) {
  const sim = new PadSimulator({ kind: 'pty', name: 'pad' }, { serial: 'SIM-PAD-PTY', eventCounter: 100 });
  await sim.start();
  const driver = new PadDriver({ pingIntervalMs });
  const supervisor = new DeviceSupervisor({
    kind: 'pad',
    driver,
    config: { transport: 'serial', path: sim.kioskPath, baudRate: 115200 },
  });
  cleanups.push(
    () => sim.stop(),
    () => supervisor.stop(),
  );
  const connected = supervisor.next('state', 5000, (e) => e.state === 'connected');
  supervisor.start();
  await connected;
  return { sim, driver, supervisor };
}

describe('RP/1 pad over a socat pty', () => {
  it('When a key is pressed on the simulated pad, the driver emits a rating with the pad serial and counter, and the pad gets its ACK', async () => {
    const { sim, driver } = await setUp();
    expect(driver.hello).toMatchObject({
      serial: 'SIM-PAD-PTY',
      model: 'RP1-SIM',
      firmware: '1.2',
      keyCount: 5,
    });
    await driver.arm(7, 30);
    const rating = driver.next('rating', 2000);
    const key = driver.next('key', 2000);
    const counter = sim.press(3);
    expect(await rating).toMatchObject({
      padSerial: 'SIM-PAD-PTY',
      eventCounter: counter,
      padSessionId: 7,
      key: 3,
      retransmitted: false,
    });
    expect(await key).toMatchObject({ key: 3, down: true });
    await new Promise((r) => setTimeout(r, 150));
    expect(sim.received.some((m) => m.type === 'arm')).toBe(true);
    expect(driver.stats.counters.framesIn).toBeGreaterThan(0);
  });

  it('When the pad is unplugged mid-frame, the driver reconnects, re-handshakes, the cut RATING is replayed with the same (serial, counter) and the next press arrives', async () => {
    const { sim, driver, supervisor } = await setUp(250);
    const ratings: PadRatingEvent[] = [];
    driver.on('rating', (r) => ratings.push(r));
    const down = supervisor.next('state', 5000, (e) => e.state === 'disconnected');
    const t0 = performance.now();
    const cut = await sim.pressAndUnplugMidFrame(2);
    const lost = await down;
    expect(lost.code).toBe('E4004');
    expect(performance.now() - t0).toBeLessThan(3000); // state changes within 3 s
    const hello = driver.next('hello', 10_000);
    const replayed = driver.next('rating', 10_000, (r) => r.eventCounter === cut);
    await sim.replug();
    await hello;
    expect(await replayed).toMatchObject({
      padSerial: 'SIM-PAD-PTY',
      eventCounter: cut,
      key: 2,
      retransmitted: true,
    });
    const next = driver.next('rating', 3000, (r) => r.eventCounter === cut + 1);
    sim.press(5);
    expect(await next).toMatchObject({ key: 5, eventCounter: cut + 1 });
    expect(ratings.filter((r) => r.eventCounter === cut)).toHaveLength(1);
    expect(supervisor.snapshot()).toMatchObject({ kind: 'pad', state: 'connected', serial: 'SIM-PAD-PTY' });
    expect(supervisor.snapshot().counters.reconnects).toBe(1);
    expect(supervisor.snapshot().counters.bytesDiscarded).toBeGreaterThanOrEqual(0);
  });
});
