/**
 * The service key (domain-rules §2 ⟨r2⟩): (projectNo, serviceNumber, node) when the window system gives a
 * projectNo, else (ticketNo, serviceNumber, node, Asia/Shanghai day of completion): queue tickets restart
 * every day, so ticket A023 tomorrow is a new service. A repeat of the same key answers the same session.
 * Pure; the store looks a key up (services-repo.ts), it does not decide what the key is.
 */
import { DAY_MS, SHANGHAI_OFFSET_MS } from '../sync/time.js';

/** The evaluation node a service is rated at (domain-rules §2, GDZW 0059); `completed` by default. */
export const SERVICE_NODES = ['accepted', 'in-progress', 'completed'] as const;
export type ServiceNode = (typeof SERVICE_NODES)[number];
export const DEFAULT_SERVICE_NODE: ServiceNode = 'completed';

export type ServiceKey =
  | { kind: 'project'; projectNo: string; serviceNumber: string; node: ServiceNode }
  | { kind: 'ticket'; ticketNo: string; serviceNumber: string; node: ServiceNode; day: number };

/** Asia/Shanghai calendar day number of an instant (China keeps no daylight-saving time). */
export function shanghaiDay(at: number): number {
  return Math.floor((at + SHANGHAI_OFFSET_MS) / DAY_MS);
}

export interface KeyedService {
  ticketNo: string;
  projectNo: string | null;
  serviceNumber: string;
  node: ServiceNode;
  /** Epoch ms the service completed (the window system's `completedAt`, else the time of its call). */
  completedAt: number;
}

export function serviceKeyOf(service: KeyedService): ServiceKey {
  const { serviceNumber, node } = service;
  if (service.projectNo !== null && service.projectNo !== '') {
    return { kind: 'project', projectNo: service.projectNo, serviceNumber, node };
  }
  return {
    kind: 'ticket',
    ticketNo: service.ticketNo,
    serviceNumber,
    node,
    day: shanghaiDay(service.completedAt),
  };
}
