import { describe, expect, it } from 'vitest';
import {
  buildRecordDraft,
  composeWritingEvaluation,
  SATISFACTION_BY_LEVEL,
} from '../../src/sync/province/national-template/record.js';
import {
  formatEnvelopeTime,
  formatRecordTime,
  parseEnvelopeTime,
  shanghaiDayStart,
} from '../../src/sync/time.js';
import { uuidv7, UUIDV7_PATTERN } from '../../src/sync/uuidv7.js';
import type { CertType } from '../../src/shared/cert-type.js';
import type { ServiceNode } from '../../src/rating-path/index.js';
import { rating, recordConfig } from './support/fixtures.js';

// 2026-11-26 09:30:15 Asia/Shanghai = 01:30:15 UTC.
const AT = Date.UTC(2026, 10, 26, 1, 30, 15);

describe('Mapping a kiosk rating to the national-template/1 record', () => {
  it('maps the five levels to satisfaction 5…1 (domain-rules §1)', () => {
    expect(SATISFACTION_BY_LEVEL).toEqual({
      very_satisfied: '5',
      satisfied: '4',
      basic: '3',
      dissatisfied: '2',
      very_dissatisfied: '1',
    });
    expect(buildRecordDraft(rating('very_dissatisfied'), recordConfig()).satisfaction).toBe('1');
  });

  it('writes assessTime and serviceTime as yyyy-MM-dd HH:mm:ss in Asia/Shanghai', () => {
    const r = rating('satisfied', {}, AT);
    const draft = buildRecordDraft(
      { ...r, service: { ...r.service, completedAt: Date.UTC(2026, 10, 25, 16, 0, 0) } },
      recordConfig(),
    );
    expect(draft.assessTime).toBe('2026-11-26 09:30:15');
    expect(draft.serviceTime).toBe('2026-11-26 00:00:00');
  });

  it('falls back to Q + hallCode + yyyyMMdd (Shanghai day of service) + ticketNo when the service has no projectNo', () => {
    const r = rating('basic', {}, AT);
    const draft = buildRecordDraft(
      {
        ...r,
        service: {
          ...r.service,
          projectNo: null,
          ticketNo: 'B017',
          completedAt: Date.UTC(2026, 10, 25, 16, 30),
        },
      },
      recordConfig(),
    );
    expect(draft.projectNo).toBe('QHK0120261126B017');
  });

  it('fills every required field from config and leaves optional fields absent when they do not apply', () => {
    const r = rating('satisfied', { citizen: null, text: '' }, AT);
    const draft = buildRecordDraft(
      { ...r, service: { ...r.service, taskCode: null, taskName: '', serviceNumber: null } },
      recordConfig(),
    );
    expect(draft).toMatchObject({
      proStatus: '3',
      areaCode: '460100000000',
      deptCode: '11460100MB1234567X',
      proDepart: '海口市行政审批服务局',
      hallCode: 'HK01',
      windowNo: 'A12',
      deviceId: 'HK-0001',
      userProp: '1',
      pf: '5',
      assessNumber: '1',
      serviceNumber: '1',
      dataSource: '046',
      isDefault: '0',
      flags: [],
      catalogueVersion: 'hi-2026.1',
    });
    for (const key of [
      'taskCode',
      'taskName',
      'userName',
      'certKey',
      'userPageType',
      'evalDetail',
      'writingEvaluation',
    ]) {
      expect(draft).not.toHaveProperty(key);
    }
  });

  it('carries reasons, text, staff, flags and the real-name fields when they apply', () => {
    const draft = buildRecordDraft(
      rating('dissatisfied', {
        reasons: ['501', '512'],
        text: '材料说明不清',
        flags: ['too-fast'],
        citizen: { certKey: '46010019900101123X', userName: '张三', userProp: '1', certType: 'id-card' },
      }),
      recordConfig(),
    );
    expect(draft).toMatchObject({
      evalDetail: '501,512',
      writingEvaluation: '材料说明不清',
      flags: ['too-fast'],
      proManager: '王芳',
      staffId: 'S042',
      certKey: '46010019900101123X',
      userName: '张三',
      userPageType: '111',
      satisfaction: '2',
    });
  });

  it('sends a default rating as basic with the defaultChannel and isDefault 1', () => {
    const draft = buildRecordDraft(rating('basic', { isDefault: true }), recordConfig());
    expect(draft).toMatchObject({ pf: '7', isDefault: '1', satisfaction: '3' });
  });

  it('always names the clerk who served, proManager and staffId (province-profile.md r2)', () => {
    const draft = buildRecordDraft(
      rating('satisfied', { staff: { staffId: 'D001', name: '窗口负责人' } }),
      recordConfig(),
    );
    expect(draft).toMatchObject({ proManager: '窗口负责人', staffId: 'D001' });
  });

  it('sends each document type under its own code from the certTypes table, a residence permit as 554', () => {
    const config = recordConfig();
    const codeFor = (certType: CertType) =>
      buildRecordDraft(
        rating('satisfied', { citizen: { certKey: 'X', userName: '陈大文', userProp: '1', certType } }),
        config,
      ).userPageType;
    expect(codeFor('residence-permit')).toBe('554');
    expect(codeFor('id-card')).toBe('111');
    expect(codeFor('foreign-permanent')).toBe('553');
    expect(codeFor('uscc')).toBe('001');
    // A province's own table replaces the defaults.
    const provincial = {
      ...config,
      province: {
        ...config.province,
        certTypes: { ...config.province.certTypes, 'residence-permit': '516' },
      },
    };
    expect(
      buildRecordDraft(
        rating('satisfied', {
          citizen: { certKey: 'X', userName: '陈大文', userProp: '1', certType: 'residence-permit' },
        }),
        provincial,
      ).userPageType,
    ).toBe('516');
  });

  it('maps the evaluation node to proStatus: accepted 1, in-progress 2, completed 3', () => {
    const statusAt = (node: ServiceNode) => {
      const r = rating('satisfied');
      return buildRecordDraft({ ...r, service: { ...r.service, node } }, recordConfig()).proStatus;
    };
    expect([statusAt('accepted'), statusAt('in-progress'), statusAt('completed')]).toEqual(['1', '2', '3']);
  });

  it('puts no identity on a default rating, even when one is handed over', () => {
    const draft = buildRecordDraft(
      rating('basic', {
        isDefault: true,
        citizen: { certKey: '46010019900101123X', userName: '张三', userProp: '1', certType: 'id-card' },
      }),
      recordConfig(),
    );
    for (const key of ['userName', 'userPageType', 'certKey', 'mobile', 'handleUserName']) {
      expect(draft).not.toHaveProperty(key);
    }
  });

  it('keeps writingEvaluation within 150 characters', () => {
    const draft = buildRecordDraft(rating('dissatisfied', { text: '慢'.repeat(200) }), recordConfig());
    expect(Array.from(draft.writingEvaluation ?? '')).toHaveLength(150);
  });
});

describe('Reasons chosen from the built-in catalogue go as text (domain-rules §3 r2)', () => {
  const builtinRating = (reasonTexts: string[], text: string) =>
    buildRecordDraft(
      rating('very_dissatisfied', { reasons: [], reasonTexts, text, catalogueVersion: 'none' }),
      recordConfig(),
    );

  it('sends no evalDetail and puts the item texts, joined with "；", before the citizen text in writingEvaluation', () => {
    const draft = builtinRating(['等候时间过长', '业务不熟练'], '窗口只开了一个');
    expect(draft).not.toHaveProperty('evalDetail');
    expect(draft.writingEvaluation).toBe('等候时间过长；业务不熟练；窗口只开了一个');
    expect(draft.catalogueVersion).toBe('none');
  });

  it('keeps writingEvaluation within 150 characters: whole item texts first, then the citizen text clipped', () => {
    const draft = builtinRating(['等候时间过长', '业务不熟练'], '慢'.repeat(200));
    const writing = draft.writingEvaluation ?? '';
    expect(Array.from(writing)).toHaveLength(150);
    expect(writing.startsWith('等候时间过长；业务不熟练；慢')).toBe(true);
  });

  it('leaves out an item text that would not fit whole and keeps the later ones that do', () => {
    const long = '长'.repeat(60);
    const writing = composeWritingEvaluation([long, long, long, '业务不熟练'], '');
    expect(writing).toBe(`${long}；${long}；业务不熟练`);
    expect(Array.from(writing).length).toBeLessThanOrEqual(150);
  });

  it('sends only the item texts when the citizen wrote nothing, and only the text when no item was chosen', () => {
    expect(builtinRating(['等候时间过长'], '').writingEvaluation).toBe('等候时间过长');
    expect(builtinRating([], '材料说明不清').writingEvaluation).toBe('材料说明不清');
  });
});

describe('Asia/Shanghai time and UUIDv7 helpers', () => {
  it('formats and parses the envelope time yyyyMMddHHmmss', () => {
    expect(formatEnvelopeTime(AT)).toBe('20261126093015');
    expect(parseEnvelopeTime('20261126093015')).toBe(AT);
    expect(parseEnvelopeTime('20261131093015')).toBeNull();
    expect(formatRecordTime(Date.UTC(2026, 11, 31, 16, 0, 0))).toBe('2027-01-01 00:00:00');
  });

  it('finds the start of the Shanghai calendar day', () => {
    expect(shanghaiDayStart(AT)).toBe(Date.UTC(2026, 10, 25, 16));
    expect(shanghaiDayStart(Date.UTC(2026, 10, 25, 16))).toBe(Date.UTC(2026, 10, 25, 16));
    expect(shanghaiDayStart(Date.UTC(2026, 10, 25, 15, 59, 59, 999))).toBe(Date.UTC(2026, 10, 24, 16));
  });

  it('makes UUIDv7 ids that carry the millisecond timestamp and sort by time', () => {
    const zero = () => new Uint8Array(10);
    const id = uuidv7(AT, zero);
    expect(id).toMatch(UUIDV7_PATTERN);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(AT);
    expect(
      uuidv7(AT + 1, () => new Uint8Array(10).fill(255)) > uuidv7(AT, () => new Uint8Array(10).fill(255)),
    ).toBe(true);
  });
});
