/**
 * Window link (window-link.md): the HTTP service through which the window system reports completed
 * services and technicians read diagnostics. The kiosk core implements `LinkBackend`.
 */
export type {
  CitizenInput,
  CompletedServiceInput,
  LinkBackend,
  LinkEvent,
  LinkLogEntry,
  LinkServer,
  LinkServerOptions,
  ProvisionResult,
  ServiceState,
  StaffSignInInput,
  WindowStatus,
} from './types.js';
export { SERVICE_STATES } from './types.js';
export { startLinkServer } from './server.js';
export { createFailureThrottle } from './throttle.js';
export type { FailureThrottle, ThrottleOptions, ThrottleVerdict } from './throttle.js';
