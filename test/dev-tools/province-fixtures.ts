/**
 * Hand-built wire records for the province test server's own tests: built field by field from the
 * profile's Record table (province-profile.md), not by the kiosk's record builder, so that a test of the
 * server does not inherit the kiosk's mistakes.
 */
import { sm2, sm3 } from 'sm-crypto-v2';
import { generateSm2KeyPair } from '../../src/sync/province/sm2.js';
import { buildEnvelope } from '../../src/sync/province/national-template/envelope.js';
import { uuidv7 } from '../../src/sync/uuidv7.js';
import { randomBytes } from 'node:crypto';

export const KEYS = generateSm2KeyPair();
export const APP_MARK = 'hcp-test-01';
export const APP_WORD = 'test-app-word';

/** A valid 居民身份证 number (GB 11643 check digit 0, born 1990-01-01). */
export const ID_CARD = '460100199001011230';
/** A valid 港澳台居民居住证 number (address code 810000: Hong Kong). */
export const HK_PERMIT = '810000199001011230';
/** 外国人永久居留身份证, 2017 layout and 2023 layout. */
export const FOREIGN_2017 = 'USA110090010112';
export const FOREIGN_2023 = '915600199001011231';
/** A valid 统一社会信用代码. */
export const USCC = '91110000600037341L';

export const rand = (n: number): Uint8Array => new Uint8Array(randomBytes(n));

export type Wire = Record<string, unknown>;

let counter = 0;

/** A 5 (非常满意) rating with every required field, no identity; fields overridable (undefined removes). */
export function conformingRecord(overrides: Wire = {}): Wire {
  counter += 1;
  const record: Wire = {
    ratingId: uuidv7(Date.now(), rand),
    projectNo: `4601002026112600${String(counter).padStart(4, '0')}`,
    taskCode: '11460100MB1234567X4460117001000',
    taskName: '食品经营许可',
    proStatus: '3',
    areaCode: '460100000000',
    deptCode: '11460100MB1234567X',
    proDepart: '海口市行政审批服务局',
    proManager: '王芳',
    staffId: 'S042',
    hallCode: 'HK01',
    windowNo: 'A12',
    deviceId: 'HK-0001',
    userProp: '1',
    pf: '5',
    satisfaction: '5',
    catalogueVersion: 'hi-2026.1',
    assessTime: '2026-11-26 09:30:15',
    serviceTime: '2026-11-26 09:28:00',
    assessNumber: '1',
    serviceNumber: '1',
    dataSource: '046',
    isDefault: '0',
    flags: [],
    seq: 1,
    prevHash: '0'.repeat(64),
    hash: '0'.repeat(64),
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete record[k];
    else record[k] = v;
  }
  return record;
}

const PII = new Set(['hash', 'sig', 'certKey', 'userName', 'mobile', 'handleUserName', 'handleUserPageCode']);

/** The profile's hash, written out here: SM3(prevHash ‖ canonical JSON without hash, sig and PII). */
export function profileHash(record: Wire): string {
  const keys = Object.keys(record)
    .filter((k) => !PII.has(k))
    .sort();
  const canonical =
    '{' + keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(record[k])}`).join(',') + '}';
  return sm3(String(record.prevHash) + canonical);
}

/** Device signature over the UTF-8 bytes of `hash` (GM/T 0003.2, default user id), `r ‖ s` hex. */
export function deviceSign(hash: string, privateKey: string): string {
  return sm2.doSignature(hash, privateKey, { der: false, hash: true });
}

/** `n` chained records of one device (seq 1…n), each hashed, optionally signed. */
export function chainOf(
  n: number,
  options: { deviceId?: string; signWith?: string; each?: (i: number) => Wire } = {},
): Wire[] {
  const out: Wire[] = [];
  let prevHash = '0'.repeat(64);
  for (let i = 0; i < n; i++) {
    const r = conformingRecord({
      deviceId: options.deviceId ?? 'HK-0001',
      seq: i + 1,
      prevHash,
      ...(options.each?.(i) ?? {}),
    });
    r.hash = profileHash(r);
    if (options.signWith) r.sig = deviceSign(r.hash as string, options.signWith);
    prevHash = r.hash as string;
    out.push(r);
  }
  return out;
}

/** POSTs an endpoint payload in a fresh envelope over loopback HTTP; the plain answer. */
export async function post(
  baseUrl: string,
  path: string,
  payload: unknown,
  now = Date.now(),
): Promise<{ status: number; json: Record<string, unknown> }> {
  const envelope = await buildEnvelope(
    payload,
    { appMark: APP_MARK, appWord: APP_WORD, publicKey: KEYS.publicKey },
    now,
  );
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
