import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskStore } from '../../src/store/types.js';
import { open, rateNewService, tempDir, type TempDir } from './helpers.js';

let t: TempDir;
let store: KioskStore;
beforeEach(() => {
  t = tempDir();
  store = open(t.dbPath);
});
afterEach(() => {
  store.close();
  t.cleanup();
});

describe('idle maintenance', () => {
  it('copies the WAL into the database file on its own thread, and the ratings are all there', async () => {
    for (let i = 0; i < 200; i++) rateNewService(store, 'satisfied', 1_000 + i);
    const before = statSync(t.dbPath).size;
    await store.maintain();
    expect(statSync(t.dbPath).size).toBeGreaterThan(before);
    // Another connection sees every rating (from the file and whatever is still in the WAL).
    const db = new Database(t.dbPath, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM ratings').get()).toEqual({ n: 200 });
    db.close();
    // Commits go on meanwhile and after.
    rateNewService(store, 'basic', 5_000);
    expect(store.lastLink().seq).toBe(201);
  });

  it('fills the day reports’ time index in bounded steps until it has caught up', () => {
    for (let i = 0; i < 1_200; i++) rateNewService(store, 'satisfied', 1_000 + i);
    expect([1, 2, 3, 4].map(() => store.catchUpTimeIndex())).toEqual([500, 500, 200, 0]);
    expect(store.ratingsSummary(0, 10_000).total).toBe(1_200);
  });

  it('can be called after close without effect', async () => {
    store.close();
    await expect(store.maintain()).resolves.toBeUndefined();
  });
});

describe('the checkpoint thread', () => {
  // A kiosk draining a backlog commits every few milliseconds for minutes. The WAL must still be restarted
  // (written again from its start) every so often, or it grows for as long as the writes go on.
  it('keeps restarting the WAL while commits go on every few milliseconds, with no further request', async () => {
    const reference = tempDir();
    const unmaintained = open(reference.dbPath);
    try {
      await store.maintain(); // starts the thread; from here on it catches up by itself
      const until = Date.now() + 4_000;
      let at = 1_000;
      while (Date.now() < until) {
        rateNewService(store, 'satisfied', at);
        rateNewService(unmaintained, 'satisfied', at); // the same commits, never checkpointed
        at += 1;
        await new Promise((resolve) => setTimeout(resolve, 4));
      }
      const grown = statSync(`${reference.dbPath}-wal`).size;
      // Restarted every 400 ms or so, it holds a small part of the four seconds’ frames (half, with a wide margin).
      expect(statSync(`${t.dbPath}-wal`).size).toBeLessThan(grown / 2);
      expect(store.lastLink().seq).toBe(unmaintained.lastLink().seq);
    } finally {
      unmaintained.close();
      reference.cleanup();
    }
  });
});
