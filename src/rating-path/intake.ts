/**
 * Service intake: a service the window system reports (window-link.md `POST /v1/service/completed`) becomes
 * a service row with its key (service-key.ts), its clerk (clerk.ts) and its identity by meaning
 * (identity.ts), or is found as the repeat of one already stored. The window's open/closed state and the
 * session engine stay the core's (src/app/kiosk-core.ts); this is the part that decides what is stored.
 */
import crypto from 'node:crypto';
import type { CertType } from '../shared/cert-type.js';
import type { KioskStore, ServiceRow } from '../store/types.js';
import { clerkForService, type Clerk } from './clerk.js';
import { userPropFor, type CitizenIdentity } from './identity.js';
import { serviceKeyOf, type ServiceNode } from './service-key.js';

/** A citizen's identity as the window link or the card reader hands it over (number already checked). */
export interface IdentityInput {
  certType: CertType;
  certKey: string;
  userName: string;
}

export function citizenIdentityOf(input: IdentityInput): CitizenIdentity {
  return {
    certKey: input.certKey,
    userName: input.userName,
    userProp: userPropFor(input.certType),
    certType: input.certType,
  };
}

/** A reported service, validated (src/link/schemas.ts); PII in `citizen`. */
export interface ReportedService {
  ticketNo: string;
  projectNo: string | null;
  taskCode: string | null;
  taskName: string | null;
  serviceNumber: string;
  node: ServiceNode;
  completedAt: number;
  /** The clerk who served, when the window system says. */
  staff: Clerk | null;
  citizen: IdentityInput | null;
}

export interface ServiceIntakeDeps {
  store: Pick<KioskStore, 'findService' | 'insertService'>;
  /** `window.defaultStaff` of the configuration in force (it may change without a restart). */
  defaultStaff: () => Clerk;
}

export function createServiceIntake(deps: ServiceIntakeDeps) {
  return {
    /** The stored service with the same key (domain-rules §2: a repeat answers the same session). */
    existing(service: ReportedService): ServiceRow | undefined {
      return deps.store.findService(serviceKeyOf(service));
    },
    /** Stores a new service; `signedIn` is the clerk signed in at the window now. */
    record(service: ReportedService, signedIn: Clerk | null, openedAt: number): ServiceRow {
      const clerk = clerkForService(service.staff, signedIn, deps.defaultStaff());
      return deps.store.insertService({
        ticketNo: service.ticketNo,
        projectNo: service.projectNo,
        serviceNumber: service.serviceNumber,
        node: service.node,
        sessionId: crypto.randomUUID(),
        taskCode: service.taskCode,
        taskName: service.taskName,
        completedAt: service.completedAt,
        openedAt,
        staffId: clerk.staffId,
        staffName: clerk.name,
        citizen: service.citizen ? citizenIdentityOf(service.citizen) : null,
      });
    },
  };
}

export type ServiceIntake = ReturnType<typeof createServiceIntake>;
