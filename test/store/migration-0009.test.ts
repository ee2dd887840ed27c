/** Migration 0009: the service key of domain-rules §2 ⟨r2⟩ (node, and the day only without a projectNo). */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { migration0009 } from '../../src/store/migrations/0009-service-key.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { serviceKeyOf } from '../../src/rating-path/index.js';
import { openStore } from '../../src/store/store.js';
import { newService, PII_KEY, tempDir, type TempDir } from './helpers.js';

let t: TempDir;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

const before9 = MIGRATIONS.filter((m) => m.version < 9);
const DAY = 86_400_000;

/** A service row as versions before 0009 wrote it (no node). */
function insertOldService(
  db: Database.Database,
  id: number,
  ticketNo: string,
  projectNo: string | null,
  day: number,
) {
  db.prepare(
    `INSERT INTO services (id, session_id, ticket_no, project_no, service_number, service_day, completed_at, opened_at)
     VALUES (?, ?, ?, ?, '1', ?, ?, ?)`,
  ).run(id, `s-${id}`, ticketNo, projectNo, day, day * DAY, day * DAY);
}

describe('migration 0009 (service key)', () => {
  it('gives every service stored before it the node "completed" and keeps every row', () => {
    const db = new Database(t.dbPath);
    migrate(db, before9);
    insertOldService(db, 1, 'A001', null, 20_000);
    insertOldService(db, 2, 'A001', null, 20_001);
    expect(migrate(db, [...before9, migration0009])).toEqual([9]);
    expect(db.prepare('SELECT id, node FROM services ORDER BY id').all()).toEqual([
      { id: 1, node: 'completed' },
      { id: 2, node: 'completed' },
    ]);
    db.close();
  });

  it('migrates services the old rule let through twice for one projectNo, and guards the key from then on', () => {
    const db = new Database(t.dbPath);
    migrate(db, before9);
    // The old key had the ticket and the day in it: the same 办件 reported on two days made two rows.
    insertOldService(db, 1, 'A001', 'P-1', 20_000);
    insertOldService(db, 2, 'B002', 'P-1', 20_001);
    expect(migrate(db, [...before9, migration0009])).toEqual([9]);
    db.close();
    const store = openStore({ path: t.dbPath, piiKey: PII_KEY, now: () => 20_002 * DAY });
    try {
      // The lookup answers the latest of the two.
      expect(store.findService(serviceKeyOf(newService({ projectNo: 'P-1' })))?.id).toBe(2);
      const fresh = newService({ projectNo: 'P-2' });
      store.insertService(fresh);
      expect(() =>
        store.insertService({
          ...fresh,
          sessionId: 'again',
          ticketNo: 'Z999',
          completedAt: fresh.completedAt + DAY,
        }),
      ).toThrow(expect.objectContaining({ code: 'E2206' }));
    } finally {
      store.close();
    }
  });

  it('lets the same ticket, serviceNumber and node open again on another day, and refuses it on the same day', () => {
    const store = openStore({ path: t.dbPath, piiKey: PII_KEY });
    try {
      const a = newService({ ticketNo: 'A023' });
      store.insertService(a);
      expect(() => store.insertService({ ...a, sessionId: 'x' })).toThrow(
        expect.objectContaining({ code: 'E2206' }),
      );
      expect(store.insertService({ ...a, sessionId: 'y', completedAt: a.completedAt + DAY }).ticketNo).toBe(
        'A023',
      );
      expect(store.insertService({ ...a, sessionId: 'z', node: 'accepted' }).node).toBe('accepted');
    } finally {
      store.close();
    }
  });
});
