/** The store's public contract (consumers: session, link, sync, app). Implementation: store.ts. */
import type { LevelKey } from '../shared/levels.js';
import type { ProvinceRecord, RecordDraft } from '../shared/province-record.js';
import type { CataloguePort, DefaultRatingPort, OutboxPort } from '../sync/outbox-port.js';
import type { ServiceKey, ServiceNode } from '../rating-path/service-key.js';
import type { CitizenIdentity, SealedIdentity } from '../rating-path/identity.js';

export interface StoreOptions {
  path: string;
  /** 32 bytes (src/crypto/keyfile.ts): encrypts ID numbers and names at rest (domain-rules §5). */
  piiKey: Buffer;
  /** Clock for the open-time chain check; defaults to Date.now. */
  now?: () => number;
  /**
   * Key of the sealed rollback mark (`<db>.hw`, high-water.ts), derived from the device's sealed key; without
   * one the mark is kept unsealed (store tests, tools).
   */
  rollbackKey?: Buffer;
}

/** Something the open-time checks found besides the chain (E2230 index re-derived, E2231 rollback mark). */
export interface StoreFinding {
  code: string;
  detail: Record<string, unknown>;
}

export type { ServiceKey, ServiceNode } from '../rating-path/service-key.js';
export type { CitizenIdentity, SealedIdentity } from '../rating-path/identity.js';

export interface NewService {
  ticketNo: string;
  projectNo: string | null;
  serviceNumber: string;
  /** The evaluation node (domain-rules §2 ⟨r2⟩), part of the service key. */
  node: ServiceNode;
  sessionId: string;
  taskCode: string | null;
  taskName: string | null;
  completedAt: number;
  openedAt: number;
  staffId: string | null;
  staffName: string | null;
  citizen: CitizenIdentity | null;
}

export type ServiceOutcome = 'rated' | 'unrated' | 'abandoned' | 'superseded';

export interface ServiceRow extends Omit<NewService, 'citizen'> {
  id: number;
  outcome: ServiceOutcome | null;
  closedAt: number | null;
  hasCitizen: boolean;
}

export interface ChainStatus {
  ok: boolean;
  lastSeq: number;
  lastHash: string;
  brokenAt: number | null;
  /** E2201 chain broken, E2204 rolled back (chain otherwise intact), null when ok. */
  code: string | null;
  verifiedAt: number;
}

export interface PadEventRef {
  padSerial: string;
  eventCounter: number;
}

export interface CommitRatingInput {
  serviceId: number | null;
  level: LevelKey;
  /**
   * Without certKey/userName (E2205 otherwise): the rating's identity is the one sealed in its service row
   * (`insertService` / `setServiceCitizen`), whose ciphertext the store copies into the rating.
   */
  draft: RecordDraft;
  source: string;
  sessionId: string | null;
  at: number;
  padEvent?: PadEventRef;
}

export interface CommitResult {
  seq: number;
  hash: string;
  ratingId: string;
}

export interface AbandonedInput {
  serviceId: number;
  sessionId: string;
  level: LevelKey;
  at: number;
  flags: string[];
  catalogueVersion: string;
}

export interface SuppressedInput {
  at: number;
  level: LevelKey | null;
  source: string;
  reason: string;
  sessionId: string | null;
  flags: string[];
  padEvent?: PadEventRef;
}

export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  /** Redacted by the caller: no ID numbers, names or secrets. */
  detail: Record<string, unknown>;
}

export interface RatingsSummary {
  counts: Record<LevelKey, number>;
  total: number;
  satisfactionRate: number | null;
  suppressed: number;
  abandonedBad: number;
  defaults: number;
}

export interface StoredRating {
  record: ProvinceRecord;
  level: LevelKey;
  createdAt: number;
}

export interface StoreCounts {
  ratings: number;
  outbox: number;
  suppressed: number;
  abandoned: number;
  services: number;
}

export type TicketState = 'awaiting' | 'rated' | 'unrated' | 'abandoned';

/** The window as kept on disk across restarts (domain-rules §11): window-repo.ts. */
export interface PersistedWindow {
  status: 'open' | 'paused' | 'closed';
  pauseMessage: string | null;
  clerk: { staffId: string; name: string; title: string | null; photo: string | null } | null;
  calledTicket: string | null;
}

export interface KioskStore extends OutboxPort, DefaultRatingPort, CataloguePort {
  readonly path: string;
  close(): void;
  /**
   * Idle maintenance, off the press path (the app calls it every few seconds): brings the day reports' time
   * index up to date, then copies the WAL into the database file (PASSIVE: never waits for readers) on the
   * checkpoint thread, which the first call starts and which from then on also catches up every 400 ms by
   * itself. The promise settles when that checkpoint has finished; the kiosk does not wait for it.
   */
  maintain(): Promise<void>;
  /** The time-index step of maintain(): adds up to 500 ratings to the day reports' index; returns how many. */
  catchUpTimeIndex(): number;
  chainStatus(): ChainStatus;
  verifyChain(now: number): ChainStatus;
  /** What the open-time checks found and reported (audit trail too); empty when all was well. */
  findings(): StoreFinding[];
  /** created_at of the last committed rating (clock-back detection, diagnostics), or null when none. */
  newestRatingAt(): number | null;
  findService(key: ServiceKey): ServiceRow | undefined;
  insertService(input: NewService): ServiceRow;
  getService(id: number): ServiceRow | undefined;
  setServiceCitizen(serviceId: number, citizen: CitizenIdentity): void;
  /** As sealed: identities stored before document types carry `userPageType` (identityOfSealed reads both). */
  serviceCitizen(serviceId: number): SealedIdentity | null;
  closeService(serviceId: number, outcome: ServiceOutcome, at: number): void;
  /** The latest service with that ticket on that Asia/Shanghai day (`shanghaiDay`, rating-path/service-key.ts). */
  serviceStateByTicket(ticketNo: string, day: number): TicketState | null;
  commitRating(input: CommitRatingInput): CommitResult;
  recordAbandoned(input: AbandonedInput): void;
  recordSuppressed(input: SuppressedInput): void;
  padEventSeen(padSerial: string, eventCounter: number): boolean;
  audit(entry: AuditEntry): void;
  idRatingsOnDay(certKey: string, dayStart: number, dayEnd: number): number;
  ratingsSummary(dayStart: number, dayEnd: number): RatingsSummary;
  windowSatisfaction(since: number): { total: number; good: number };
  getRating(seq: number): StoredRating | undefined;
  counts(): StoreCounts;
  /** The window's clerk, status and called ticket as last stored, or null on a new device (§11). */
  windowState(): PersistedWindow | null;
  saveWindowState(state: PersistedWindow, at: number): void;
  /** At start: closes every service a stopped process left open as unrated at its open time (§2); how many. */
  closeLeftOpenSessions(): number;
}
