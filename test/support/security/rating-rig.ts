/**
 * A real kiosk process with a province test server on a fixed loopback port that can be brought up and down,
 * and helpers to rate through the window link + the kiosk's UI socket and to tamper with the stopped kiosk's
 * database as an attacker would (issue 18 attack tests; after test/security/integrity.test.ts).
 */
import Database from 'better-sqlite3';
import path from 'node:path';
import { expect } from 'vitest';
import { withCheckDigit } from '../../../drivers/sim/identities.js';
import type { ProvinceServer } from '../../../dev-tools/province-sim/server.js';
import { linkCall } from '../kiosk-process.js';
import {
  ApiClient,
  holdPort,
  startProvince,
  startSecurityKiosk,
  until,
  type SecurityKiosk,
} from './kiosk.js';

export interface Citizen {
  certType: 'id-card';
  certKey: string;
  userName: string;
}

/** A fictitious person with a valid GB 11643 check digit, the `i`-th of its kind. */
export function person(i: number): Citizen {
  return {
    certType: 'id-card',
    certKey: withCheckDigit(`4601061986020${String(10 + i).padStart(2, '0')}12`),
    userName: `试验${'甲乙丙丁戊己庚辛'[i % 8]}${'东南西北'[i % 4]}`,
  };
}

export interface RatingRig {
  sec: SecurityKiosk;
  province: ProvinceServer | null;
  provinceUp(): Promise<ProvinceServer>;
  provinceDown(): Promise<void>;
  /** One completed service (with `citizen` when given) rated 满意; answers the sessionId. */
  rate(citizen?: Citizen, extra?: Record<string, unknown>): Promise<string>;
  /** Asks for a sync and waits until the province holds `n` records. */
  delivered(n: number): Promise<void>;
  dispose(): Promise<void>;
}

export async function ratingRig(prefix: string, overrides: Record<string, unknown> = {}): Promise<RatingRig> {
  const held = await holdPort();
  const port = held.port;
  let ticket = 0;
  const r: RatingRig = {
    sec: await startSecurityKiosk(
      {
        session: { responseIntervalSec: 0 },
        province: { baseUrl: `http://127.0.0.1:${port}` },
        ...overrides,
      },
      { prefix },
    ),
    province: null,
    async provinceUp() {
      if (!r.province) {
        await held.release();
        r.province = await startProvince(r.sec.dataDir, r.sec.secrets, { port });
      }
      await linkCall(r.sec.info, 'POST', '/v1/sync/now', {}, r.sec.info.adminToken);
      return r.province;
    },
    async provinceDown() {
      await r.province?.close();
      r.province = null;
      await held.hold();
    },
    async rate(citizen, extra = {}) {
      ticket += 1;
      const done = await linkCall(r.sec.info, 'POST', '/v1/service/completed', {
        ticketNo: `R${ticket}`,
        projectNo: `${prefix}${ticket}-${Date.now()}`,
        ...(citizen ? { citizen } : {}),
        ...extra,
      });
      expect(done.status).toBe(202);
      const sessionId = (done.json as { sessionId: string }).sessionId;
      const api = await ApiClient.connect(r.sec.info.uiUrl);
      try {
        const answer = await api.call('rate', [sessionId, 'satisfied']);
        expect(answer).toMatchObject({ result: { ok: true } });
      } finally {
        api.close();
      }
      return sessionId;
    },
    async delivered(n) {
      await linkCall(r.sec.info, 'POST', '/v1/sync/now', {}, r.sec.info.adminToken);
      await until(`${n} records at the province`, () => (r.province?.records().length ?? 0) >= n, 20_000);
    },
    async dispose() {
      await r.sec.dispose();
      await r.province?.close();
      await held.release();
    },
  };
  return r;
}

/** Opens the stopped kiosk's database as an attacker would: drops every trigger, runs `change`, puts them back. */
export function tamper(dataDir: string, change: (db: Database.Database) => void): void {
  const db = new Database(path.join(dataDir, 'kiosk.sqlite'));
  try {
    const triggers = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger'`).all() as Array<{
      name: string;
      sql: string;
    }>;
    db.transaction(() => {
      for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
      db.pragma('foreign_keys = OFF');
      change(db);
      for (const t of triggers) db.exec(t.sql);
    })();
  } finally {
    db.close();
  }
}
