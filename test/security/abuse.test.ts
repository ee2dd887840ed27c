/**
 * Threat (domain-rules §7): 刷好评 and malicious 差评 — a clerk hammering the pad, presses with no ticket,
 * presses faster than a human right after a session opens, one ID card rating many services — inflating or
 * wrecking a window's numbers, which decide staff appraisals.
 * Defences: src/session/press.ts (response interval, no-session, stale-session), src/policy/flags.ts
 * (too-fast, id-burst), src/store (suppressed_presses append-only, flags inside the hashed record_json),
 * src/store/stats-repo.ts (statistics computed from ratings only), the record builder (flags to the province).
 * Attack: against the real kiosk process, with the province test server receiving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkCall } from '../support/kiosk-process.js';
import type { ProvinceServer } from '../../dev-tools/province-sim/server.js';
import {
  adminGet,
  ApiClient,
  queryDb,
  sleep,
  startProvince,
  startSecurityKiosk,
  until,
  type SecurityKiosk,
} from '../support/security/kiosk.js';

const CITIZEN = { certType: 'id-card', certKey: '460100199001011230', userName: '李四' };
const shanghaiToday = (): string =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());

let sec: SecurityKiosk;
let province: ProvinceServer;
let api: ApiClient;

beforeAll(async () => {
  sec = await startSecurityKiosk(
    () => ({ session: { responseIntervalSec: 1 }, province: { baseUrl: province.url } }),
    {
      prefix: 'hcp-sec-abuse-',
      before: async (dataDir, secrets) => {
        province = await startProvince(dataDir, secrets);
      },
    },
  );
  api = await ApiClient.connect(sec.info.uiUrl);
}, 60_000);

afterAll(async () => {
  api?.close();
  await sec?.dispose();
  await province?.close();
});

describe('abuse policy end to end', () => {
  it('hammering, no-ticket presses, too-fast presses and an ID card rating eleven services are all kept with their reason or flag, counted only as valid ratings, and the flags reach the province', async () => {
    expect(
      (await linkCall(sec.info, 'POST', '/v1/staff/signin', { staffId: '0815', name: '王小明' })).status,
    ).toBe(200);

    // 1. Presses with no ticket: a clerk (or a keyboard-mode pad) hammering between services.
    for (let i = 0; i < 12; i += 1) await api.call('padKey', ['Digit5']);
    await api.call('rate', ['00000000-0000-0000-0000-000000000000', 'very_satisfied']);

    // 2. Eleven services for one ID card; the first press comes faster than a human can (< 300 ms).
    let lastRatedAt = 0;
    for (let n = 1; n <= 11; n += 1) {
      const wait = lastRatedAt + 1_100 - Date.now();
      if (wait > 0) await sleep(wait);
      const opened = Date.now();
      const done = await linkCall(sec.info, 'POST', '/v1/service/completed', {
        ticketNo: `B${String(n).padStart(3, '0')}`,
        projectNo: `ABUSE-${n}`,
        citizen: CITIZEN,
      });
      expect(done.status).toBe(202);
      const { sessionId } = done.json as { sessionId: string };
      if (n > 1) await sleep(Math.max(0, opened + 350 - Date.now()));
      const answer = await api.call('rate', [sessionId, 'very_satisfied']);
      expect(answer).toMatchObject({ result: { ok: true } });
      if (n === 1) expect(Date.now() - opened).toBeLessThan(300);
      lastRatedAt = Date.now();
      if (n === 1) {
        // 3. The clerk hammers the pad right after the citizen's rating (inside the response interval).
        for (let i = 0; i < 8; i += 1) await api.call('padKey', ['Digit5']);
      }
    }

    const suppressed = queryDb<{ reason: string; source: string; flags: string }>(
      sec.dataDir,
      'SELECT reason, source, flags FROM suppressed_presses ORDER BY id',
    );
    expect(suppressed.filter((p) => p.reason === 'no-session')).toHaveLength(13);
    expect(suppressed.filter((p) => p.reason === 'response-interval')).toHaveLength(8);
    expect(suppressed).toHaveLength(21);

    const ratings = queryDb<{ seq: number; record_json: string }>(
      sec.dataDir,
      'SELECT seq, record_json FROM ratings ORDER BY seq',
    );
    expect(ratings).toHaveLength(11);
    const flags = ratings.map((r) => (JSON.parse(r.record_json) as { flags: string[] }).flags);
    expect(flags[0]).toEqual(['too-fast']);
    expect(flags.slice(1, 10).every((f) => f.length === 0)).toBe(true);
    expect(flags[10]).toEqual(['id-burst']);

    const summary = await adminGet(sec.info, `/v1/ratings/summary?date=${shanghaiToday()}`);
    expect(summary.status).toBe(200);
    expect(summary.json).toMatchObject({ total: 11, suppressed: 21, counts: { very_satisfied: 11 } });

    await linkCall(sec.info, 'POST', '/v1/sync/now', {}, sec.info.adminToken);
    const received = await until(
      'all eleven records at the province',
      () => {
        const records = province.records();
        return records.length === 11 ? records : null;
      },
      20_000,
    );
    const bySeq = new Map(received.map((r) => [r.record.seq, r.record.flags]));
    expect(bySeq.get(1)).toEqual(['too-fast']);
    expect(bySeq.get(11)).toEqual(['id-burst']);
    expect(province.chainBreaks()).toEqual([]);
  }, 60_000);
});
