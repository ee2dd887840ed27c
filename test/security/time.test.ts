/**
 * Threats (issue 18 item 6): a window system (or someone posing as one) reports `completedAt` in year 2000, so
 * the service defaults at once (domain-rules §4), or in 2999, so it never does; the kiosk clock is set back two
 * days, so ratings are stored back-dated and delivered out of order with nothing said.
 * Defences: src/link/schemas.ts `completedAtInWindow` + src/link/routes.ts (400 invalid-body, field
 * completedAt, outside 2 days back / 10 minutes ahead), src/store/ratings-repo.ts (a rating stored before the
 * newest record's time is flagged `clock-back`, never refused), src/app/diagnostics.ts `integrityProblems`
 * (E2232 while the clock is behind the newest rating; health degraded).
 * Attack: the window link of the real kiosk process; the clock through the real store (the kiosk process
 * takes the system clock, which a test may not set).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integrityProblems } from '../../src/app/diagnostics.js';
import { openStore } from '../../src/store/store.js';
import { linkCall } from '../support/kiosk-process.js';
import { startSecurityKiosk, tableCounts, type SecurityKiosk } from '../support/security/kiosk.js';
import { draftFor, newService, PII_KEY, tempDir } from '../store/helpers.js';

let sec: SecurityKiosk;
beforeAll(async () => {
  sec = await startSecurityKiosk({}, { prefix: 'hcp-sec-time-' });
}, 60_000);
afterAll(async () => {
  await sec?.dispose();
});

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

describe('time', () => {
  it('completedAt in year 2000, in 2999, 3 days back or an hour ahead is refused with 400 on completedAt and opens nothing; a minute ago is taken', async () => {
    const before = tableCounts(sec.dataDir).services;
    const now = Date.now();
    const bad = [
      '2000-01-01T09:00:00+08:00',
      '2999-01-01T09:00:00+08:00',
      iso(now - 3 * 86_400_000),
      iso(now + 3_600_000),
    ];
    for (const [i, completedAt] of bad.entries()) {
      const answer = await linkCall(sec.info, 'POST', '/v1/service/completed', {
        ticketNo: `TB${i}`,
        completedAt,
      });
      expect({ completedAt, status: answer.status, json: answer.json }).toEqual({
        completedAt,
        status: 400,
        json: { error: 'invalid-body', field: 'completedAt' },
      });
    }
    expect(tableCounts(sec.dataDir).services).toBe(before);
    const ok = await linkCall(sec.info, 'POST', '/v1/service/completed', {
      ticketNo: 'TOK',
      completedAt: iso(now - 60_000),
    });
    expect(ok.status).toBe(202);
    expect(tableCounts(sec.dataDir).services).toBe(before! + 1);
  });

  it('a clock set back past the newest rating: ratings are still stored, flagged clock-back, and diagnostics say E2232 until the clock catches up', () => {
    const t = tempDir();
    try {
      const store = openStore({ path: t.dbPath, piiKey: PII_KEY });
      const rate = (at: number) => {
        const service = store.insertService(newService({ completedAt: at - 1000 }));
        return store.commitRating({
          serviceId: service.id,
          level: 'satisfied',
          draft: draftFor('satisfied', at, service),
          source: 'pad',
          sessionId: service.sessionId,
          at,
        }).seq;
      };
      const today = 1_800_000_000_000;
      const first = rate(today);
      const backDated = rate(today - 2 * 86_400_000); // the clock went two days back
      expect(store.getRating(first)!.record.flags).toEqual([]);
      expect(store.getRating(backDated)!.record.flags).toEqual(['clock-back']);
      // The clock is still two days behind the newest rating: said on diagnostics until it catches up.
      expect(integrityProblems({ piiKeyLost: false, store, now: today - 2 * 86_400_000 + 5000 })).toEqual([
        {
          code: 'E2232',
          detail: { newestRatingAt: new Date(today).toISOString(), behindMs: 2 * 86_400_000 - 5000 },
        },
      ]);
      expect(integrityProblems({ piiKeyLost: false, store, now: today + 1000 })).toEqual([]);
      expect(store.verifyChain(today)).toMatchObject({ ok: true, lastSeq: 2 });
      store.close();
    } finally {
      t.cleanup();
    }
  });
});
