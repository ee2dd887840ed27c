import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_ERRORS } from '../../src/shared/errors/store.js';
import type { KioskStore } from '../../src/store/types.js';
import { serviceKeyOf, shanghaiDay } from '../../src/rating-path/index.js';
import { draft, ID_NUMBER, NAME, newService, open, tempDir, type TempDir } from './helpers.js';

/** newService() completes at 1_700_000_000_000; DAY_2 is the next Asia/Shanghai day. */
const DAY_1 = shanghaiDay(1_700_000_000_000);
const DAY_2 = 1_700_000_000_000 + 86_400_000;

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

const citizen = { certKey: ID_NUMBER, userName: NAME, userProp: '1' as const, certType: 'id-card' as const };

describe('services', () => {
  it('insertService returns the stored row, open, and findService/getService find it', () => {
    const input = newService({ projectNo: 'P-1' });
    const row = store.insertService(input);
    const { citizen: _c, ...rest } = input;
    expect(row).toEqual({ ...rest, id: row.id, outcome: null, closedAt: null, hasCitizen: false });
    expect(store.findService(serviceKeyOf(input))).toEqual(row);
    expect(store.findService(serviceKeyOf({ ...input, projectNo: null }))).toBeUndefined();
    expect(store.getService(row.id)).toEqual(row);
    expect(store.getService(999)).toBeUndefined();
  });

  it('refuses the same service key twice with E2206', () => {
    const input = newService();
    store.insertService(input);
    expect(() => store.insertService({ ...input, sessionId: 'other' })).toThrow(
      expect.objectContaining({ code: STORE_ERRORS.duplicateService.code }),
    );
    const project = newService({ projectNo: 'P-9' });
    store.insertService(project);
    // Another ticket, another day: with a projectNo the key is (projectNo, serviceNumber, node) alone.
    expect(() =>
      store.insertService({ ...project, ticketNo: 'Z9', sessionId: 'p2', completedAt: DAY_2 }),
    ).toThrow(expect.objectContaining({ code: STORE_ERRORS.duplicateService.code }));
  });

  it("finds tomorrow's ticket A023 as a new service, not yesterday's session (domain-rules §2 r2)", () => {
    const yesterday = store.insertService(newService({ ticketNo: 'A023' }));
    const tomorrow = newService({ ticketNo: 'A023', completedAt: DAY_2 });
    expect(store.findService(serviceKeyOf(tomorrow))).toBeUndefined();
    const next = store.insertService(tomorrow);
    expect(next.id).not.toBe(yesterday.id);
    expect(store.findService(serviceKeyOf(tomorrow))!.id).toBe(next.id);
    expect(store.findService(serviceKeyOf(newService({ ticketNo: 'A023' })))!.id).toBe(yesterday.id);
  });

  it('keys a service with a projectNo by (projectNo, serviceNumber, node), whatever its ticket and day', () => {
    const first = store.insertService(newService({ ticketNo: 'A001', projectNo: 'P-7' }));
    const repeat = newService({ ticketNo: 'B777', projectNo: 'P-7', completedAt: DAY_2 });
    expect(store.findService(serviceKeyOf(repeat))!.id).toBe(first.id);
    const second = newService({ ticketNo: 'A001', projectNo: 'P-7', serviceNumber: '2' });
    expect(store.findService(serviceKeyOf(second))).toBeUndefined();
  });

  it('makes the evaluation node part of the key: a rating at intake and one at completion are two services', () => {
    const accepted = store.insertService(
      newService({ ticketNo: 'A005', projectNo: 'P-5', node: 'accepted' }),
    );
    const completed = newService({ ticketNo: 'A005', projectNo: 'P-5', node: 'completed' });
    expect(store.findService(serviceKeyOf(completed))).toBeUndefined();
    const row = store.insertService(completed);
    expect(row).toMatchObject({ node: 'completed' });
    expect(store.getService(accepted.id)).toMatchObject({ node: 'accepted' });
    const ticketOnly = store.insertService(newService({ ticketNo: 'A006', node: 'in-progress' }));
    expect(store.insertService(newService({ ticketNo: 'A006' })).id).not.toBe(ticketOnly.id);
  });

  it('keeps the citizen encrypted and returns it decrypted, from insert or set later', () => {
    const a = store.insertService(newService({ citizen }));
    expect(a.hasCitizen).toBe(true);
    expect(store.serviceCitizen(a.id)).toEqual(citizen);
    const b = store.insertService(newService());
    expect(store.serviceCitizen(b.id)).toBeNull();
    store.setServiceCitizen(b.id, citizen);
    expect(store.serviceCitizen(b.id)).toEqual(citizen);
    expect(() => store.setServiceCitizen(999, citizen)).toThrow(expect.objectContaining({ code: 'E2207' }));
  });

  it('closeService records the first outcome only and refuses an unknown service with E2207', () => {
    const s = store.insertService(newService());
    store.closeService(s.id, 'superseded', 10);
    store.closeService(s.id, 'rated', 20);
    expect(store.getService(s.id)).toMatchObject({ outcome: 'superseded', closedAt: 10 });
    expect(() => store.closeService(999, 'unrated', 1)).toThrow(expect.objectContaining({ code: 'E2207' }));
  });

  it('serviceStateByTicket reports the latest service with that ticket on that day, never the level', () => {
    expect(store.serviceStateByTicket('Z999', DAY_1)).toBeNull();
    const s = store.insertService(newService({ ticketNo: 'B001' }));
    expect(store.serviceStateByTicket('B001', DAY_1)).toBe('awaiting');
    store.closeService(s.id, 'superseded', 1);
    expect(store.serviceStateByTicket('B001', DAY_1)).toBe('unrated');
    store.commitRating({
      serviceId: s.id,
      level: 'basic',
      draft: draft('basic', { isDefault: '1', pf: '7' }),
      source: 'default',
      sessionId: null,
      at: 2,
    });
    expect(store.serviceStateByTicket('B001', DAY_1)).toBe('rated');
    const c = store.insertService(newService({ ticketNo: 'B002' }));
    store.recordAbandoned({
      serviceId: c.id,
      sessionId: c.sessionId,
      level: 'very_dissatisfied',
      at: 3,
      flags: [],
      catalogueVersion: 'v1',
    });
    expect(store.serviceStateByTicket('B002', DAY_1)).toBe('abandoned');
    const d = store.insertService(newService({ ticketNo: 'B003' }));
    store.closeService(d.id, 'unrated', 4);
    expect(store.serviceStateByTicket('B003', DAY_1)).toBe('unrated');
    // Tickets restart every day: another day's B003 is no answer for today.
    expect(store.serviceStateByTicket('B003', DAY_1 + 1)).toBeNull();
  });
});
