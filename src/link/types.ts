/**
 * The window-link contract between the HTTP service (this folder) and the kiosk core (window-link.md).
 * The core implements `LinkBackend`; the service validates every call before it reaches the core.
 */
import type { ErrorCodeInfo } from '../shared/errors/index.js';
import type { CertType } from '../shared/cert-type.js';
import type { ServiceNode } from '../rating-path/service-key.js';

/** Where a completed service stands. Never the level: the clerk side must not learn what was chosen (domain-rules §5). */
export type ServiceState = 'awaiting' | 'rated' | 'unrated' | 'abandoned';

export const SERVICE_STATES: readonly ServiceState[] = ['awaiting', 'rated', 'unrated', 'abandoned'];

export interface CitizenInput {
  /** The document type, by meaning (domain-rules §5 ⟨r2⟩); the number has passed that type's check. */
  certType: CertType;
  certKey: string;
  userName: string;
}

export interface CompletedServiceInput {
  ticketNo: string;
  projectNo: string | null;
  taskCode: string | null;
  taskName: string | null;
  /** Digits, default "1". */
  serviceNumber: string;
  /** The evaluation node (domain-rules §2 ⟨r2⟩), default `completed`. */
  node: ServiceNode;
  /** Epoch ms; the time of the call when the window system sent none. */
  completedAt: number;
  /** The clerk who served, when the window system says (domain-rules §11). */
  staff: { staffId: string; name: string } | null;
  /** PII (domain-rules §5): never logged. */
  citizen: CitizenInput | null;
}

export type LinkEvent =
  | { type: 'session.opened'; ticketNo: string; sessionId: string }
  | { type: 'session.closed'; ticketNo: string; sessionId: string; state: ServiceState };

export interface StaffSignInInput {
  staffId: string;
  name: string;
  title: string | null;
  /** `data:image/jpeg;base64,…` or png, at most 200 KiB decoded. */
  photo: string | null;
}

export type WindowStatus = 'open' | 'paused' | 'closed';

/**
 * Answer of `POST /v1/admin/provision` (a signed provisioning file, src/config/provisioning.ts): applied,
 * refused with field errors (400 `invalid-config`), or refused for its signature (403 `bad-signature`).
 */
export type ProvisionResult =
  | { applied: true; restartRequired: boolean }
  | { applied: false; error: 'invalid-config'; fields: { path: string; message: string }[] }
  | { applied: false; error: 'bad-signature' };

/** Implemented by the kiosk core. Calls are synchronous; a KioskError with a LINK code maps to its HTTP status. */
export interface LinkBackend {
  staffSignIn(input: StaffSignInInput): void;
  staffSignOut(): void;
  setWindowStatus(status: WindowStatus, message: string | null): void;
  serviceCalled(ticketNo: string): void;
  /** Opens a session, or returns the existing one for the same service key (domain-rules §2). Throws KioskError with LINK_ERRORS.windowNotOpen when paused/closed. */
  serviceCompleted(input: CompletedServiceInput): { sessionId: string; created: boolean };
  serviceState(ticketNo: string): ServiceState | null;
  subscribe(listener: (event: LinkEvent) => void): () => void;
  health(): { status: 'ok' | 'degraded'; version: string };
  diagnostics(): unknown;
  ratingsSummary(date: string /* YYYY-MM-DD, Asia/Shanghai */): unknown;
  syncNow(): void;
  /**
   * `POST /v1/admin/provision`: validates, verifies and stores a provisioning file `{ config, signature }`
   * (`linkProvisioner(configService)` from src/config implements it). `remote` is the caller's address, for
   * the audit trail. Optional: without it the call answers 404.
   */
  provision?(file: unknown, remote: string): ProvisionResult;
}

export interface LinkLogEntry {
  level: 'info' | 'warn';
  code?: string;
  msg: string;
  remote?: string;
}

export interface LinkServerOptions {
  host: string;
  port: number;
  linkToken: string;
  adminToken: string;
  backend: LinkBackend;
  now?: () => number;
  /** Entries carry codes, call names and the remote address only: never bodies, tokens or PII. */
  log?: (entry: LinkLogEntry) => void;
  /** SSE keep-alive comment interval (window-link.md events; default 15 000 ms). For tests. */
  sseKeepAliveMs?: number;
  /**
   * Setup mode (window-link.md "Setup, demo and tests" r2): only these calls (by name, e.g.
   * `GET /v1/health`) are served; every other known call answers 503 with `refusal`'s code, before any
   * token is checked or body read. Unknown paths stay 404.
   */
  onlyCalls?: { names: ReadonlySet<string>; refusal: ErrorCodeInfo };
}

export interface LinkServer {
  readonly url: string;
  readonly port: number;
  /** Ends event streams, stops listening and resolves once the server is closed. Idempotent. */
  close(): Promise<void>;
}
