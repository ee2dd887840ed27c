/** Completed services from the window system (window-link.md) and how each one's session ended (domain-rules §2). */
import { KioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';
import { sqliteCode, type StoreContext } from './context.js';
import { shanghaiDay, type ServiceNode } from '../rating-path/service-key.js';
import type {
  CitizenIdentity,
  NewService,
  SealedIdentity,
  ServiceKey,
  ServiceOutcome,
  ServiceRow,
  TicketState,
} from './types.js';

export { shanghaiDay } from '../rating-path/service-key.js';

interface Row {
  id: number;
  session_id: string;
  ticket_no: string;
  project_no: string | null;
  service_number: string;
  node: ServiceNode;
  task_code: string | null;
  task_name: string | null;
  completed_at: number;
  opened_at: number;
  outcome: ServiceOutcome | null;
  closed_at: number | null;
  staff_id: string | null;
  staff_name: string | null;
  has_citizen: number;
}

const COLUMNS = `id, session_id, ticket_no, project_no, service_number, node, task_code, task_name, completed_at,
  opened_at, outcome, closed_at, staff_id, staff_name, citizen_enc IS NOT NULL AS has_citizen`;

function toService(row: Row): ServiceRow {
  return {
    id: row.id,
    sessionId: row.session_id,
    ticketNo: row.ticket_no,
    projectNo: row.project_no,
    serviceNumber: row.service_number,
    node: row.node,
    taskCode: row.task_code,
    taskName: row.task_name,
    completedAt: row.completed_at,
    openedAt: row.opened_at,
    outcome: row.outcome,
    closedAt: row.closed_at,
    staffId: row.staff_id,
    staffName: row.staff_name,
    hasCitizen: row.has_citizen === 1,
  };
}

export function createServicesRepo(ctx: StoreContext) {
  const { db, cipher } = ctx;
  const byId = db.prepare<[number], Row>(`SELECT ${COLUMNS} FROM services WHERE id = ?`);
  // The service key (rating-path/service-key.ts, domain-rules §2 ⟨r2⟩), one statement per kind of key; both
  // are served by migration 0009's indexes. Latest first: rows from before 0009 may repeat a projectNo key.
  const byProjectKey = db.prepare<[string, string, string], Row>(
    `SELECT ${COLUMNS} FROM services WHERE project_no = ? AND service_number = ? AND node = ?
     ORDER BY id DESC LIMIT 1`,
  );
  const byTicketKey = db.prepare<[string, string, string, number], Row>(
    `SELECT ${COLUMNS} FROM services
     WHERE project_no IS NULL AND ticket_no = ? AND service_number = ? AND node = ? AND service_day = ?
     ORDER BY id DESC LIMIT 1`,
  );
  const insert = db.prepare(
    `INSERT INTO services (session_id, ticket_no, project_no, service_number, node, service_day, task_code,
       task_name, completed_at, opened_at, staff_id, staff_name, citizen_enc, citizen_digest)
     VALUES (@sessionId, @ticketNo, @projectNo, @serviceNumber, @node, @day, @taskCode, @taskName, @completedAt,
       @openedAt, @staffId, @staffName, @citizenEnc, @citizenDigest)`,
  );
  const setCitizen = db.prepare('UPDATE services SET citizen_enc = ?, citizen_digest = ? WHERE id = ?');
  const citizenOf = db.prepare<[number], { citizen_enc: string | null }>(
    'SELECT citizen_enc FROM services WHERE id = ?',
  );
  const close = db.prepare('UPDATE services SET outcome = ?, closed_at = ? WHERE id = ? AND outcome IS NULL');
  // Tickets restart every day: yesterday's A023 is not today's (window-link.md GET /v1/services/{ticketNo}).
  const stateByTicket = db.prepare<[string, number], { outcome: ServiceOutcome | null; rated: number }>(
    `SELECT s.outcome, s.rating_seq IS NOT NULL AS rated
     FROM services s WHERE s.ticket_no = ? AND s.service_day = ? ORDER BY s.id DESC LIMIT 1`,
  );

  function encryptCitizen(citizen: CitizenIdentity | null): {
    citizenEnc: string | null;
    citizenDigest: string | null;
  } {
    if (!citizen) return { citizenEnc: null, citizenDigest: null };
    return {
      citizenEnc: cipher.encrypt(JSON.stringify(citizen)),
      citizenDigest: ctx.digest(citizen.certKey),
    };
  }

  function getService(id: number): ServiceRow | undefined {
    const row = byId.get(id);
    return row ? toService(row) : undefined;
  }

  function requireService(id: number): void {
    if (!byId.get(id)) throw new KioskError(STORE_ERRORS.unknownService, undefined, { serviceId: id });
  }

  return {
    getService,
    findService(key: ServiceKey): ServiceRow | undefined {
      const row =
        key.kind === 'project'
          ? byProjectKey.get(key.projectNo, key.serviceNumber, key.node)
          : byTicketKey.get(key.ticketNo, key.serviceNumber, key.node, key.day);
      return row ? toService(row) : undefined;
    },
    /** A repeat of the same service key → STORE_ERRORS.duplicateService (domain-rules §2, migration 0009). */
    insertService(input: NewService): ServiceRow {
      const { citizen, ...rest } = input;
      let id: number;
      try {
        const info = insert.run({ ...rest, day: shanghaiDay(input.completedAt), ...encryptCitizen(citizen) });
        id = Number(info.lastInsertRowid);
      } catch (error) {
        if (sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new KioskError(STORE_ERRORS.duplicateService, undefined, undefined, { cause: error });
        }
        throw error;
      }
      return getService(id)!;
    },
    setServiceCitizen(serviceId: number, citizen: CitizenIdentity): void {
      const { citizenEnc, citizenDigest } = encryptCitizen(citizen);
      if (setCitizen.run(citizenEnc, citizenDigest, serviceId).changes === 0) requireService(serviceId);
    },
    /** As sealed, old form included (rating-path/identity.ts `identityOfSealed`). */
    serviceCitizen(serviceId: number): SealedIdentity | null {
      const row = citizenOf.get(serviceId);
      if (!row?.citizen_enc) return null;
      return JSON.parse(cipher.decrypt(row.citizen_enc)) as SealedIdentity;
    },
    /** The first outcome wins: closing an already-closed service changes nothing. */
    closeService(serviceId: number, outcome: ServiceOutcome, at: number): void {
      if (close.run(outcome, at, serviceId).changes === 0) requireService(serviceId);
    },
    /** The clerk side learns the state, never the level (window-link.md GET /v1/services/{ticketNo}). */
    serviceStateByTicket(ticketNo: string, day: number): TicketState | null {
      const row = stateByTicket.get(ticketNo, day);
      if (!row) return null;
      if (row.rated === 1) return 'rated';
      switch (row.outcome) {
        case null:
          return 'awaiting';
        case 'superseded':
          return 'unrated';
        default:
          return row.outcome;
      }
    },
  };
}

export type ServicesRepo = ReturnType<typeof createServicesRepo>;
