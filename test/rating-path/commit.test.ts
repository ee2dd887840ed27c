/**
 * The rating commit with the real store: which clerk and which identity each record carries, and the 证件类型
 * code it is sent under (domain-rules §4, §5, §11 ⟨r2⟩), read back as the delivery thread reads it.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRatingCommit, type CitizenIdentity } from '../../src/rating-path/index.js';
import { NO_PROVINCE_CATALOGUE } from '../../src/rating-path/builtin-reasons.js';
import { readBuiltinCatalogue } from '../../src/sync/catalogue.js';
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

// The catalogue the kiosk ships, as the catalogue service reads it.
const BUILTIN = readBuiltinCatalogue(path.join(import.meta.dirname, '../../assets/default-catalogue.json'));

const commit = (provinceVersion: string | null = null) =>
  createRatingCommit({
    store,
    config: () => ({ ...recordConfig(), window: { defaultStaff: DEFAULT_STAFF } }),
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    catalogue: { builtin: BUILTIN, provinceVersion: () => provinceVersion },
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

  it('sends a 差评 made with the built-in catalogue with its item texts and no built-in code or version', () => {
    const row = store.insertService(newService());
    const [first, second] = BUILTIN.reasons.very_dissatisfied;
    commit().commitCitizenRating({
      serviceId: row.id,
      sessionId: row.sessionId,
      level: 'very_dissatisfied',
      reasons: [first!.code, second!.code],
      text: '窗口只开了一个',
      catalogueVersion: BUILTIN.version,
      at: row.completedAt + 5_000,
      flags: [],
      source: 'touch',
    });
    const [record] = sent();
    expect(record).not.toHaveProperty('evalDetail');
    expect(record).toMatchObject({
      satisfaction: '1',
      writingEvaluation: `${first!.text['zh-CN']}；${second!.text['zh-CN']}；窗口只开了一个`,
      catalogueVersion: NO_PROVINCE_CATALOGUE,
    });
  });

  it('names the province catalogue version the kiosk knows by commit time on a built-in rating, and leaves a province rating as it was', () => {
    const builtinRow = store.insertService(newService());
    const provinceRow = store.insertService(newService());
    const base = { level: 'dissatisfied' as const, text: '', flags: [], source: 'touch' };
    commit('hi-2026.1').commitCitizenRating({
      ...base,
      serviceId: builtinRow.id,
      sessionId: builtinRow.sessionId,
      reasons: ['501'],
      catalogueVersion: BUILTIN.version,
      at: builtinRow.completedAt + 5_000,
    });
    commit('hi-2026.1').commitCitizenRating({
      ...base,
      serviceId: provinceRow.id,
      sessionId: provinceRow.sessionId,
      reasons: ['501', '521'],
      catalogueVersion: 'hi-2026.1',
      at: provinceRow.completedAt + 5_000,
    });
    const [builtin, province] = sent();
    expect(builtin).toMatchObject({ catalogueVersion: 'hi-2026.1', writingEvaluation: '等候时间过长' });
    expect(builtin).not.toHaveProperty('evalDetail');
    expect(province).toMatchObject({ catalogueVersion: 'hi-2026.1', evalDetail: '501,521' });
    expect(province).not.toHaveProperty('writingEvaluation');
  });

  it('never puts a built-in code or the built-in version in any record, whatever built-in items and text are chosen', () => {
    const levels = ['dissatisfied', 'very_dissatisfied'] as const;
    let seq = 0; // one record per run, on a fresh store
    fc.assert(
      fc.property(
        fc.constantFrom(...levels),
        fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        fc.string({ maxLength: 150 }),
        fc.constantFrom<string | null>(null, 'hi-2026.1'),
        (level, picks, text, provinceVersion) => {
          const items = BUILTIN.reasons[level];
          const chosen = [...new Set(picks.map((i) => items[i % items.length]!))];
          const row = store.insertService(newService());
          commit(provinceVersion).commitCitizenRating({
            serviceId: row.id,
            sessionId: row.sessionId,
            level,
            reasons: chosen.map((r) => r.code),
            text,
            catalogueVersion: BUILTIN.version,
            at: row.completedAt + 5_000,
            flags: [],
            source: 'touch',
          });
          seq += 1;
          const record = store.getRating(seq)!.record;
          expect(record).not.toHaveProperty('evalDetail');
          expect(record.catalogueVersion).not.toBe(BUILTIN.version);
          expect(record.catalogueVersion).toBe(provinceVersion ?? NO_PROVINCE_CATALOGUE);
          const writing = record.writingEvaluation ?? '';
          expect(Array.from(writing).length).toBeLessThanOrEqual(150);
          // The chosen items that fit are there whole, first and in the order chosen (12 items with their
          // separators do not all fit in 150), and the citizen's text follows them.
          const texts = chosen.map((r) => r.text['zh-CN']);
          const kept = texts.filter((t) => writing.split('；').includes(t));
          expect(kept.length).toBeGreaterThan(0);
          expect(writing.startsWith(kept.join('；'))).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});
