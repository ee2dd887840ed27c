import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_ERRORS } from '../../src/shared/errors/store.js';
import type { KioskStore } from '../../src/store/types.js';
import { draft, ID_NUMBER, NAME, newService, open, tempDir, type TempDir } from './helpers.js';

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

const citizen = { certKey: ID_NUMBER, userName: NAME, userProp: '1' as const, userPageType: '111' };

describe('services', () => {
  it('insertService returns the stored row, open, and findService/getService find it', () => {
    const input = newService({ projectNo: 'P-1' });
    const row = store.insertService(input);
    const { citizen: _c, ...rest } = input;
    expect(row).toEqual({ ...rest, id: row.id, outcome: null, closedAt: null, hasCitizen: false });
    expect(store.findService({ ticketNo: input.ticketNo, projectNo: 'P-1', serviceNumber: '1' })).toEqual(
      row,
    );
    expect(
      store.findService({ ticketNo: input.ticketNo, projectNo: null, serviceNumber: '1' }),
    ).toBeUndefined();
    expect(store.getService(row.id)).toEqual(row);
    expect(store.getService(999)).toBeUndefined();
  });

  it('refuses the same (ticket, projectNo, serviceNumber) twice on one Shanghai day with E2206', () => {
    const input = newService();
    store.insertService(input);
    expect(() => store.insertService({ ...input, sessionId: 'other' })).toThrow(
      expect.objectContaining({ code: STORE_ERRORS.duplicateService.code }),
    );
  });

  it('accepts the same ticket number on the next day, because queue tickets restart daily', () => {
    const input = newService();
    const first = store.insertService(input);
    const next = store.insertService({
      ...input,
      sessionId: 'next-day',
      completedAt: input.completedAt + 86_400_000,
    });
    expect(next.id).not.toBe(first.id);
    expect(store.findService(input)!.id).toBe(next.id);
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

  it('serviceStateByTicket reports the latest service with that ticket, never the level', () => {
    expect(store.serviceStateByTicket('Z999')).toBeNull();
    const s = store.insertService(newService({ ticketNo: 'B001' }));
    expect(store.serviceStateByTicket('B001')).toBe('awaiting');
    store.closeService(s.id, 'superseded', 1);
    expect(store.serviceStateByTicket('B001')).toBe('unrated');
    store.commitRating({
      serviceId: s.id,
      level: 'basic',
      draft: draft('basic', { isDefault: '1', pf: '7' }),
      source: 'default',
      sessionId: null,
      at: 2,
    });
    expect(store.serviceStateByTicket('B001')).toBe('rated');
    const c = store.insertService(newService({ ticketNo: 'B002' }));
    store.recordAbandoned({
      serviceId: c.id,
      sessionId: c.sessionId,
      level: 'very_dissatisfied',
      at: 3,
      flags: [],
      catalogueVersion: 'v1',
    });
    expect(store.serviceStateByTicket('B002')).toBe('abandoned');
    const d = store.insertService(newService({ ticketNo: 'B003' }));
    store.closeService(d.id, 'unrated', 4);
    expect(store.serviceStateByTicket('B003')).toBe('unrated');
  });
});
