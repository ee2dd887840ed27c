/**
 * The admin service's contract (admin-service.ts): its constants, the ports it is given, the interface the
 * kiosk core calls, and the refusal shape every admin module answers with. Kept apart so the session,
 * device-test and action modules share one definition without importing each other.
 */
import type { AdminPinGuard } from '../config/admin-pin.js';
import type { AuditTrail } from '../config/audit.js';
import type { ConfigService } from '../config/provisioning.js';
import type { PadBuzzer, PadLed } from '../../drivers/pad/pad-types.js';
import type {
  ActionResult,
  AdminDiagnostics,
  AdminConfigPatch,
  AdminDiagnosticsResult,
  AdminEditConfigResult,
  AdminExportResult,
  AdminFirstRunForm,
  AdminFirstRunResult,
  AdminRefusal,
  AdminStorageCheckResult,
  AdminView,
} from '../shared/kiosk-api.js';
import type { ErrorCodeInfo } from '../shared/errors/index.js';
import type { Logger } from './logger.js';
import { realTimers, type Timers } from '../sync/scheduler.js';

export const ADMIN_IDLE_MS = 2 * 60_000;
export const ADMIN_GESTURE_MS = 3_000;
/** Pad keys held together for the admin gesture. */
export const ADMIN_GESTURE_KEYS = [1, 5] as const;

/** The pad, as far as the admin tests need it (device-wiring.ts). */
export interface AdminPadPort {
  /** HELLO of the connected pad, or null when none is connected. */
  hello(): { keyCount: number; capabilities: { rgbLeds: boolean; buzzer: boolean } } | null;
  setLed(led: PadLed): Promise<void>;
  buzzer(buzzer: PadBuzzer): Promise<void>;
}

/** The admin timers are the same injectable, unref'd timers the sync side uses (src/sync/scheduler.ts). */
export type AdminTimers = Timers;
export { realTimers };

export interface AdminServiceDeps {
  pinGuard: Pick<AdminPinGuard, 'attempt' | 'status'>;
  /** The PIN hash in force (config `admin.pinHash`, or the demo's in-memory one). */
  pinHash(): string | undefined;
  /** Stores a new PIN hash (provisioned: applyAdminEdit; demo: memory). */
  storePinHash(hash: string): ActionResult;
  hashPin(pin: string): Promise<string>;
  /** Demo: the PIN set here lives in memory only. */
  pinInMemory: boolean;
  /** `buildDiagnostics` (the `GET /v1/diagnostics` answer, already redacted). */
  diagnostics(): Record<string, unknown>;
  sync: { syncNow(): void; resend(seq: number): boolean };
  pad: AdminPadPort | null;
  /** On demand only: `PRAGMA quick_check` and a full chain verification. */
  storageCheck(): { quickCheck: string[]; chain: AdminDiagnostics['chain'] };
  /** Copies the logs into `dir` (ops/log-file.ts exportLogs). */
  exportLogs(dir: string): Promise<Array<{ bytes: number }>>;
  /** Allowed export roots, absolute (e.g. /media, /mnt, <data dir>/exports). */
  exportRoots: readonly string[];
  audit: AuditTrail;
  /** The config service (设置 and 首次设置 cards); absent: both refuse. */
  config?: Pick<ConfigService, 'current' | 'applyAdminEdit' | 'provisionFromDemo'>;
  log?: Logger;
  now(): number;
  timers?: AdminTimers;
  idleMs?: number;
  gestureMs?: number;
}

/** What the kiosk core gives the admin service once it exists. */
export interface AdminHooks {
  /** False while a citizen is rating. */
  canOpen(): boolean;
  /** Publish a fresh view. */
  onChange(): void;
}

export type AdminPhase = AdminView['phase'];
export type AdminActor = 'screen' | 'pad';
export type AdminExitReason = 'button' | 'idle' | 'session';

export interface AdminService {
  bind(hooks: AdminHooks): void;
  /** True while any admin screen (PIN pad included) is shown. */
  active(): boolean;
  /** True while an admin session (PIN accepted) is active. */
  sessionActive(): boolean;
  view(): AdminView | null;
  open(actor: AdminActor): ActionResult;
  enter(pin: string): Promise<ActionResult>;
  setPin(pin: string): Promise<ActionResult>;
  /** Ends the admin screens; `session`: a rating session opened. Does not publish. */
  exit(reason: AdminExitReason): void;
  touch(): ActionResult;
  diagnostics(): AdminDiagnosticsResult;
  syncNow(): ActionResult;
  resend(seq: number): ActionResult;
  keyTest(on: boolean): ActionResult;
  ledTest(): Promise<ActionResult>;
  buzzerTest(): Promise<ActionResult>;
  storageCheck(): AdminStorageCheckResult;
  exportLogs(dir: string): Promise<AdminExportResult>;
  /** 设置: a patch of the on-site settings through `applyAdminEdit` (provisioned devices). */
  editConfig(patch: AdminConfigPatch): AdminEditConfigResult;
  /** 首次设置: provisions a demo device through `provisionFromDemo`; the form is never logged. */
  firstRun(form: AdminFirstRunForm): Promise<AdminFirstRunResult>;
  /** A pad KEY_EVENT (key test, or the 1+5 entry gesture). */
  keyEvent(key: number, down: boolean): void;
  /** A card read while the admin screens are open: masked fields only ever reach this service. */
  cardRead(card: { maskedName: string; maskedId: string }): void;
  stop(): void;
}

export const refusal = (info: ErrorCodeInfo, message: string = info.help): AdminRefusal => ({
  ok: false,
  code: info.code,
  message,
});
