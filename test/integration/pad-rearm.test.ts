/**
 * The pad is kept armed for the open session (issue 16 item 1, rating-pad-rp1.md ARM / PONG / NAK): the
 * simulated pad speaks real RP/1 bytes over a socat pty to the real driver; presses go through the kiosk
 * core and the session engine into the SQLite store, so "rated" means a rating row, not a driver event.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKioskCore, type RunningCore } from '../../src/app/core-factory.js';
import { createLogger, silentLogger } from '../../src/app/logger.js';
import type { PadSimulator } from '../../drivers/sim/pad-sim.js';
import type { Rp1Message } from '../../drivers/pad/rp1-messages.js';
import { makeDataDir } from '../support/kiosk-process.js';
import { until } from '../support/polling.js';
import { completedService } from '../support/services.js';

describe('the pad is armed for the open session, whatever happened to it', () => {
  let running: RunningCore;
  let dataDir: string;
  let pad: PadSimulator;
  let ticket = 0;

  const ratings = () => {
    const db = new Database(path.join(dataDir, 'kiosk.sqlite'), { readonly: true });
    try {
      return db.prepare('SELECT seq, level, source FROM ratings ORDER BY seq').all() as Array<{
        seq: number;
        level: string;
        source: string;
      }>;
    } finally {
      db.close();
    }
  };
  const padSnapshot = () => running.devices.snapshot().find((d) => d.kind === 'pad');
  const padConnected = () => (padSnapshot()?.state === 'connected' ? padSnapshot() : undefined);
  const arms = () => pad.received.filter((m): m is Extract<Rp1Message, { type: 'arm' }> => m.type === 'arm');
  const completeService = () => {
    ticket += 1;
    return running.core.serviceCompleted(completedService(`R${ticket}`)).sessionId;
  };
  /** Opens a session and waits until the pad holds it armed; answers the pad session id. */
  const openArmedSession = async () => {
    const before = arms().length;
    completeService();
    const arm = await until('the ARM reached the pad', () => arms()[before]);
    await until('the pad armed', () => pad.armedSession === arm.sessionId);
    return arm.sessionId;
  };
  /** A press on the pad is stored as a rating of that level. */
  const pressRates = async (key: number, level: string) => {
    const before = ratings().length;
    pad.press(key);
    const rows = await until('the press stored as a rating', () =>
      ratings().length === before + 1 ? ratings() : null,
    );
    expect(rows[before]).toMatchObject({ level, source: 'pad' });
  };

  beforeAll(async () => {
    dataDir = makeDataDir('hcp-rearm-');
    running = await createKioskCore({
      dataDir,
      demo: true,
      log: process.env.DEBUG_PAD ? createLogger() : silentLogger,
      demoOverrides: { session: { responseIntervalSec: 0 } },
    });
    pad = running.devices.simulators?.pad as PadSimulator;
    await until('the pad connected', padConnected);
  }, 30_000);

  afterAll(async () => {
    await running?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('When the pad is replugged during an open session, it gets the session ARM again and a press rates the session', async () => {
    const sessionId = await openArmedSession();
    await pad.unplug(); // power lost: the pad comes back disarmed
    await pad.replug();
    await until('the replugged pad armed with the open session', () => pad.armedSession === sessionId);
    // The keys are lit for it after the ARM, never before: the last SET_LED after the new ARM is steady.
    const lastArm = pad.received.lastIndexOf(arms().at(-1)!);
    await until('the LEDs re-sent after the ARM', () =>
      pad.received.slice(lastArm).some((m) => m.type === 'setLed' && m.pattern === 1),
    );
    await pressRates(2, 'satisfied');
  });

  it('When a PONG shows the pad disarmed during an open session (a reset without replug), it is re-armed at once and a press rates the session', async () => {
    const sessionId = await openArmedSession();
    pad.forgetArm();
    await until('the pad re-armed after its next PONG', () => pad.armedSession === sessionId, 3_000);
    await pressRates(1, 'very_satisfied');
  });

  it('When a session opens while the pad is away, its ARM is kept and sent on reconnect, and a press rates the session', async () => {
    await pad.unplug();
    await until('the pad seen as gone', () => padSnapshot()?.state !== 'connected');
    completeService(); // its ARM fails now: the pad is not there
    await pad.replug();
    await until('the pad armed after the reconnect', () => pad.armedSession !== 0);
    await pressRates(3, 'basic');
  });

  it('When a PONG shows the pad still armed after its session ended, it is disarmed at once', async () => {
    const sessionId = await openArmedSession();
    await pressRates(2, 'satisfied');
    await until('the session closed and the pad disarmed', () => pad.armedSession === 0);
    pad.armedSession = sessionId; // the DISARM was lost inside the pad: it still thinks it is armed
    await until('the pad disarmed after its next PONG', () => pad.armedSession === 0, 3_000);
  });

  it('When the pad answers the session ARM with NAK busy for a moment, the kiosk retransmits it later and a press rates the session', async () => {
    const naksBefore = padSnapshot()!.counters.naks;
    pad.busyOnNext('arm', 250); // from the ARM's arrival: three NAKs sent back-to-back would all be refused
    await openArmedSession();
    expect(padSnapshot()!.counters.naks).toBeGreaterThan(naksBefore);
    expect(arms().at(-1)).toBeDefined();
    await pressRates(2, 'satisfied');
  });

  it('When the pad refuses an ARM with NAK bad payload, the refusal is reported (E4006) and not repeated on every PONG', async () => {
    const armsBefore = arms().length;
    pad.nakNext('arm', 3);
    completeService();
    await until('the refusal reported', () => padSnapshot()?.lastError === 'E4006' || null);
    const pingsAt = pad.received.filter((m) => m.type === 'ping').length;
    await until(
      'two PONGs answered since',
      () => pad.received.filter((m) => m.type === 'ping').length >= pingsAt + 2,
    );
    // The refused ARM reached the pad (the sim records only frames it handled): no repeat after it.
    expect(arms().length).toBe(armsBefore);
    expect(pad.armedSession).toBe(0);
  });
});
