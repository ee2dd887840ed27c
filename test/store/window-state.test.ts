/**
 * The window across restarts (domain-rules §11, migration 0007) and the sessions a stop left open (§2 ⟨r2⟩):
 * both are kept by the store, so a restart resumes the window and closes left-open services as unrated.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, userVersion } from '../../src/store/migrate.js';
import { migration0007 } from '../../src/store/migrations/0007-window-state.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { newService, open, rateNewService, tempDir, type TempDir } from './helpers.js';

let t: TempDir;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

describe('migration 0007 (window state)', () => {
  it('adds an empty window_state table to a database of the previous version and keeps its services', () => {
    const before = MIGRATIONS.filter((m) => m.version < migration0007.version);
    const db = new Database(t.dbPath);
    migrate(db, before);
    db.prepare(
      `INSERT INTO services (session_id, ticket_no, service_number, service_day, completed_at, opened_at)
       VALUES ('s-1', 'A001', '1', 20000, 10, 11)`,
    ).run();
    expect(migrate(db, [...before, migration0007])).toEqual([7]);
    expect(userVersion(db)).toBe(7);
    expect(db.prepare('SELECT count(*) AS n FROM window_state').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT ticket_no FROM services').all()).toEqual([{ ticket_no: 'A001' }]);
    // One row only, and a clerk is always an id with a name.
    const insert = db.prepare(
      `INSERT INTO window_state (id, status, clerk_staff_id, clerk_name, updated_at) VALUES (?, ?, ?, ?, 0)`,
    );
    insert.run(1, 'open', null, null);
    expect(() => insert.run(2, 'open', null, null)).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE window_state SET clerk_staff_id = '0815'`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE window_state SET status = 'gone'`).run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('window state in the store', () => {
  it('is null on a new device and reads back, after the store is closed and opened again, exactly as last saved', () => {
    const store = open(t.dbPath);
    expect(store.windowState()).toBeNull();
    store.saveWindowState(
      {
        status: 'paused',
        pauseMessage: '午休，13:30 恢复',
        clerk: { staffId: '0815', name: '王小明', title: '综合窗口', photo: null },
        calledTicket: 'A023',
      },
      1,
    );
    store.saveWindowState(
      {
        status: 'closed',
        pauseMessage: null,
        clerk: { staffId: '0816', name: '李四', title: null, photo: 'data:image/jpeg;base64,AAAA' },
        calledTicket: null,
      },
      2,
    );
    store.close();
    const reopened = open(t.dbPath);
    expect(reopened.windowState()).toEqual({
      status: 'closed',
      pauseMessage: null,
      clerk: { staffId: '0816', name: '李四', title: null, photo: 'data:image/jpeg;base64,AAAA' },
      calledTicket: null,
    });
    reopened.close();
  });
});

describe('sessions left open by a stop', () => {
  it('are closed as unrated at their own open time, while rated and already closed services keep their outcome', () => {
    const store = open(t.dbPath);
    const open1 = store.insertService(newService({ openedAt: 1_700_000_000_100 }));
    const open2 = store.insertService(newService({ openedAt: 1_700_000_050_000 }));
    const timedOut = store.insertService(newService());
    store.closeService(timedOut.id, 'unrated', 1_700_000_031_000);
    const { serviceId: rated } = rateNewService(store, 'satisfied');

    expect(store.closeLeftOpenSessions()).toBe(2);
    expect(store.getService(open1.id)).toMatchObject({ outcome: 'unrated', closedAt: 1_700_000_000_100 });
    expect(store.getService(open2.id)).toMatchObject({ outcome: 'unrated', closedAt: 1_700_000_050_000 });
    expect(store.getService(timedOut.id)).toMatchObject({ outcome: 'unrated', closedAt: 1_700_000_031_000 });
    expect(store.getService(rated)).toMatchObject({ outcome: 'rated' });
    // They are now what the 7-day default looks for (src/sync/defaults.ts).
    const due = store.defaultCandidates(Number.MAX_SAFE_INTEGER, 10).map((c) => c.serviceId);
    expect(due).toEqual(expect.arrayContaining([open1.id, open2.id]));
    expect(store.closeLeftOpenSessions()).toBe(0);
    store.close();
  });
});
