import type { CompletedServiceInput } from '../../src/link/index.js';

/** A completed service as the window link hands it to the core (window-link.md `service/completed`). */
export function completedService(
  ticketNo: string,
  extra: Partial<CompletedServiceInput> = {},
): CompletedServiceInput {
  return {
    ticketNo,
    projectNo: null,
    taskCode: null,
    taskName: null,
    serviceNumber: '1',
    node: 'completed',
    completedAt: Date.now(),
    staff: null,
    citizen: null,
    ...extra,
  };
}
