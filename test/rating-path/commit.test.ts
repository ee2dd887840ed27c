/**
 * The rating commit with the real store: which clerk and which identity each record carries, and the 证件类型
 * code it is sent under (domain-rules §4, §5, §11 ⟨r2⟩), read back as the delivery thread reads it.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRatingCommit, type CitizenIdentity } from '../../src/rating-path/index.js';
import { defaultRatingFor } from '../../src/sync/defaults.js';
import type { KioskStore, NewService } from '../../src/store/types.js';
import { newService, open, tempDir, type TempDir } from '../store/helpers.js';
import { recordConfig } from '../sync/support/fixtures.js';

const DEFAULT_STAFF = { staffId: 'D001', name: '窗口负责人' };
const PERMIT: CitizenIdentity = {
  certKey: '810000199001011230',
  userName: '陈大文',
  userProp: '1',
  certType: 'residence-permit',
};

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

const commit = () =>
  createRatingCommit({
    store,
    config: () => ({ ...recordConfig(), window: { defaultStaff: DEFAULT_STAFF } }),
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
  });

function rate(service: NewService, level: 'satisfied' | 'basic' = 'satisfied') {
  const row = store.insertService(service);
  commit().commitCitizenRating({
    serviceId: row.id,
    sessionId: row.sessionId,
    level,
    reasons: [],
    text: '',
    catalogueVersion: 'builtin-1',
    at: service.completedAt + 5_000,
    flags: [],
    source: 'touch',
  });
  return row;
}

const sent = () => store.nextBatch(10).map((item) => item.record);

describe('the rating commit', () => {
  it("sends a residence-permit citizen's rating under 554 with the identity, never as 居民身份证", () => {
    rate(newService({ citizen: PERMIT }));
    expect(sent()[0]).toMatchObject({
      userPageType: '554',
      certKey: PERMIT.certKey,
      userName: PERMIT.userName,
      userProp: '1',
    });
  });

  it("gives a real-name service's default rating no identity at all (domain-rules §4 r2)", () => {
    const row = store.insertService(newService({ citizen: PERMIT, completedAt: 1_000 }));
    store.closeService(row.id, 'unrated', 31_000);
    const [candidate] = store.defaultCandidates(Number.MAX_SAFE_INTEGER, 10);
    const rating = defaultRatingFor(candidate!, 1_000_000_000, 'builtin-1', (n) => new Uint8Array(n));
    commit().commitDefault(rating, candidate!);
    const [record] = sent();
    expect(record).toMatchObject({ isDefault: '1', satisfaction: '3' });
    for (const field of [
      'userName',
      'userPageType',
      'certKey',
      'mobile',
      'handleUserName',
      'handleUserPageCode',
    ]) {
      expect(record).not.toHaveProperty(field);
    }
    // The same record read back one by one (diagnostics, resend) carries none either.
    expect(store.getRating(1)!.record).not.toHaveProperty('certKey');
  });

  it('names a clerk on every record: the service row’s, else the window’s defaultStaff', () => {
    rate(newService({ staffId: 'S007', staffName: '李四' }));
    rate(newService({ staffId: null, staffName: null }));
    const [a, b] = sent();
    expect(a).toMatchObject({ proManager: '李四', staffId: 'S007' });
    expect(b).toMatchObject({ proManager: DEFAULT_STAFF.name, staffId: DEFAULT_STAFF.staffId });
  });

  it('sends the node of the service as proStatus', () => {
    rate(newService({ node: 'accepted', projectNo: 'P-1' }));
    expect(sent()[0]).toMatchObject({ proStatus: '1', projectNo: 'P-1' });
  });

  it('still reads and sends an identity sealed before document types (userPageType 111, no certType)', () => {
    const row = store.insertService(newService());
    const legacy = { certKey: '46010019900101123X', userName: '张三', userProp: '1', userPageType: '111' };
    store.setServiceCitizen(row.id, legacy as unknown as CitizenIdentity);
    commit().commitCitizenRating({
      serviceId: row.id,
      sessionId: row.sessionId,
      level: 'basic',
      reasons: [],
      text: '',
      catalogueVersion: 'builtin-1',
      at: row.completedAt + 5_000,
      flags: [],
      source: 'pad',
    });
    expect(sent()[0]).toMatchObject({ userPageType: '111', certKey: legacy.certKey, userName: '张三' });
  });
});
