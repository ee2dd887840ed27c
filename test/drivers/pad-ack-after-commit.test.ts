/**
 * Commit first, then ACK (issue 15 item 7), over a real socat pty: a RATING that the kiosk could not store
 * (its listener threw) is NAKed busy, not ACKed, so the pad keeps it and sends it again; once stored it is
 * ACKed and the pad stops sending it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PadDriver, type PadRatingEvent } from '../../drivers/pad/pad-driver.js';
import { PadSimulator } from '../../drivers/sim/pad-sim.js';
import { DeviceSupervisor } from '../../drivers/supervisor.js';
import { setListenerErrorSink } from '../../src/shared/listener-errors.js';
import { until } from '../support/polling.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function connectedPad() {
  const sim = new PadSimulator({ kind: 'pty', name: 'pad' }, { serial: 'SIM-ACK', eventCounter: 500 });
  await sim.start();
  const driver = new PadDriver();
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
  return { sim, driver };
}

describe('RP/1 RATING acknowledgement', () => {
  it('a RATING whose listener failed to store it is not ACKed: the pad sends it again and it is stored from the retransmission', async () => {
    setListenerErrorSink(() => undefined);
    cleanups.push(() => setListenerErrorSink(null));
    const { sim, driver } = await connectedPad();
    const stored: PadRatingEvent[] = [];
    let attempts = 0;
    driver.on('rating', (rating) => {
      attempts += 1;
      // The first attempt meets a full disk; the next one finds space again.
      if (attempts === 1) throw new Error('SQLITE_FULL');
      stored.push(rating);
    });
    await driver.arm(9, 30);
    const counter = sim.press(2);
    await until('the RATING stored from a retransmission', () => stored.length > 0, 5000);
    expect(stored[0]).toMatchObject({ eventCounter: counter, padSessionId: 9, retransmitted: true });
    expect(attempts).toBe(2);
  });
});
