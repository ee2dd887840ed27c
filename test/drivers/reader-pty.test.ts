/** Integration over a real socat pty pair: the simulated SAM reader and the reader driver under the supervisor. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReaderDriver } from '../../drivers/idcard/reader-driver.js';
import * as ids from '../../drivers/sim/identities.js';
import { ReaderSimulator } from '../../drivers/sim/reader-sim.js';
import { DeviceSupervisor } from '../../drivers/supervisor.js';

let sim: ReaderSimulator;
let driver: ReaderDriver;
let supervisor: DeviceSupervisor;

beforeAll(async () => {
  sim = new ReaderSimulator({ kind: 'pty', name: 'reader' });
  await sim.start();
  driver = new ReaderDriver({ pollIntervalMs: 100 });
  supervisor = new DeviceSupervisor({
    kind: 'reader',
    driver,
    config: { transport: 'serial', path: sim.kioskPath, baudRate: 115200 },
    initialBackoffMs: 100,
  });
  const up = supervisor.next('state', 5000, (s) => s.state === 'connected');
  supervisor.start();
  await up;
});
afterAll(async () => {
  await supervisor.stop();
  await sim.stop();
});

/** Presents a card and waits for the card or error event it causes, then removes it. */
async function present(identity: typeof ids.MAINLAND) {
  const outcome = Promise.race([
    driver.next('card', 3000).then((c) => ({ card: c.identity })),
    driver.next('error', 3000).then((e) => ({ error: e.code })),
  ]);
  sim.presentCard(identity);
  try {
    return await outcome;
  } finally {
    sim.removeCard();
    await driver.next('removed', 3000);
  }
}

describe('SAM reader over a socat pty', () => {
  it('reads the SAM id at start and shows it in the snapshot', () => {
    expect(supervisor.snapshot()).toMatchObject({
      kind: 'reader',
      state: 'connected',
      samId: '05.01-20240101-000000001-000000042',
    });
  });

  it.each([
    ['mainland', ids.MAINLAND],
    ['HK/Macao/Taiwan', ids.HK_MO_TW],
    ['foreign 2017', ids.FOREIGN],
    ['foreign 2023 (Y)', ids.FOREIGN_2023],
    ['long-term mainland', ids.MAINLAND_LONG_TERM],
  ])('When a %s card is presented, the driver emits it with every field decoded', async (_name, identity) => {
    expect(await present(identity)).toEqual({ card: identity });
  });

  it('When the same card stays in the field, it is read once until find answers 80 again', async () => {
    const cards: unknown[] = [];
    const off = driver.on('card', (c) => cards.push(c));
    sim.presentCard(ids.MAINLAND);
    await driver.next('card', 3000);
    await new Promise((r) => setTimeout(r, 450));
    sim.removeCard();
    await driver.next('removed', 3000);
    off();
    expect(cards).toHaveLength(1);
    expect(sim.requests.filter((r) => r === 'readText').length).toBeGreaterThan(0);
  });

  it('When the ID number fails its check digit, the driver reports read error E5006 and no card', async () => {
    expect(await present(ids.BAD_CHECK_DIGIT)).toEqual({ error: 'E5006' });
  });

  it('When a card has a 9… number without the Y card type, the driver reports E5007 and does not guess', async () => {
    expect(await present(ids.NINE_WITHOUT_Y_TYPE)).toEqual({ error: 'E5007' });
  });

  it('When a reply has a corrupt checksum, the driver reports E5002, keeps the link and reads the card on the next poll', async () => {
    const error = driver.next('error', 3000);
    const card = driver.next('card', 3000);
    sim.corruptNextChecksum();
    sim.presentCard(ids.HK_MO_TW);
    expect((await error).code).toBe('E5002');
    expect((await card).identity.certKey).toBe(ids.HK_MO_TW.certKey);
    sim.removeCard();
    await driver.next('removed', 3000);
    expect(driver.stats.counters.checkErrors).toBeGreaterThanOrEqual(1);
    expect(supervisor.state).toBe('connected');
  });

  it.each([
    [0x60, 'E5003'],
    [0x66, 'E5004'],
  ])(
    'When the SAM status answers %i, the driver reports its code once and recovers when the SAM does',
    async (sw3, code) => {
      const errors: string[] = [];
      const off = driver.on('error', (e) => errors.push(e.code));
      sim.samStatus = sw3;
      await new Promise((r) => setTimeout(r, 450));
      sim.samStatus = 0x90;
      const card = driver.next('card', 3000);
      sim.presentCard(ids.MAINLAND);
      await card;
      sim.removeCard();
      await driver.next('removed', 3000);
      off();
      expect(errors).toEqual([code]);
    },
  );

  it('When garbage arrives between replies, it is discarded and the next card is read', async () => {
    sim.sendGarbage(200);
    expect(await present(ids.FOREIGN)).toEqual({ card: ids.FOREIGN });
    expect(driver.stats.counters.bytesDiscarded).toBeGreaterThanOrEqual(200);
  });

  it('When the reader stalls past the poll timeout, the link is closed (E5008) and reopened', async () => {
    const down = supervisor.next('state', 3000, (s) => s.state === 'disconnected');
    sim.stall(700);
    expect((await down).code).toBe('E5008');
    await supervisor.next('state', 5000, (s) => s.state === 'connected');
    expect(await present(ids.MAINLAND)).toEqual({ card: ids.MAINLAND });
  });

  it('When the reader is unplugged and replugged, the supervisor reopens it and the next card is read', async () => {
    const down = supervisor.next('state', 3000, (s) => s.state === 'disconnected');
    await sim.unplug();
    expect((await down).code).toBe('E5010');
    const up = supervisor.next('state', 10_000, (s) => s.state === 'connected');
    await sim.replug();
    await up;
    expect(await present(ids.MAINLAND)).toEqual({ card: ids.MAINLAND });
    expect(supervisor.snapshot().counters.reconnects).toBeGreaterThanOrEqual(2);
  });

  it('When the reader has recovered, diagnostics show no current code but keep the last error and its time', async () => {
    const before = Date.now();
    const down = supervisor.next('state', 3000, (s) => s.state === 'disconnected');
    await sim.unplug();
    await down;
    expect(supervisor.snapshot()).toMatchObject({ state: 'disconnected', stateCode: 'E5010' });
    const up = supervisor.next('state', 5000, (s) => s.state === 'connected');
    await sim.replug();
    await up;
    const snap = supervisor.snapshot();
    expect(snap).toMatchObject({ state: 'connected', stateCode: null, lastError: 'E5010' });
    expect(snap.lastErrorAt).toBeGreaterThanOrEqual(before);
    expect(snap.lastErrorAt).toBeLessThanOrEqual(Date.now());
  });
});
