/**
 * 0009: the service key of domain-rules §2 ⟨r2⟩ (rating-path/service-key.ts). Before it the key was
 * (ticketNo, projectNo, serviceNumber, day) for every service, and the lookup left the day out, so
 * tomorrow's ticket A023 got yesterday's session back and could not be rated (issue 15 item 1). Now:
 * - each service has its evaluation node (`accepted` | `in-progress` | `completed`); rows before this step
 *   were all reported at completion, so they take `completed`;
 * - without a projectNo the key is (ticketNo, serviceNumber, node, day): rows before this step were unique on
 *   (ticketNo, serviceNumber, day) already, so the unique index holds for them too;
 * - with a projectNo the key is (projectNo, serviceNumber, node), whatever the ticket or the day. The old
 *   rule let the same projectNo open a session on another ticket or day; such rows are kept (nothing stored is
 *   ever lost) and the unique index covers the services after the last of them, while the lookup index
 *   covers all (the lookup answers the latest).
 */
import type { Migration } from './types.js';

export const migration0009: Migration = {
  version: 9,
  name: 'service-key',
  up(db) {
    db.exec(`
ALTER TABLE services ADD COLUMN node TEXT NOT NULL DEFAULT 'completed'
  CHECK (node IN ('accepted','in-progress','completed'));
DROP INDEX services_key;
CREATE UNIQUE INDEX services_ticket_key ON services (ticket_no, service_number, node, service_day)
  WHERE project_no IS NULL;
CREATE INDEX services_project_lookup ON services (project_no, service_number, node)
  WHERE project_no IS NOT NULL;
`);
    const clash = db
      .prepare<[], { last: number | null }>(
        `SELECT max(s.id) AS last FROM services s
         WHERE s.project_no IS NOT NULL AND EXISTS (
           SELECT 1 FROM services o WHERE o.project_no = s.project_no AND o.service_number = s.service_number
             AND o.node = s.node AND o.id <> s.id)`,
      )
      .get();
    // DDL takes no bound parameters; `after` is an integer read from this database.
    const after = Math.trunc(clash?.last ?? 0);
    db.exec(`CREATE UNIQUE INDEX services_project_key ON services (project_no, service_number, node)
  WHERE project_no IS NOT NULL AND id > ${after};`);
  },
};
