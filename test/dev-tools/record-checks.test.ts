import { describe, expect, it } from 'vitest';
import { codesByLevel, DEFAULT_PROVINCE_CATALOGUE } from '../../dev-tools/province-sim/catalogue.js';
import { DEFAULT_CERT_TYPES } from '../../dev-tools/province-sim/cert-checks.js';
import {
  checkRecord,
  RECORD_FIELDS,
  type RecordCheckContext,
} from '../../dev-tools/province-sim/record-checks.js';
import { checkService } from '../../dev-tools/province-sim/service-checks.js';
import {
  conformingRecord,
  FOREIGN_2017,
  FOREIGN_2023,
  HK_PERMIT,
  ID_CARD,
  USCC,
  type Wire,
} from './province-fixtures.js';

const codes = codesByLevel(DEFAULT_PROVINCE_CATALOGUE);
const ctx = (overrides: Partial<RecordCheckContext> = {}): RecordCheckContext => ({
  certTypes: DEFAULT_CERT_TYPES,
  catalogue: (version) => (version === 'hi-2026.1' ? codes : null),
  badNeeds: 'codesOrText',
  requireSignature: false,
  today: '20261201',
  ...overrides,
});
const check = (overrides: Wire, context = ctx()) => checkRecord(conformingRecord(overrides), context);

const applicant = { userName: '张三', userPageType: '111', certKey: ID_CARD };
const bad = { satisfaction: '2', evalDetail: '501' };

describe('The province’s per-record checks (province-profile.md "Province-side checks")', () => {
  it('accepts a fully conforming record built by hand from the Record table', () => {
    expect(check({})).toBeNull();
    expect(check({ ...applicant, ...bad, mobile: '13812341234', writingEvaluation: '等太久' })).toBeNull();
  });

  const required = Object.entries(RECORD_FIELDS)
    .filter(([, rule]) => rule.required)
    .map(([field]) => field);
  it.each(required)('a record without %s is rejected with BAD_FIELD naming it', (field) => {
    expect(check({ [field]: undefined })).toMatchObject({ code: 'BAD_FIELD', field });
  });

  it('a record without proManager is rejected with BAD_FIELD proManager, and one without staffId likewise (r2: always present)', () => {
    expect(check({ proManager: undefined })).toMatchObject({ code: 'BAD_FIELD', field: 'proManager' });
    expect(check({ staffId: undefined })).toMatchObject({ code: 'BAD_FIELD', field: 'staffId' });
  });

  it.each<[string, unknown]>([
    ['areaCode', '4601'],
    ['areaCode', '46010000000A'],
    ['deptCode', '11460100MB1234567'],
    ['deptCode', '11460100MB1234567I'],
    ['assessTime', '2026-11-26T09:30:15'],
    ['assessTime', '2026-02-30 09:30:15'],
    ['serviceTime', '2026-11-26 24:00:00'],
    ['satisfaction', '6'],
    ['satisfaction', '0'],
    ['isDefault', '2'],
    ['isDefault', 'true'],
    ['proStatus', '4'],
    ['userProp', '3'],
    ['dataSource', '46'],
    ['dataSource', '0460'],
    ['pf', '55'],
    ['ratingId', '0190a1b2-c3d4-4e5f-8a9b-0c1d2e3f4a5b'],
    ['assessNumber', '0'],
    ['serviceNumber', 'one'],
    ['prevHash', 'F'.repeat(64)],
    ['hash', 'a'.repeat(63)],
    ['sig', 'a'.repeat(127)],
    ['mobile', '23812341234'],
    ['mobile', '1381234123'],
    ['evalDetail', '501,,521'],
    ['writingEvaluation', '字'.repeat(151)],
    ['taskName', ''],
    ['proManager', ''],
  ])('a record with %s %j is rejected with BAD_FIELD naming the field', (field, value) => {
    expect(check({ ...bad, [field]: value })).toMatchObject({ code: 'BAD_FIELD', field });
  });

  it('takes a writingEvaluation of exactly 150 characters, astral ones counted as one', () => {
    expect(check({ writingEvaluation: '𠮷'.repeat(150) })).toBeNull();
  });

  it.each<[string, unknown]>([
    ['seq', '1'],
    ['seq', 0],
    ['seq', 1.5],
    ['flags', 'rapid'],
    ['flags', [1]],
    ['satisfaction', 5],
    ['isDefault', 0],
    ['projectNo', null],
  ])('a record whose %s is %j (not the profile’s type) is rejected with BAD_FIELD', (field, value) => {
    expect(check({ [field]: value })).toMatchObject({ code: 'BAD_FIELD', field });
  });

  it('a record with a field the profile does not have is rejected with BAD_FIELD naming it', () => {
    expect(check({ citizenPhone: '13812341234' })).toMatchObject({
      code: 'BAD_FIELD',
      field: 'citizenPhone',
    });
  });

  it.each(['userName', 'userPageType', 'certKey'])(
    'a record with the applicant triple but no %s is rejected with BAD_FIELD naming it (all three or none)',
    (field) => {
      expect(check({ ...applicant, [field]: undefined })).toMatchObject({ code: 'BAD_FIELD', field });
    },
  );

  it.each(['handleUserName', 'handleUserPageType', 'handleUserPageCode'])(
    'a record with the handler triple but no %s is rejected with BAD_FIELD naming it (all three or none)',
    (field) => {
      const handler = { handleUserName: '李四', handleUserPageType: '111', handleUserPageCode: ID_CARD };
      expect(check({ ...handler, [field]: undefined })).toMatchObject({ code: 'BAD_FIELD', field });
    },
  );

  it('accepts each document type under its own code with a number passing that type’s check', () => {
    for (const [type, number] of [
      ['111', ID_CARD],
      ['554', HK_PERMIT],
      ['553', FOREIGN_2017],
      ['553', FOREIGN_2023],
    ] as const)
      expect(check({ userName: 'A', userPageType: type, certKey: number }), type + number).toBeNull();
    expect(check({ userProp: '2', userName: '某公司', userPageType: '001', certKey: USCC })).toBeNull();
  });

  it('a record with a 3-digit userPageType that is not provisioned is rejected with BAD_CERT userPageType', () => {
    expect(check({ ...applicant, userPageType: '999' })).toMatchObject({
      code: 'BAD_CERT',
      field: 'userPageType',
    });
  });

  it('follows a provisioned certTypes table, not the defaults, once the province gives its own codes', () => {
    const certTypes = { ...DEFAULT_CERT_TYPES, 'residence-permit': '516' };
    const context = ctx({ certTypes });
    expect(check({ ...applicant, userPageType: '516', certKey: HK_PERMIT }, context)).toBeNull();
    expect(check({ ...applicant, userPageType: '554', certKey: HK_PERMIT }, context)).toMatchObject({
      code: 'BAD_CERT',
      field: 'userPageType',
    });
  });

  it.each<[string, string, string]>([
    ['a wrong check digit', '111', '460100199001011231'],
    ['an impossible birth date', '111', '460100199002301234'],
    ['a lower-case x', '111', '46010019900101102x'],
    ['a mainland number sent as 港澳台居住证', '554', ID_CARD],
    ['a residence permit sent as 永居证', '553', HK_PERMIT],
    ['a 2017 永居证 sent as 居民身份证', '111', FOREIGN_2017],
  ])('a record with %s in certKey is rejected with BAD_CERT certKey', (_what, type, number) => {
    expect(check({ ...applicant, userPageType: type, certKey: number })).toMatchObject({
      code: 'BAD_CERT',
      field: 'certKey',
    });
  });

  it('a legal person’s applicant must be its 统一社会信用代码 and a natural person’s never is (BAD_CERT userPageType)', () => {
    expect(check({ ...applicant, userProp: '2' })).toMatchObject({ code: 'BAD_CERT', field: 'userPageType' });
    expect(check({ userName: '某公司', userPageType: '001', certKey: USCC })).toMatchObject({
      code: 'BAD_CERT',
      field: 'userPageType',
    });
  });

  it('checks the handler’s document as the applicant’s: provisioned code, number passing its check', () => {
    const handler = { handleUserName: '李四', handleUserPageType: '111', handleUserPageCode: ID_CARD };
    expect(
      check({ userProp: '2', userName: '某公司', userPageType: '001', certKey: USCC, ...handler }),
    ).toBeNull();
    expect(check({ ...handler, handleUserPageCode: '460100199001011231' })).toMatchObject({
      code: 'BAD_CERT',
      field: 'handleUserPageCode',
    });
    expect(check({ ...handler, handleUserPageType: '001', handleUserPageCode: USCC })).toMatchObject({
      code: 'BAD_CERT',
      field: 'handleUserPageType',
    });
  });

  it('a record with a mobile on a rating above 2 is rejected with BAD_FIELD mobile', () => {
    expect(check({ satisfaction: '3', mobile: '13812341234' })).toMatchObject({
      code: 'BAD_FIELD',
      field: 'mobile',
    });
    expect(check({ ...bad, mobile: '13812341234' })).toBeNull();
  });

  it.each([
    'userName',
    'userPageType',
    'certKey',
    'mobile',
    'handleUserName',
    'handleUserPageType',
    'handleUserPageCode',
  ])('a default record carrying %s is rejected with IDENTITY_ON_DEFAULT', (field) => {
    const identity: Wire = {
      ...applicant,
      mobile: '13812341234',
      handleUserName: '李四',
      handleUserPageType: '111',
      handleUserPageCode: ID_CARD,
    };
    expect(check({ isDefault: '1', pf: '7', satisfaction: '3', [field]: identity[field] })).toMatchObject({
      code: 'IDENTITY_ON_DEFAULT',
      field,
    });
  });

  it('accepts a default record without identity', () => {
    expect(check({ isDefault: '1', pf: '7', satisfaction: '3' })).toBeNull();
  });

  it('a record with an evalDetail code of another level is rejected with BAD_CODE evalDetail', () => {
    // 521 is a level-2 code of hi-2026.1, not a level-1 one.
    expect(check({ satisfaction: '2', evalDetail: '501,521' })).toBeNull();
    expect(check({ satisfaction: '1', evalDetail: '501,521' })).toMatchObject({
      code: 'BAD_CODE',
      field: 'evalDetail',
    });
    expect(check({ satisfaction: '5', evalDetail: '101,121' })).toBeNull();
    expect(check({ satisfaction: '5', evalDetail: '501' })).toMatchObject({ code: 'BAD_CODE' });
  });

  it('a record with a local: code is rejected with BAD_CODE, whatever the catalogue', () => {
    expect(check({ satisfaction: '2', evalDetail: 'local:wait' })).toMatchObject({
      code: 'BAD_CODE',
      field: 'evalDetail',
    });
    const everything = ctx({ catalogue: () => ({ ...codes, '2': new Set(['local:wait']) }) });
    expect(check({ satisfaction: '2', evalDetail: 'local:wait' }, everything)).toMatchObject({
      code: 'BAD_CODE',
    });
  });

  it('a record citing a catalogue version the province never published is rejected with BAD_CODE catalogueVersion', () => {
    expect(check({ ...bad, catalogueVersion: 'builtin-1' })).toMatchObject({
      code: 'BAD_CODE',
      field: 'catalogueVersion',
    });
  });

  it('a 差评 with neither evalDetail nor text is rejected with REASON_REQUIRED; with text alone it passes under codesOrText', () => {
    expect(check({ satisfaction: '1' })).toMatchObject({ code: 'REASON_REQUIRED' });
    expect(check({ satisfaction: '2', writingEvaluation: '   ' })).toMatchObject({ code: 'REASON_REQUIRED' });
    expect(check({ satisfaction: '2', writingEvaluation: '窗口太少' })).toBeNull();
    expect(check({ satisfaction: '3' })).toBeNull();
  });

  it('with badNeeds codes a 差评 with text alone is rejected with REASON_REQUIRED', () => {
    const codesOnly = ctx({ badNeeds: 'codes' });
    expect(check({ satisfaction: '2', writingEvaluation: '窗口太少' }, codesOnly)).toMatchObject({
      code: 'REASON_REQUIRED',
    });
    expect(check({ satisfaction: '2', evalDetail: '901' }, codesOnly)).toBeNull();
  });

  it('a record without sig passes by default (the kiosk does not sign yet) and is rejected with BAD_FIELD sig when signatures are required', () => {
    expect(check({})).toBeNull();
    expect(check({}, ctx({ requireSignature: true }))).toMatchObject({ code: 'BAD_FIELD', field: 'sig' });
    expect(check({ sig: 'a'.repeat(128) }, ctx({ requireSignature: true }))).toBeNull();
  });

  it('never puts the identity number into a rejection message', () => {
    const rejection = check({ ...applicant, certKey: '460100199001011231' });
    expect(JSON.stringify(rejection)).not.toContain('460100199001011231');
  });
});

const service = (overrides: Wire = {}): Wire => {
  const s: Wire = {
    serviceId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    projectNo: '460100202611260001',
    serviceNumber: '1',
    proStatus: '3',
    serviceTime: '2026-11-26 09:28:00',
    areaCode: '460100000000',
    deptCode: '11460100MB1234567X',
    proDepart: '海口市行政审批服务局',
    hallCode: 'HK01',
    windowNo: 'A12',
    deviceId: 'HK-0001',
    proManager: '王芳',
    staffId: 'S042',
    userProp: '1',
    dataSource: '046',
  };
  for (const [k, v] of Object.entries(overrides))
    if (v === undefined) delete s[k];
    else s[k] = v;
  return s;
};

describe('The province’s Service record checks (province-profile.md "Service" r2)', () => {
  it('accepts a fully conforming service built by hand', () => {
    expect(checkService(service())).toBeNull();
    expect(checkService(service({ taskCode: 'T1', taskName: '食品经营许可' }))).toBeNull();
  });

  it.each([
    'serviceId',
    'projectNo',
    'serviceNumber',
    'proStatus',
    'serviceTime',
    'proManager',
    'staffId',
    'dataSource',
  ])('a service without %s is rejected with BAD_FIELD naming it', (field) => {
    expect(checkService(service({ [field]: undefined }))).toMatchObject({ code: 'BAD_FIELD', field });
  });

  it.each(['userName', 'certKey', 'userPageType', 'mobile', 'handleUserPageCode'])(
    'a service carrying %s is rejected with IDENTITY_ON_SERVICE',
    (field) => {
      expect(checkService(service({ [field]: 'x' }))).toMatchObject({ code: 'IDENTITY_ON_SERVICE', field });
    },
  );
});
