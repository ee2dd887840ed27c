import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskStore } from '../../src/store/types.js';
import { draft, ID_NUMBER, newService, open, rateNewService, tempDir, type TempDir } from './helpers.js';

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

describe('statistics', () => {
  it('ratingsSummary counts levels, defaults, suppressed presses and abandoned 差评 inside [dayStart, dayEnd)', () => {
    rateNewService(store, 'very_satisfied', 100);
    rateNewService(store, 'satisfied', 110);
    rateNewService(store, 'dissatisfied', 120);
    const s = store.insertService(newService());
    store.commitRating({
      serviceId: s.id,
      level: 'basic',
      draft: draft('basic', { isDefault: '1', pf: '7' }),
      source: 'default',
      sessionId: null,
      at: 130,
    });
    rateNewService(store, 'satisfied', 500); // outside
    store.recordSuppressed({
      at: 105,
      level: 'basic',
      source: 'pad',
      reason: 'no-session',
      sessionId: null,
      flags: [],
    });
    const a = store.insertService(newService());
    store.recordAbandoned({
      serviceId: a.id,
      sessionId: a.sessionId,
      level: 'very_dissatisfied',
      at: 140,
      flags: ['no-reason'],
      catalogueVersion: 'v1',
    });

    expect(store.ratingsSummary(100, 200)).toEqual({
      counts: { very_satisfied: 1, satisfied: 1, basic: 1, dissatisfied: 1, very_dissatisfied: 0 },
      total: 4,
      satisfactionRate: 0.75,
      suppressed: 1,
      abandonedBad: 1,
      defaults: 1,
    });
    expect(store.ratingsSummary(1000, 2000).satisfactionRate).toBeNull();
  });

  it('gives the same exact figures whether the time index has caught up or not, and after ratings arrive in between', () => {
    rateNewService(store, 'satisfied', 100);
    rateNewService(store, 'dissatisfied', 150, { evalDetail: 'R01' });
    const before = store.ratingsSummary(100, 200);
    store.maintain();
    expect(store.ratingsSummary(100, 200)).toEqual(before);
    rateNewService(store, 'very_satisfied', 199);
    rateNewService(store, 'basic', 200);
    const mixed = store.ratingsSummary(100, 200);
    expect(mixed.counts).toMatchObject({ satisfied: 1, dissatisfied: 1, very_satisfied: 1, basic: 0 });
    store.maintain();
    expect(store.ratingsSummary(100, 200)).toEqual(mixed);
    expect(store.windowSatisfaction(150)).toEqual({ total: 3, good: 2 });
  });

  it('windowSatisfaction counts citizen ratings since a time, good meaning 基本满意 or better', () => {
    rateNewService(store, 'satisfied', 100);
    rateNewService(store, 'basic', 200);
    rateNewService(store, 'very_dissatisfied', 300);
    const s = store.insertService(newService());
    store.commitRating({
      serviceId: s.id,
      level: 'basic',
      draft: draft('basic', { isDefault: '1' }),
      source: 'default',
      sessionId: null,
      at: 400,
    });
    expect(store.windowSatisfaction(150)).toEqual({ total: 2, good: 1 });
    expect(store.windowSatisfaction(10_000)).toEqual({ total: 0, good: 0 });
  });

  it('idRatingsOnDay counts one card’s citizen ratings in the day by keyed digest, not by the clear number', () => {
    rateNewService(store, 'satisfied', 100, { certKey: ID_NUMBER });
    rateNewService(store, 'satisfied', 150, { certKey: ID_NUMBER.toLowerCase() });
    rateNewService(store, 'satisfied', 160, { certKey: '460100199001011234' });
    rateNewService(store, 'satisfied', 900, { certKey: ID_NUMBER });
    expect(store.idRatingsOnDay(ID_NUMBER, 0, 500)).toBe(2);
    expect(store.idRatingsOnDay('110101199001011234', 0, 500)).toBe(0);
  });

  it('counts() reports the size of every table the diagnostics screen shows', () => {
    rateNewService(store, 'satisfied');
    store.recordSuppressed({
      at: 1,
      level: null,
      source: 'pad',
      reason: 'no-session',
      sessionId: null,
      flags: [],
    });
    expect(store.counts()).toEqual({ ratings: 1, outbox: 1, suppressed: 1, abandoned: 0, services: 1 });
  });
});

describe('side records', () => {
  it('recordAbandoned stores the level with the no-reason flag and closes the service abandoned, counted in the heartbeat', () => {
    const s = store.insertService(newService());
    store.recordAbandoned({
      serviceId: s.id,
      sessionId: s.sessionId,
      level: 'dissatisfied',
      at: 7,
      flags: ['too-fast'],
      catalogueVersion: 'v3',
    });
    expect(store.getService(s.id)).toMatchObject({ outcome: 'abandoned', closedAt: 7 });
    expect(store.abandonedBadCount()).toBe(1);
    expect(store.lastLink().seq).toBe(0); // not a chain record (domain-rules §6)
    const raw = new Database(t.dbPath, { readonly: true });
    expect(raw.prepare('SELECT flags, catalogue_version FROM abandoned').get()).toEqual({
      flags: '["too-fast","no-reason"]',
      catalogue_version: 'v3',
    });
    raw.close();
    expect(() =>
      store.recordAbandoned({
        serviceId: 999,
        sessionId: 'x',
        level: 'dissatisfied',
        at: 1,
        flags: [],
        catalogueVersion: 'v',
      }),
    ).toThrow(expect.objectContaining({ code: 'E2207' }));
  });

  it('recordSuppressed keeps the press with its pad event and refuses the same event twice with E2203', () => {
    const padEvent = { padSerial: 'RP1-9', eventCounter: 3 };
    store.recordSuppressed({
      at: 1,
      level: 'satisfied',
      source: 'pad',
      reason: 'no-session',
      sessionId: null,
      flags: ['x'],
      padEvent,
    });
    expect(store.padEventSeen('RP1-9', 3)).toBe(true);
    expect(() =>
      store.recordSuppressed({
        at: 2,
        level: 'satisfied',
        source: 'pad',
        reason: 'no-session',
        sessionId: null,
        flags: [],
        padEvent,
      }),
    ).toThrow(expect.objectContaining({ code: 'E2203' }));
    expect(store.counts().suppressed).toBe(1);
  });

  it('audit appends the entry with its detail as JSON', () => {
    store.audit({ at: 5, actor: 'technician', action: 'outbox.resend', detail: { seq: 3 } });
    const raw = new Database(t.dbPath, { readonly: true });
    expect(raw.prepare('SELECT at, actor, action, detail FROM audit').all()).toEqual([
      { at: 5, actor: 'technician', action: 'outbox.resend', detail: '{"seq":3}' },
    ]);
    raw.close();
  });
});
