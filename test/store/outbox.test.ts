import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KioskStore } from '../../src/store/types.js';
import {
  draft,
  draftFor,
  ID_NUMBER,
  NAME,
  newService,
  open,
  rateNewService,
  tempDir,
  type TempDir,
} from './helpers.js';

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

describe('outbox', () => {
  it('nextBatch returns 差评 first, then lowest seq, up to the limit', () => {
    rateNewService(store, 'satisfied', 1);
    rateNewService(store, 'dissatisfied', 2);
    rateNewService(store, 'basic', 3);
    rateNewService(store, 'very_dissatisfied', 4);
    expect(store.nextBatch(10).map((i) => [i.seq, i.bad])).toEqual([
      [2, true],
      [4, true],
      [1, false],
      [3, false],
    ]);
    expect(store.nextBatch(2).map((i) => i.seq)).toEqual([2, 4]);
    const item = store.nextBatch(1)[0]!;
    expect(item).toMatchObject({ attempts: 0, createdAt: 2 });
    expect(item.ratingId).toBe(item.record.ratingId);
  });

  it('markDelivered and markDead take items out of nextBatch; stats count them', () => {
    for (let i = 1; i <= 4; i++) rateNewService(store, 'satisfied', i * 10);
    store.markDelivered(
      [
        { seq: 1, status: 'accepted' },
        { seq: 2, status: 'duplicate' },
      ],
      100,
    );
    store.markDead(3, 'REASON_REQUIRED', 'evalDetail missing', 101);
    expect(store.nextBatch(10).map((i) => i.seq)).toEqual([4]);
    expect(store.stats()).toEqual({
      depth: 1,
      oldestUnsentAt: 40,
      delivered: 2,
      deadLetters: [
        {
          seq: 3,
          ratingId: store.getRating(3)!.record.ratingId,
          code: 'REASON_REQUIRED',
          message: 'evalDetail missing',
          at: 101,
        },
      ],
    });
  });

  it('recordAttempt counts failed attempts on pending items only', () => {
    rateNewService(store, 'satisfied');
    rateNewService(store, 'satisfied');
    store.markDelivered([{ seq: 2, status: 'accepted' }], 5);
    store.recordAttempt([1, 2], 10, 'E6001');
    store.recordAttempt([1], 11, 'E6001');
    expect(store.nextBatch(5).map((i) => [i.seq, i.attempts])).toEqual([[1, 2]]);
  });

  it('resend puts a dead letter back to pending and returns false for anything else', () => {
    rateNewService(store, 'satisfied');
    expect(store.resend(1, 5)).toBe(false);
    store.markDead(1, 'X', 'y', 2);
    expect(store.resend(1, 5)).toBe(true);
    expect(store.nextBatch(5).map((i) => i.seq)).toEqual([1]);
    expect(store.stats().deadLetters).toEqual([]);
    store.markDelivered([{ seq: 1, status: 'accepted' }], 6);
    expect(store.resend(1, 7)).toBe(false);
  });

  it('erasePii empties PII only of records delivered by the cut-off, and the chain still verifies', () => {
    const citizen = {
      certKey: ID_NUMBER,
      userName: NAME,
      userProp: '1' as const,
      certType: 'id-card' as const,
    };
    const pii = { certKey: ID_NUMBER, userName: NAME };
    const s1 = store.insertService(newService({ citizen }));
    const s2 = store.insertService(newService({ citizen }));
    store.commitRating({
      serviceId: s1.id,
      level: 'basic',
      draft: draftFor('basic', 1, s1),
      source: 'pad',
      sessionId: null,
      at: 1,
    });
    store.commitRating({
      serviceId: s2.id,
      level: 'basic',
      draft: draftFor('basic', 2, s2),
      source: 'pad',
      sessionId: null,
      at: 2,
    });
    rateNewService(store, 'satisfied', 3, pii);
    store.markDelivered([{ seq: 1, status: 'accepted' }], 100);
    store.markDelivered([{ seq: 3, status: 'accepted' }], 300);
    expect(store.erasePii(200, 100).erased).toBe(1);
    expect(store.getRating(1)!.record.certKey).toBeUndefined();
    expect(store.getRating(1)!.record.userName).toBeUndefined();
    expect(store.serviceCitizen(s1.id)).toBeNull();
    expect(store.getRating(2)!.record.certKey).toBe(ID_NUMBER); // not delivered
    expect(store.serviceCitizen(s2.id)).toEqual(citizen);
    expect(store.getRating(3)!.record.certKey).toBe(ID_NUMBER); // delivered after the cut-off
    expect(store.erasePii(200, 100).erased).toBe(0);
    expect(store.verifyChain(400)).toMatchObject({ ok: true, lastSeq: 3 });
  });

  it('a rating carries the identity sealed in its service, copied as ciphertext, and the erase empties both', () => {
    const citizen = { certKey: ID_NUMBER, userName: NAME, userProp: '2' as const, certType: 'uscc' as const };
    const s = store.insertService(newService({ citizen }));
    store.commitRating({
      serviceId: s.id,
      level: 'satisfied',
      draft: draftFor('satisfied', 1, s),
      source: 'pad',
      sessionId: null,
      at: 1,
    });
    const [item] = store.nextBatch(1);
    expect(item!.record.certKey).toBe(ID_NUMBER);
    expect(item!.record.userName).toBe(NAME);
    // Only certKey/userName come from the sealed identity; userProp/userPageType stay those of the record.
    expect(item!.record.userProp).toBe('1');
    expect(store.idRatingsOnDay(ID_NUMBER, 0, 10)).toBe(1);
    store.markDelivered([{ seq: 1, status: 'accepted' }], 5);
    expect(store.erasePii(5, 100).erased).toBe(1);
    expect(store.getRating(1)!.record.certKey).toBeUndefined();
    expect(store.serviceCitizen(s.id)).toBeNull();
    expect(store.verifyChain(6)).toMatchObject({ ok: true, lastSeq: 1 });
  });

  it('refuses a draft that carries PII (E2205) and a rating for an unknown service (E2207), storing nothing', () => {
    const s = store.insertService(newService());
    const base = { level: 'basic' as const, source: 'pad', sessionId: null, at: 1 };
    expect(() =>
      store.commitRating({ ...base, serviceId: s.id, draft: draft('basic', { certKey: ID_NUMBER }) }),
    ).toThrow(expect.objectContaining({ code: 'E2205' }));
    expect(() =>
      store.commitRating({ ...base, serviceId: null, draft: draft('basic', { userName: NAME }) }),
    ).toThrow(expect.objectContaining({ code: 'E2205' }));
    expect(() => store.commitRating({ ...base, serviceId: 999, draft: draft('basic') })).toThrow(
      expect.objectContaining({ code: 'E2207' }),
    );
    expect(store.counts()).toMatchObject({ ratings: 0, outbox: 0 });
    expect(store.stats().depth).toBe(0);
  });

  it('keeps depth and delivered counts exact through deliveries, dead letters, resends and a reopen', () => {
    for (let i = 0; i < 6; i++) rateNewService(store, i % 2 === 0 ? 'satisfied' : 'dissatisfied', 1_000 + i);
    store.markDelivered(
      [
        { seq: 2, status: 'accepted' },
        { seq: 3, status: 'duplicate' },
        { seq: 3, status: 'accepted' },
      ],
      2_000,
    );
    store.markDead(4, 'REJECTED', 'x', 2_001);
    store.markDead(2, 'REJECTED', 'already delivered: ignored', 2_002);
    expect(store.stats()).toMatchObject({ depth: 3, delivered: 2, oldestUnsentAt: 1_000 });
    expect(store.stats().deadLetters.map((d) => d.seq)).toEqual([4]);
    expect(store.resend(4, 2_003)).toBe(true);
    expect(store.stats()).toMatchObject({ depth: 4, deadLetters: [] });
    expect(store.nextBatch(10).map((i) => i.seq)).toEqual([4, 6, 1, 5]);
    store.markDelivered([{ seq: 1, status: 'accepted' }], 2_004);
    expect(store.stats()).toMatchObject({ oldestUnsentAt: 1_003 });
    const before = store.stats();
    store.close();
    store = open(t.dbPath);
    expect(store.stats()).toEqual(before);
    expect(store.counts().outbox).toBe(6);
  });

  it('erasePii resumes where it stopped: a delivery after the cut-off is erased by a later call, older ones once', () => {
    const pii = { certKey: ID_NUMBER, userName: NAME };
    for (let i = 0; i < 3; i++) rateNewService(store, 'basic', 1 + i, pii);
    store.markDelivered([{ seq: 2, status: 'accepted' }], 100);
    store.markDelivered([{ seq: 1, status: 'accepted' }], 200);
    store.markDelivered([{ seq: 3, status: 'accepted' }], 300);
    expect(store.erasePii(150, 100).erased).toBe(1);
    expect(store.getRating(2)!.record.certKey).toBeUndefined();
    expect(store.getRating(1)!.record.certKey).toBe(ID_NUMBER);
    expect(store.erasePii(250, 100).erased).toBe(1);
    expect(store.erasePii(250, 100).erased).toBe(0);
    expect(store.getRating(3)!.record.certKey).toBe(ID_NUMBER);
    expect(store.erasePii(10_000, 100).erased).toBe(1);
    expect([1, 2, 3].map((seq) => store.getRating(seq)!.record.certKey)).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('refuses to replace the identity of a rated service (E2202) but lets the erase empty it', () => {
    const citizen = {
      certKey: ID_NUMBER,
      userName: NAME,
      userProp: '1' as const,
      certType: 'id-card' as const,
    };
    const { serviceId } = rateNewService(store, 'basic', 1, { certKey: ID_NUMBER, userName: NAME });
    expect(() => store.setServiceCitizen(serviceId, { ...citizen, userName: '李四' })).toThrow(/E2202/);
    expect(store.getRating(1)!.record.userName).toBe(NAME);
    store.markDelivered([{ seq: 1, status: 'accepted' }], 10);
    expect(store.erasePii(10, 100).erased).toBe(1);
    expect(store.serviceCitizen(serviceId)).toBeNull();
  });

  it('erasePii looks at no more deliveries than its budget and says when more are left', () => {
    const pii = { certKey: ID_NUMBER, userName: NAME };
    for (let i = 0; i < 5; i++) rateNewService(store, 'basic', 1 + i, pii);
    store.markDelivered(
      [1, 2, 3, 4, 5].map((seq) => ({ seq, status: 'accepted' as const })),
      100,
    );
    expect(store.erasePii(100, 2)).toEqual({ erased: 2, more: true });
    expect(store.erasePii(100, 2)).toEqual({ erased: 2, more: true });
    expect(store.erasePii(100, 2)).toEqual({ erased: 1, more: false });
    expect(store.erasePii(100, 2)).toEqual({ erased: 0, more: false });
    expect([1, 2, 3, 4, 5].every((seq) => store.getRating(seq)!.record.certKey === undefined)).toBe(true);
  });

  it('erasePii also drops the identity of abandoned services, which is never sent', () => {
    const s = store.insertService(
      newService({
        citizen: { certKey: ID_NUMBER, userName: NAME, userProp: '1', certType: 'id-card' as const },
      }),
    );
    store.recordAbandoned({
      serviceId: s.id,
      sessionId: s.sessionId,
      level: 'dissatisfied',
      at: 10,
      flags: [],
      catalogueVersion: 'v1',
    });
    store.erasePii(20, 100);
    expect(store.serviceCitizen(s.id)).toBeNull();
  });
});

describe('defaultCandidates', () => {
  it('lists unrated and superseded services completed before the time, without a rating; never abandoned or open ones', () => {
    const unrated = store.insertService(newService({ completedAt: 100 }));
    store.closeService(unrated.id, 'unrated', 101);
    const superseded = store.insertService(newService({ completedAt: 50 }));
    store.closeService(superseded.id, 'superseded', 51);
    const later = store.insertService(newService({ completedAt: 900 }));
    store.closeService(later.id, 'unrated', 901);
    const abandoned = store.insertService(newService({ completedAt: 10 }));
    store.recordAbandoned({
      serviceId: abandoned.id,
      sessionId: abandoned.sessionId,
      level: 'dissatisfied',
      at: 11,
      flags: [],
      catalogueVersion: 'v1',
    });
    store.insertService(newService({ completedAt: 20 })); // still open
    rateNewService(store, 'satisfied');

    const found = store.defaultCandidates(500, 10);
    expect(found.map((c) => c.serviceId)).toEqual([superseded.id, unrated.id]);
    expect(found[0]).toEqual({
      serviceId: superseded.id,
      ticketNo: superseded.ticketNo,
      projectNo: null,
      serviceNumber: '1',
      node: 'completed',
      taskCode: 'T-1',
      taskName: '个体工商户设立登记',
      completedAt: 50,
      staffId: 'S007',
      staffName: '李四',
    });
    expect(store.defaultCandidates(500, 1)).toHaveLength(1);
  });

  it('drops a service once its default rating is committed', () => {
    const s = store.insertService(newService({ completedAt: 100 }));
    store.closeService(s.id, 'unrated', 101);
    store.commitRating({
      serviceId: s.id,
      level: 'basic',
      draft: draft('basic', { isDefault: '1', pf: '7' }),
      source: 'default',
      sessionId: null,
      at: 200,
    });
    expect(store.defaultCandidates(500, 10)).toEqual([]);
    expect(store.getService(s.id)!.outcome).toBe('unrated'); // the session's own ending is kept
  });
});

describe('catalogue cache', () => {
  it('is empty at first and keeps the latest saved version', () => {
    expect(store.loadCatalogue()).toBeNull();
    store.saveCatalogue('v1', '{"a":1}', 1);
    store.saveCatalogue('v2', '{"a":2}', 2);
    expect(store.loadCatalogue()).toEqual({ version: 'v2', json: '{"a":2}' });
  });
});
