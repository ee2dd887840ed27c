/** Shared fixtures for sync tests: a provisioned device, province keys, ratings. */
import { randomBytes } from 'node:crypto';
import type { LevelKey } from '../../../src/shared/levels.js';
import {
  buildRecordDraft,
  type RatingForRecord,
  type RecordConfig,
} from '../../../src/sync/province/national-template/record.js';
import { uuidv7 } from '../../../src/sync/uuidv7.js';
import { DEFAULT_CERT_TYPE_CODES } from '../../../src/rating-path/index.js';
import { generateSm2KeyPair } from '../../../src/sync/province/sm2.js';
import type { MemoryOutbox } from './memory-outbox.js';

export const PROVINCE_KEYS = generateSm2KeyPair();
export const APP_MARK = 'hcp-haikou-01';
export const APP_WORD = 'S3cr3t-appWord-7f4e2c';

export function recordConfig(deviceId = 'HK-0001'): RecordConfig {
  return {
    hall: { name: '海口市政务服务中心', code: 'HK01', areaCode: '460100000000' },
    department: { code: '11460100MB1234567X', name: '海口市行政审批服务局' },
    windowNo: 'A12',
    deviceId,
    province: { pf: '5', defaultChannel: '7', dataSource: '046', certTypes: { ...DEFAULT_CERT_TYPE_CODES } },
  };
}

const rand = (n: number) => new Uint8Array(randomBytes(n));

let ticket = 0;

export function rating(
  level: LevelKey,
  overrides: Partial<RatingForRecord> = {},
  now = Date.now(),
): RatingForRecord {
  ticket += 1;
  return {
    ratingId: uuidv7(now, rand),
    level,
    // Codes of the province test server's catalogue for THIS level (521 is a level-2 code, 531 a level-1 one):
    // the strict server rejects a code of another level or of a version it never published (BAD_CODE).
    reasons: level === 'dissatisfied' ? ['501', '521'] : level === 'very_dissatisfied' ? ['501', '531'] : [],
    text: '',
    catalogueVersion: 'hi-2026.1',
    assessedAt: now,
    service: {
      ticketNo: `A${String(ticket).padStart(3, '0')}`,
      projectNo: ticket % 3 === 0 ? null : `46010020261126${String(ticket).padStart(6, '0')}`,
      taskCode: '11460100MB1234567X4460117001000',
      taskName: '食品经营许可',
      serviceNumber: '1',
      node: 'completed',
      completedAt: now - 60_000,
    },
    staff: { staffId: 'S042', name: '王芳' },
    citizen:
      ticket % 4 === 0
        ? { certKey: '460100199001011230', userName: '张三', userProp: '1', certType: 'id-card' as const }
        : null,
    flags: [],
    isDefault: false,
    ...overrides,
  };
}

const LEVELS: LevelKey[] = ['very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied'];

/** Commits `n` ratings of mixed levels to the outbox, as the store's rating transaction would. */
export function commitRatings(outbox: MemoryOutbox, n: number, deviceId = 'HK-0001', now = Date.now()): void {
  for (let i = 0; i < n; i++) {
    const level = LEVELS[i % LEVELS.length]!;
    outbox.append(buildRecordDraft(rating(level, {}, now), recordConfig(deviceId)), now);
  }
}
