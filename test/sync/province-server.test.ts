/**
 * The province test server as an independent, strict receiver (province-profile.md "Province-side checks"),
 * spoken to over loopback HTTP with hand-built envelopes and records (test/dev-tools/province-fixtures.ts),
 * not through the kiosk's adapter: what it accepts, rejects and reports must not depend on the kiosk.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSm2KeyPair } from '../../src/sync/province/sm2.js';
import { uuidv7 } from '../../src/sync/uuidv7.js';
import {
  startProvinceServer,
  type ProvinceServer,
  type ProvinceServerOptions,
} from '../../dev-tools/province-sim/server.js';
import {
  APP_MARK,
  APP_WORD,
  chainOf,
  conformingRecord,
  ID_CARD,
  KEYS,
  post,
  profileHash,
  rand,
  type Wire,
} from '../dev-tools/province-fixtures.js';

const RECORDS = '/evaluation/v1/records';
const SERVICES = '/evaluation/v1/services';
const HEARTBEAT = '/evaluation/v1/heartbeat';
const CATALOGUE = '/evaluation/v1/catalogue';

let server: ProvinceServer | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await server?.close();
  server = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function start(options: Partial<ProvinceServerOptions> = {}): Promise<ProvinceServer> {
  server = await startProvinceServer({
    dbPath: ':memory:',
    privateKey: KEYS.privateKey,
    appMark: APP_MARK,
    appWord: APP_WORD,
    ...options,
  });
  return server;
}

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'province-sim-'));
  dirs.push(dir);
  return join(dir, 'ledger.sqlite');
}

async function send(s: ProvinceServer, records: Wire[]) {
  const answer = await post(s.url, RECORDS, { records });
  expect(answer.status).toBe(200);
  return answer.json.results as Array<{ ratingId: string; status: string; code?: string; field?: string }>;
}
const statuses = async (s: ProvinceServer, records: Wire[]) =>
  (await send(s, records)).map((r) => r.code ?? r.status);

/** Re-hashes a hand-edited record so that only the edit under test is wrong. */
function rehashed(record: Wire): Wire {
  return { ...record, hash: profileHash(record) };
}

const heartbeat = (deviceId: string, devicePublicKey?: string) => ({
  deviceId,
  appVersion: '0.1.0',
  outboxDepth: 0,
  oldestUnsentAt: '',
  lastSeq: 0,
  lastHash: '0'.repeat(64),
  abandonedBad: 0,
  declined: 0,
  ...(devicePublicKey ? { devicePublicKey } : {}),
});

/** Every byte of the SQLite files (database, WAL, journal) of a ledger path. */
function ledgerBytes(dbPath: string): Buffer {
  const dir = join(dbPath, '..');
  return Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
}

describe('The province test server', () => {
  it('accepts a fully conforming chain built by hand and finds no break in it', async () => {
    const s = await start();
    expect(await statuses(s, chainOf(5))).toEqual(Array(5).fill('accepted'));
    expect(s.chainBreaks()).toEqual([]);
    expect(s.rejections()).toEqual([]);
  });

  it('accepts records out of seq order (差评 first) and finds no break once the chain is complete', async () => {
    const s = await start();
    const records = chainOf(6);
    await statuses(s, [records[3]!, records[4]!]);
    expect(s.chainBreaks()).toEqual([{ kind: 'gap', deviceId: 'HK-0001', missing: [1, 2, 3] }]);
    await statuses(s, [records[0]!, records[1]!, records[2]!, records[5]!]);
    expect(s.chainBreaks()).toEqual([]);
  });

  it('reports an edited record as a hash break and an inserted one as a link break, but still accepts them', async () => {
    const s = await start();
    const records = chainOf(3);
    const edited = { ...records[1]!, satisfaction: '4' };
    const inserted = rehashed({
      ...records[2]!,
      ratingId: uuidv7(Date.now(), rand),
      projectNo: 'X1',
      prevHash: 'f'.repeat(64),
    });
    expect(await statuses(s, [records[0]!, edited, inserted])).toEqual(['accepted', 'accepted', 'accepted']);
    expect(s.chainBreaks()).toEqual(
      expect.arrayContaining([
        { kind: 'hash', deviceId: 'HK-0001', seq: 2 },
        { kind: 'link', deviceId: 'HK-0001', seq: 3 },
      ]),
    );
  });

  it('leaves sig and the PII fields out of the hash, as the profile says', async () => {
    const s = await start();
    const [r] = chainOf(1, {
      each: () => ({
        satisfaction: '2',
        evalDetail: '501',
        mobile: '13812341234',
        userName: '张三',
        userPageType: '111',
        certKey: ID_CARD,
      }),
    });
    expect(await statuses(s, [{ ...r!, sig: 'a'.repeat(128) }])).toEqual(['accepted']);
    expect(s.chainBreaks()).toEqual([]);
  });

  it('answers duplicate for a seen ratingId and for a seen (projectNo, proStatus, assessNumber), but not for another node', async () => {
    const s = await start();
    const [first, second, third, fourth] = chainOf(4);
    expect(await statuses(s, [first!])).toEqual(['accepted']);
    expect(
      await statuses(s, [
        first!,
        rehashed({ ...second!, projectNo: first!.projectNo }),
        rehashed({ ...third!, projectNo: first!.projectNo, proStatus: '1' }),
        rehashed({ ...fourth!, projectNo: first!.projectNo, assessNumber: '2' }),
      ]),
    ).toEqual(['duplicate', 'duplicate', 'accepted', 'accepted']);
  });

  it('rejects each non-conforming record of a batch with its code and field, holds the rest, and logs why', async () => {
    const s = await start();
    const [good, noClerk, badCert, defaultWithId] = chainOf(4, {
      each: (i) =>
        [
          {},
          { proManager: undefined },
          { userName: '张三', userPageType: '111', certKey: '460100199001011231' },
          {
            isDefault: '1',
            pf: '7',
            satisfaction: '3',
            userName: '张三',
            userPageType: '111',
            certKey: ID_CARD,
          },
        ][i]!,
    });
    const results = await send(s, [good!, noClerk!, badCert!, defaultWithId!]);
    expect(results.map(({ status, code, field }) => ({ status, code, field }))).toEqual([
      { status: 'accepted', code: undefined, field: undefined },
      { status: 'rejected', code: 'BAD_FIELD', field: 'proManager' },
      { status: 'rejected', code: 'BAD_CERT', field: 'certKey' },
      { status: 'rejected', code: 'IDENTITY_ON_DEFAULT', field: 'userName' },
    ]);
    expect(s.records().map((r) => r.record.ratingId)).toEqual([good!.ratingId]);
    expect(s.rejections().map((r) => [r.id, r.code, r.field])).toEqual([
      [noClerk!.ratingId, 'BAD_FIELD', 'proManager'],
      [badCert!.ratingId, 'BAD_CERT', 'certKey'],
      [defaultWithId!.ratingId, 'IDENTITY_ON_DEFAULT', 'userName'],
    ]);
    expect(JSON.stringify(s.rejections())).not.toContain('460100199001011231');
  });

  it('answers 413 TOO_LARGE for more than 100 records in one request', async () => {
    const s = await start();
    const answer = await post(s.url, RECORDS, { records: chainOf(101) });
    expect(answer).toMatchObject({ status: 413, json: { code: 'TOO_LARGE' } });
    expect(s.records()).toEqual([]);
  });

  it('answers TIME_SKEW for an envelope time more than 300 s from its own clock, and takes one within it', async () => {
    let now = Date.now();
    const s = await start({ now: () => now });
    now += 301_000;
    expect(await post(s.url, RECORDS, { records: chainOf(1) }, Date.now())).toMatchObject({
      status: 401,
      json: { code: 'TIME_SKEW' },
    });
    expect(await post(s.url, RECORDS, { records: chainOf(1) }, now - 299_000)).toMatchObject({ status: 200 });
  });

  it('serves a catalogue with all five levels, items that ask for text, and keeps every version it published', async () => {
    const dbPath = tempDb();
    let s = await start({ dbPath });
    const answer = await post(s.url, CATALOGUE, { deviceId: 'HK-0001', have: '' });
    const reasons = answer.json.reasons as Record<string, Array<{ code: string; needsText?: boolean }>>;
    expect(Object.keys(reasons).sort()).toEqual(['1', '2', '3', '4', '5']);
    expect(
      Object.values(reasons)
        .flat()
        .some((i) => i.needsText === true),
    ).toBe(true);

    s.publishCatalogue({ version: 'hi-2027.1', reasons: { '2': [{ code: '777', text: '新原因' }] } });
    const again = await post(s.url, CATALOGUE, { deviceId: 'HK-0001', have: 'hi-2026.1' });
    expect(again.json).toMatchObject({ version: 'hi-2027.1', reasons: { '1': [], '5': [] } });
    await s.close();
    server = null;
    s = await start({
      dbPath,
      catalogue: { version: 'hi-2027.1', reasons: { '2': [{ code: '777', text: '新原因' }] } },
    });
    expect(s.catalogueVersions()).toEqual(['hi-2026.1', 'hi-2027.1']);
    const [old, current, mixed] = chainOf(3, {
      each: (i) =>
        [
          { satisfaction: '2', evalDetail: '501', catalogueVersion: 'hi-2026.1' },
          { satisfaction: '2', evalDetail: '777', catalogueVersion: 'hi-2027.1' },
          { satisfaction: '2', evalDetail: '501', catalogueVersion: 'hi-2027.1' },
        ][i]!,
    });
    expect(await statuses(s, [old!, current!, mixed!])).toEqual(['accepted', 'accepted', 'BAD_CODE']);
  });

  it('verifies sig with the device key pinned from the first heartbeat, and reports an unsigned or foreign-signed record as a break', async () => {
    const s = await start();
    const device = generateSm2KeyPair();
    const intruder = generateSm2KeyPair();
    expect((await post(s.url, HEARTBEAT, heartbeat('HK-0001', device.publicKey))).status).toBe(200);
    // A later heartbeat offering another key does not replace the pinned one.
    expect((await post(s.url, HEARTBEAT, heartbeat('HK-0001', intruder.publicKey))).status).toBe(200);
    expect(s.deviceKey('HK-0001')).toBe(device.publicKey);

    const records = chainOf(3, { signWith: device.privateKey });
    const forged = { ...records[1]!, sig: chainOf(1, { signWith: intruder.privateKey })[0]!.sig };
    const unsigned = { ...records[2]! };
    delete unsigned.sig;
    expect(await statuses(s, [records[0]!, forged, unsigned])).toEqual(['accepted', 'accepted', 'accepted']);
    expect(s.chainBreaks()).toEqual([]);
    expect(s.signatureBreaks()).toEqual([
      { kind: 'sig', deviceId: 'HK-0001', seq: 2 },
      { kind: 'sig-missing', deviceId: 'HK-0001', seq: 3 },
      { kind: 'key-changed', deviceId: 'HK-0001' },
    ]);
  });

  it('reports a signed record of a device that never sent its key as unverifiable', async () => {
    const s = await start();
    const device = generateSm2KeyPair();
    await statuses(s, chainOf(1, { deviceId: 'HK-0009', signWith: device.privateKey }));
    expect(s.signatureBreaks()).toEqual([{ kind: 'sig-unverifiable', deviceId: 'HK-0009', seq: 1 }]);
  });

  it('rejects an unsigned record with BAD_FIELD sig when started with requireSignature', async () => {
    const s = await start({ requireSignature: true });
    const device = generateSm2KeyPair();
    const [unsigned] = chainOf(1);
    const [signed] = chainOf(1, { signWith: device.privateKey, deviceId: 'HK-0002' });
    expect((await send(s, [unsigned!, signed!])).map((r) => [r.status, r.code, r.field])).toEqual([
      ['rejected', 'BAD_FIELD', 'sig'],
      ['accepted', undefined, undefined],
    ]);
  });

  it('takes Service records, de-duplicated by serviceId or (projectNo, serviceNumber, proStatus), never with identity', async () => {
    const s = await start();
    const service = (overrides: Wire = {}): Wire => ({
      serviceId: uuidv7(Date.now(), rand),
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
      ...overrides,
    });
    const first = service();
    const answer = await post(s.url, SERVICES, {
      services: [
        first,
        first,
        service(),
        service({ proStatus: '1' }),
        service({ projectNo: '460100202611260002', certKey: ID_CARD }),
        service({ projectNo: '460100202611260003', staffId: undefined }),
      ],
    });
    expect(answer.status).toBe(200);
    expect(
      (answer.json.results as Array<{ serviceId: string; status: string; code?: string }>).map(
        (r) => r.code ?? r.status,
      ),
    ).toEqual(['accepted', 'duplicate', 'duplicate', 'accepted', 'IDENTITY_ON_SERVICE', 'BAD_FIELD']);
    expect(s.services().map((x) => x.service.proStatus)).toEqual(['3', '1']);
    const tooMany = await post(s.url, SERVICES, { services: Array.from({ length: 101 }, () => service()) });
    expect(tooMany).toMatchObject({ status: 413, json: { code: 'TOO_LARGE' } });
  });

  it('checks identity in full on arrival but keeps only masked forms in its database file', async () => {
    const dbPath = tempDb();
    const s = await start({ dbPath });
    const [r] = chainOf(1, {
      each: () => ({
        satisfaction: '1',
        evalDetail: '501',
        userName: '张三丰',
        userPageType: '111',
        certKey: ID_CARD,
        mobile: '13812345678',
      }),
    });
    expect(await statuses(s, [r!])).toEqual(['accepted']);
    expect(s.records()[0]!.record).toMatchObject({
      userName: '张**',
      userPageType: '111',
      certKey: '4601**********1230',
      mobile: '138****5678',
    });
    expect(s.chainBreaks()).toEqual([]);
    await s.close();
    server = null;
    const bytes = ledgerBytes(dbPath);
    for (const clear of [ID_CARD, '张三丰', '13812345678'])
      expect(bytes.includes(Buffer.from(clear))).toBe(false);
  });

  it('masks the identity of a ledger written by the first simulator, keeping every record', async () => {
    const dbPath = tempDb();
    const old = new Database(dbPath);
    old.exec(`CREATE TABLE records (rating_id TEXT PRIMARY KEY, project_no TEXT NOT NULL, assess_number TEXT NOT NULL,
      device_id TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL, received_at INTEGER NOT NULL,
      UNIQUE (project_no, assess_number));
      CREATE INDEX records_chain ON records (device_id, seq);`);
    const records = chainOf(2, {
      each: (i) => (i === 0 ? { userName: '李四', userPageType: '111', certKey: ID_CARD } : {}),
    });
    for (const r of records)
      old
        .prepare('INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(r.ratingId, r.projectNo, r.assessNumber, r.deviceId, r.seq, JSON.stringify(r), 1);
    old.close();

    const s = await start({ dbPath });
    expect(s.records().map((x) => [x.record.seq, x.record.certKey, x.record.userName])).toEqual([
      [1, '4601**********1230', '李*'],
      [2, undefined, undefined],
    ]);
    expect(s.chainBreaks()).toEqual([]);
    expect(await statuses(s, records)).toEqual(['duplicate', 'duplicate']);
    await s.close();
    server = null;
    const bytes = ledgerBytes(dbPath);
    expect(bytes.includes(Buffer.from(ID_CARD))).toBe(false);
    expect(bytes.includes(Buffer.from('李四'))).toBe(false);
  });

  it('keeps its request log and heartbeats in its database and only the last few request bodies in memory', async () => {
    const dbPath = tempDb();
    let s = await start({ dbPath, keepBodies: 2 });
    for (let i = 0; i < 5; i++) await post(s.url, HEARTBEAT, heartbeat(`HK-000${i}`));
    const requests = s.stats.requests;
    expect(requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(requests.map((r) => r.body !== '')).toEqual([false, false, false, true, true]);
    expect(JSON.parse(requests[4]!.body)).toMatchObject({ appMark: APP_MARK });
    await s.close();
    server = null;
    s = await start({ dbPath });
    expect(s.stats.heartbeats.map((h) => h.deviceId)).toEqual([
      'HK-0000',
      'HK-0001',
      'HK-0002',
      'HK-0003',
      'HK-0004',
    ]);
  });

  it('remembers what it received across a restart (permanent de-duplication in its SQLite file)', async () => {
    const dbPath = tempDb();
    const records = chainOf(4);
    let s = await start({ dbPath });
    expect(await statuses(s, records)).toEqual(Array(4).fill('accepted'));
    await s.close();
    server = null;
    s = await start({ dbPath });
    expect(await statuses(s, records)).toEqual(Array(4).fill('duplicate'));
    expect(s.records()).toHaveLength(4);
  });

  it('limits a fault to the next n requests when asked', async () => {
    const s = await start();
    s.faults.set({ kind: 'status500' }, { times: 1 });
    expect((await post(s.url, RECORDS, { records: chainOf(1) })).status).toBe(500);
    expect((await post(s.url, RECORDS, { records: chainOf(1, { deviceId: 'HK-0002' }) })).status).toBe(200);
    expect(s.faults.current()).toBeNull();
  });

  it('accepts a conforming record for each document type and a legal person with its handler', async () => {
    const s = await start();
    const identities: Wire[] = [
      { userName: '张三', userPageType: '111', certKey: ID_CARD },
      { userName: '陈大文', userPageType: '554', certKey: '810000199001011230' },
      { userName: 'SMITH JOHN', userPageType: '553', certKey: 'USA110090010112' },
      { userName: '史密斯', userPageType: '553', certKey: '915600199001011231' },
      {
        userProp: '2',
        userName: '海口某某有限公司',
        userPageType: '001',
        certKey: '91110000600037341L',
        handleUserName: '王五',
        handleUserPageType: '111',
        handleUserPageCode: ID_CARD,
      },
    ];
    expect(await statuses(s, chainOf(identities.length, { each: (i) => identities[i]! }))).toEqual(
      Array(identities.length).fill('accepted'),
    );
    expect(conformingRecord().proManager).toBe('王芳');
  });
});
