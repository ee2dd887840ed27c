/**
 * The kiosk core in-process with the real store, catalogue and sync wiring (demo mode, no devices): the
 * glue between window link, session engine, KioskApi and the SQLite file.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKioskCore, type RunningCore } from '../../src/app/core-factory.js';
import { silentLogger } from '../../src/app/logger.js';
import type { LinkEvent } from '../../src/link/index.js';
import { LEVEL_KEYS } from '../../src/shared/levels.js';
import type { KioskView } from '../../src/shared/kiosk-api.js';
import { makeDataDir } from '../support/kiosk-process.js';
import { until } from '../support/polling.js';

const service = (
  ticketNo: string,
  extra: Partial<Parameters<RunningCore['core']['serviceCompleted']>[0]> = {},
) => ({
  ticketNo,
  projectNo: null,
  taskCode: null,
  taskName: null,
  serviceNumber: '1',
  node: 'completed' as const,
  completedAt: Date.now(),
  staff: null,
  citizen: null,
  ...extra,
});

describe('kiosk core', () => {
  let running: RunningCore;
  let dataDir: string;
  let events: LinkEvent[];
  let views: KioskView[];

  beforeEach(async () => {
    dataDir = makeDataDir('hcp-core-');
    running = await createKioskCore({
      demo: true,
      dataDir,
      log: silentLogger,
      demoDevices: false,
      demoOverrides: { session: { responseIntervalSec: 0 } },
    });
    events = [];
    views = [];
    running.core.subscribe((e) => events.push(e));
    running.core.provider.subscribe((v) => views.push(v));
  });

  afterEach(async () => {
    await running.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('a completed service opens a session shown on the rate screen, and a repeat answers the same session without a second one', () => {
    const first = running.core.serviceCompleted(service('A001'));
    const again = running.core.serviceCompleted(service('A001'));
    expect(first.created).toBe(true);
    expect(again).toEqual({ sessionId: first.sessionId, created: false });
    expect(running.store.counts().services).toBe(1);
    expect(running.core.view().screen).toBe('rate');
    expect(running.core.view().session?.sessionId).toBe(first.sessionId);
    expect(events).toEqual([{ type: 'session.opened', ticketNo: 'A001', sessionId: first.sessionId }]);
  });

  it('a touch on 满意 commits one chained rating, shows the thanks screen and tells the window system "rated" without the level', async () => {
    const { sessionId } = running.core.serviceCompleted(service('A002', { projectNo: 'P-1' }));
    expect(await running.core.provider.api.rate(sessionId, 'satisfied')).toEqual({ ok: true });
    expect(running.core.view().screen).toBe('thanks');
    expect(running.store.getRating(1)?.record).toMatchObject({
      seq: 1,
      satisfaction: '4',
      projectNo: 'P-1',
      pf: '5',
      isDefault: '0',
    });
    expect(running.core.serviceState('A002')).toBe('rated');
    const closed = events.find((e) => e.type === 'session.closed');
    expect(closed).toEqual({ type: 'session.closed', ticketNo: 'A002', sessionId, state: 'rated' });
    for (const level of LEVEL_KEYS) expect(JSON.stringify(events)).not.toContain(level);
  });

  it('a 差评 opens the reasons step; an unknown reason is refused with E7003 and stores nothing; a catalogue reason commits it with evalDetail', async () => {
    // A province catalogue's reason (the demo province serves one at start): reasons chosen from the built-in
    // catalogue are sent as text instead (test/rating-path/commit.test.ts).
    await until(
      'the province catalogue',
      () => (running.sync.diagnostics().catalogue as { source: string }).source === 'province',
    );
    const { sessionId } = running.core.serviceCompleted(service('A003'));
    await running.core.provider.api.rate(sessionId, 'very_dissatisfied');
    const view = running.core.view();
    expect(view.screen).toBe('reasons');
    expect(view.session?.chosenLevel).toBe('very_dissatisfied');
    expect(view.session?.reasons.length).toBeGreaterThan(0);
    const refused = await running.core.provider.api.submitReasons(sessionId, ['nope'], '');
    expect(refused).toMatchObject({ ok: false, code: 'E7003' });
    expect(running.store.counts().ratings).toBe(0);
    const code = view.session!.reasons[0]!.code;
    expect(await running.core.provider.api.submitReasons(sessionId, [code], '窗口人员离岗')).toEqual({
      ok: true,
    });
    expect(running.store.getRating(1)?.record).toMatchObject({
      satisfaction: '1',
      evalDetail: code,
      writingEvaluation: '窗口人员离岗',
    });
  });

  it('a paused window refuses new sessions with E3008 and stores nothing, and ends an open one as unrated', () => {
    running.core.serviceCompleted(service('A004'));
    running.core.setWindowStatus('paused', '<b>午休</b>');
    expect(running.core.serviceState('A004')).toBe('unrated');
    expect(running.core.view()).toMatchObject({
      screen: 'paused',
      pauseMessage: '<b>午休</b>',
      session: null,
    });
    expect(() => running.core.serviceCompleted(service('A005'))).toThrowError(
      expect.objectContaining({ code: 'E3008' }),
    );
    expect(running.store.counts().services).toBe(1);
  });

  it('a keyboard-mode pad key with no open session is stored as a suppressed press, and an unmapped key is refused', async () => {
    expect(await running.core.provider.api.padKey('Digit3')).toEqual({ ok: true });
    expect(running.store.counts()).toMatchObject({ suppressed: 1, ratings: 0 });
    expect(await running.core.provider.api.padKey('KeyQ')).toMatchObject({ ok: false });
    expect(running.store.counts().suppressed).toBe(1);
  });

  it('the citizen language goes back to the default when the next service opens', async () => {
    const { sessionId } = running.core.serviceCompleted(service('A006'));
    await running.core.provider.api.setLanguage('en');
    expect(running.core.view().language).toBe('en');
    await running.core.provider.api.rate(sessionId, 'basic');
    running.core.serviceCompleted(service('A007'));
    expect(running.core.view().language).toBe('zh-CN');
  });

  it('the daily summary is computed from the records and the diagnostics carry no secret', async () => {
    for (const [ticket, level] of [
      ['B1', 'very_satisfied'],
      ['B2', 'satisfied'],
      ['B3', 'basic'],
    ] as const) {
      const { sessionId } = running.core.serviceCompleted(service(ticket));
      await running.core.provider.api.rate(sessionId, level);
    }
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    expect(running.core.ratingsSummary(today)).toMatchObject({ total: 3, satisfactionRate: 1 });
    const diagnostics = JSON.stringify(running.core.diagnostics());
    for (const secret of [
      running.config.link.linkToken,
      running.config.link.adminToken,
      running.config.province.appWord,
    ]) {
      expect(diagnostics).not.toContain(secret);
    }
    expect(() => running.core.ratingsSummary('2026-02-30')).toThrow(RangeError);
  });

  it("a clerk sign-in and sign-out over the window link are audited with the audit trail's event names", () => {
    running.core.staffSignIn({ staffId: '0815', name: '王小明', title: null, photo: null });
    running.core.staffSignOut();
    const db = new Database(running.paths.database, { readonly: true });
    try {
      const rows = db
        .prepare(`SELECT actor, action FROM audit WHERE action LIKE 'staff.%' ORDER BY id`)
        .all();
      expect(rows).toEqual([
        { actor: 'staff:0815', action: 'staff.sign-in' },
        { actor: 'staff:0815', action: 'staff.sign-out' },
      ]);
    } finally {
      db.close();
    }
  });

  it('every view change is published to subscribers with a rising version', async () => {
    const { sessionId } = running.core.serviceCompleted(service('A008'));
    await running.core.provider.api.rate(sessionId, 'satisfied');
    const versions = views.map((v) => v.version);
    expect(versions.length).toBeGreaterThanOrEqual(2);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
  });
});
