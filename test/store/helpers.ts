/** Shared fixtures for the store tests: temp directories, a fixed PII key, record drafts and services. */
import { createHash, randomUUID } from 'node:crypto';
import { formatRecordTime } from '../../src/sync/time.js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LevelKey } from '../../src/shared/levels.js';
import type { RecordDraft } from '../../src/shared/province-record.js';
import { openStore } from '../../src/store/store.js';
import type { KioskStore, NewService } from '../../src/store/types.js';

export const PII_KEY = Buffer.alloc(32, 7);
export const ID_NUMBER = '46010019900101123X';
export const NAME = '张三丰';

const SATISFACTION: Record<LevelKey, RecordDraft['satisfaction']> = {
  very_satisfied: '5',
  satisfied: '4',
  basic: '3',
  dissatisfied: '2',
  very_dissatisfied: '1',
};

export interface TempDir {
  dir: string;
  dbPath: string;
  cleanup(): void;
}

export function tempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'hcp-store-'));
  return { dir, dbPath: join(dir, 'kiosk.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function open(path: string, now = 1_700_000_000_000): KioskStore {
  return openStore({ path, piiKey: PII_KEY, now: () => now });
}

export function draft(level: LevelKey, extra: Partial<RecordDraft> = {}): RecordDraft {
  const d: RecordDraft = {
    ratingId: randomUUID(),
    projectNo: 'Q46010020261126A001',
    proStatus: '3',
    areaCode: '460100000000',
    deptCode: '11460100MB0000000X',
    proDepart: '海口市政务服务中心',
    hallCode: 'HK01',
    windowNo: '12',
    deviceId: 'dev-1',
    userProp: '1',
    pf: '5',
    satisfaction: SATISFACTION[level],
    catalogueVersion: 'builtin-1',
    assessTime: '2026-11-26 09:30:15',
    serviceTime: '2026-11-26 09:29:00',
    assessNumber: '1',
    serviceNumber: '1',
    dataSource: '001',
    isDefault: '0',
    flags: [],
    ...extra,
  };
  if (level === 'dissatisfied' || level === 'very_dissatisfied') d.evalDetail ??= 'R01';
  return d;
}

/** A draft whose times are those of the row it will be committed as (`at`) and of its service. */
export function draftFor(
  level: LevelKey,
  at: number,
  service: { completedAt: number },
  extra: Partial<RecordDraft> = {},
): RecordDraft {
  return draft(level, {
    assessTime: formatRecordTime(at),
    serviceTime: formatRecordTime(service.completedAt),
    ...extra,
  });
}

let ticket = 0;
export function newService(extra: Partial<NewService> = {}): NewService {
  ticket += 1;
  return {
    ticketNo: `A${String(ticket).padStart(3, '0')}`,
    projectNo: null,
    serviceNumber: '1',
    node: 'completed',
    sessionId: randomUUID(),
    taskCode: 'T-1',
    taskName: '个体工商户设立登记',
    completedAt: 1_700_000_000_000,
    openedAt: 1_700_000_000_100,
    staffId: 'S007',
    staffName: '李四',
    citizen: null,
    ...extra,
  };
}

/**
 * Commits one rating for a fresh service; returns the commit result and the service id. A certKey/userName in
 * `extra` becomes the service's citizen (the store takes a rating's identity from its service).
 */
export function rateNewService(
  store: KioskStore,
  level: LevelKey,
  at = 1_700_000_001_000,
  extra: Partial<RecordDraft> = {},
) {
  const { certKey, userName, ...rest } = extra;
  const citizen =
    certKey === undefined && userName === undefined
      ? null
      : {
          certKey: certKey ?? '',
          userName: userName ?? '',
          userProp: '1' as const,
          certType: 'id-card' as const,
        };
  const service = store.insertService(newService({ citizen }));
  const result = store.commitRating({
    serviceId: service.id,
    level,
    // The record names the time and service the row does (the chain check compares them, record-check.ts).
    draft: draft(level, {
      assessTime: formatRecordTime(at),
      serviceTime: formatRecordTime(service.completedAt),
      ...rest,
    }),
    source: 'pad',
    sessionId: service.sessionId,
    at,
  });
  return { ...result, serviceId: service.id };
}

/** sha256 of a file plus whether -wal/-shm exist beside it: "byte-identical, nothing created". */
export function fingerprint(path: string): { sha256: string; wal: boolean; shm: boolean } {
  return {
    sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
    wal: existsSync(`${path}-wal`),
    shm: existsSync(`${path}-shm`),
  };
}
