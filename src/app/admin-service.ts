/**
 * The technician's and hall manager's way into the device (admin screens): entry gesture, admin PIN,
 * admin session, and the diagnostics screen's actions (key, LED and buzzer tests, sync now, resend a dead
 * letter, storage check, log export).
 *
 * Decisions (documented here because the screens depend on them):
 * - The admin session is main-process state, bound to the one kiosk window: there is exactly one kiosk
 *   page and both hosts check that every call comes from it (IPC sender / WebSocket secret). The renderer
 *   holds no token; a random session id exists only here (for the log) and dies with the session.
 * - The session ends on `adminExit`, after 2 minutes without a touch or an admin action (the 2 s
 *   diagnostics refresh is not activity), and when a rating session opens: the window system is never
 *   blocked, the core opens the session as usual, and the admin screens give way so the citizen can rate.
 * - Entry (corner long-press on screen, or pad keys 1 and 5 held together for 3 s) is refused while a
 *   citizen is rating (E8008): a long press on the pad during a session would be a rating anyway.
 * - PIN: 6–12 digits, checked by the PIN guard (lockout, audit). With no PIN set, the admin screen asks
 *   for one first (`adminSetPin`). On a provisioned device it is stored through `applyAdminEdit`; on a demo
 *   device (unprovisioned: the config service refuses admin edits) it is kept in memory only, so a demo
 *   restart asks again — documented on screen (`pinInMemory`).
 * - While the admin screens are open, a card on the reader is shown masked to the reader test and does
 *   not sign a clerk in; pad presses still reach the core (recorded as suppressed `no-session`).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { AdminPinGuard } from '../config/admin-pin.js';
import { LOCKOUT } from '../config/admin-pin.js';
import type { AuditTrail } from '../config/audit.js';
import type { PadBuzzer, PadLed } from '../../drivers/pad/pad-types.js';
import type {
  ActionResult,
  AdminDiagnostics,
  AdminDiagnosticsResult,
  AdminExportResult,
  AdminRefusal,
  AdminStorageCheckResult,
  AdminView,
  KioskApi,
} from '../shared/kiosk-api.js';
import { CONFIG_ERRORS, HOST_ERRORS, isKioskError, type ErrorCodeInfo } from '../shared/errors/index.js';
import { allKeysMask, LED_PATTERN } from './pad-feedback.js';
import type { Logger } from './logger.js';

export const ADMIN_IDLE_MS = 2 * 60_000;
export const ADMIN_GESTURE_MS = 3_000;
/** Pad keys held together for the admin gesture. */
export const ADMIN_GESTURE_KEYS = [1, 5] as const;
const KEY_TEST_COLOUR = { r: 0, g: 200, b: 90 } as const;
const LED_TEST_COLOUR = { r: 255, g: 255, b: 255 } as const;
const LED_TEST_MS = 2_000;
const BUZZER_TEST: PadBuzzer = { frequencyHz: 2000, onMs: 150, offMs: 100, repeat: 2 };

/** The pad, as far as the admin tests need it (device-wiring.ts). */
export interface AdminPadPort {
  /** HELLO of the connected pad, or null when none is connected. */
  hello(): { keyCount: number; capabilities: { rgbLeds: boolean; buzzer: boolean } } | null;
  setLed(led: PadLed): Promise<void>;
  buzzer(buzzer: PadBuzzer): Promise<void>;
}

export interface AdminTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: AdminTimers = {
  set: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

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
  exit(reason: 'button' | 'idle' | 'session'): void;
  touch(): ActionResult;
  diagnostics(): AdminDiagnosticsResult;
  syncNow(): ActionResult;
  resend(seq: number): ActionResult;
  keyTest(on: boolean): ActionResult;
  ledTest(): Promise<ActionResult>;
  buzzerTest(): Promise<ActionResult>;
  storageCheck(): AdminStorageCheckResult;
  exportLogs(dir: string): Promise<AdminExportResult>;
  /** A pad KEY_EVENT (key test, or the 1+5 entry gesture). */
  keyEvent(key: number, down: boolean): void;
  /** A card read while the admin screens are open: masked fields only ever reach this service. */
  cardRead(card: { maskedName: string; maskedId: string }): void;
  stop(): void;
}

const refusal = (info: ErrorCodeInfo, message: string = info.help): AdminRefusal => ({
  ok: false,
  code: info.code,
  message,
});

function isInside(child: string, root: string): boolean {
  return child === root || child.startsWith(root.endsWith('/') ? root : `${root}/`);
}

function hasControlOrBackslash(text: string): boolean {
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f || ch === '\\') return true;
  }
  return false;
}

/** The nearest existing ancestor of `p` (p itself when it exists), resolved through links. */
function realAncestor(p: string): string | null {
  let current = p;
  for (;;) {
    try {
      return fs.realpathSync(current);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return null;
      current = parent;
    }
  }
}

/**
 * An export folder is accepted when it is absolute, already normal (no `.`/`..` segments, no `//`, no NUL
 * or control characters), inside one of `roots`, and its nearest existing ancestor — resolved through
 * symbolic links — is still inside that root (a link on the stick cannot lead out). Returns the root used.
 */
export function checkExportPath(candidate: string, roots: readonly string[]): string | null {
  if (typeof candidate !== 'string' || candidate.length < 2 || candidate.length > 1024) return null;
  if (!path.isAbsolute(candidate) || hasControlOrBackslash(candidate)) return null;
  const trimmed = candidate.length > 1 ? candidate.replace(/\/+$/, '') : candidate;
  if (trimmed.split('/').some((segment) => segment === '..' || segment === '.')) return null;
  if (path.posix.normalize(trimmed) !== trimmed) return null;
  for (const root of roots) {
    const cleanRoot = path.posix.normalize(root).replace(/\/+$/, '');
    if (!path.isAbsolute(cleanRoot) || cleanRoot === '' || !isInside(trimmed, cleanRoot)) continue;
    const realRoot = realAncestor(cleanRoot);
    if (realRoot === null || !fs.existsSync(cleanRoot)) continue;
    const realTarget = realAncestor(trimmed);
    if (realTarget !== null && isInside(realTarget, realRoot)) return cleanRoot;
  }
  return null;
}

/** `PRAGMA quick_check` on a separate read-only connection (the store's own one is never blocked long). */
export function quickCheck(databasePath: string): string[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('quick_check(20)') as Array<Record<string, unknown>>;
    return rows.map((row) => String(Object.values(row)[0] ?? ''));
  } finally {
    db.close();
  }
}

// ── diagnostics projection: only the fields the screen shows, typed, from the redacted answer ──────────
type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function projectDiagnostics(
  raw: Json,
  now: number,
  readerTest: AdminDiagnostics['readerTest'],
  exportRoots: readonly string[],
): AdminDiagnostics {
  const sync = obj(raw['sync']);
  const syncError = sync['lastError'] === null ? null : obj(sync['lastError']);
  const heartbeat = obj(raw['heartbeat']);
  const outbox = obj(raw['outbox']);
  const catalogue = obj(raw['catalogue']);
  const catalogueError = catalogue['lastError'] === null ? null : obj(catalogue['lastError']);
  const chain = obj(raw['chain']);
  const storage = obj(raw['storage']);
  const devices = Array.isArray(raw['devices']) ? raw['devices'].map(obj) : [];
  const dead = Array.isArray(outbox['deadLetters']) ? outbox['deadLetters'].map(obj) : [];
  const codes = Array.isArray(raw['codes']) ? raw['codes'].map(obj) : [];
  const counters = (v: unknown): Record<string, number> =>
    Object.fromEntries(Object.entries(obj(v)).filter((e): e is [string, number] => num(e[1]) !== null));
  return {
    now,
    version: str(raw['version']) ?? '',
    node: str(raw['node']) ?? '',
    electron: str(raw['electron']),
    uptimeSec: num(raw['uptimeSec']) ?? 0,
    devices: devices.map((d) => ({
      kind: d['kind'] === 'reader' ? 'reader' : 'pad',
      transport: str(d['transport']) ?? '',
      path: str(d['path']) ?? '',
      state: str(d['state']) ?? 'disconnected',
      model: str(d['model']),
      firmware: str(d['firmware']),
      serial: str(d['serial']),
      samId: str(d['samId']),
      counters: counters(d['counters']),
      lastError: str(d['lastError']),
      lastFrameAt: num(d['lastFrameAt']),
    })),
    sync: {
      state: str(sync['state']) ?? 'off',
      lastError:
        syncError === null || str(syncError['code']) === null
          ? null
          : {
              code: str(syncError['code']) ?? '',
              name: str(syncError['name']) ?? '',
              at: num(syncError['at']) ?? 0,
            },
      lastSuccessAt: num(sync['lastSuccessAt']),
      clockOffsetMs: num(sync['clockOffsetMs']) ?? num(heartbeat['clockOffsetMs']),
    },
    outbox: {
      depth: num(outbox['depth']) ?? 0,
      oldestUnsentAt: num(outbox['oldestUnsentAt']),
      delivered: num(outbox['delivered']) ?? 0,
      deadLetters: dead.map((d) => ({
        seq: num(d['seq']) ?? 0,
        code: str(d['code']) ?? '',
        message: str(d['message']) ?? '',
        at: num(d['at']) ?? 0,
      })),
    },
    catalogue: {
      version: str(catalogue['version']) ?? '',
      source: str(catalogue['source']) ?? '',
      lastError:
        catalogueError === null || str(catalogueError['code']) === null
          ? null
          : { code: str(catalogueError['code']) ?? '', at: num(catalogueError['at']) ?? 0 },
    },
    chain: {
      ok: chain['ok'] === true,
      lastSeq: num(chain['lastSeq']) ?? 0,
      brokenAt: num(chain['brokenAt']),
      code: str(chain['code']),
      verifiedAt: num(chain['verifiedAt']) ?? 0,
    },
    storage: {
      databaseBytes: num(storage['databaseBytes']),
      walBytes: num(storage['walBytes']),
      freeBytes: num(storage['freeBytes']),
    },
    readerTest,
    exportRoots: [...exportRoots],
    codes: codes.map((c) => ({
      code: str(c['code']) ?? '',
      name: str(c['name']),
      readme: str(c['readme']) ?? `README.md#${(str(c['code']) ?? '').toLowerCase()}`,
    })),
  };
}

export function createAdminService(deps: AdminServiceDeps): AdminService {
  const timers = deps.timers ?? realTimers;
  const idleMs = deps.idleMs ?? ADMIN_IDLE_MS;
  const gestureMs = deps.gestureMs ?? ADMIN_GESTURE_MS;
  const log = deps.log ?? (() => undefined);
  let hooks: AdminHooks = { canOpen: () => true, onChange: () => undefined };

  let phase: AdminPhase | null = null;
  /** Random id of the admin session, main process only (log lines); never in a view or an answer. */
  let sessionId: string | null = null;
  let lastActivity = 0;
  let idleTimer: unknown = null;
  let keyTestOn = false;
  const keysDown = new Set<number>();
  const keysSeen = new Set<number>();
  let readerTest: AdminDiagnostics['readerTest'] = null;
  /** Pad keys held now, for the 1+5 gesture (outside the admin screens). */
  const held = new Set<number>();
  let gestureTimer: unknown = null;
  let ledTimer: unknown = null;

  const keyCount = (): number => deps.pad?.hello()?.keyCount ?? 5;

  const armIdle = (): void => {
    if (idleTimer !== null) timers.clear(idleTimer);
    idleTimer = timers.set(
      () => {
        idleTimer = null;
        if (phase === null) return;
        const left = lastActivity + idleMs - deps.now();
        if (left > 0) return armIdle();
        exit('idle');
        hooks.onChange();
      },
      Math.max(0, lastActivity + idleMs - deps.now()),
    );
  };

  const activity = (): void => {
    lastActivity = deps.now();
    armIdle();
  };

  /** Lazily enforced too, so an injected clock that jumps past the idle limit ends the session at once. */
  const expireIfIdle = (): void => {
    if (phase !== null && deps.now() - lastActivity >= idleMs) {
      exit('idle');
      hooks.onChange();
    }
  };

  const padAllOff = (): void => {
    const pad = deps.pad;
    if (pad?.hello()?.capabilities.rgbLeds !== true) return;
    const off: PadLed = { keyMask: allKeysMask(keyCount()), r: 0, g: 0, b: 0, pattern: 0, periodMs: 0 };
    void pad.setLed(off).catch(() => undefined);
  };

  const stopKeyTest = (): void => {
    if (!keyTestOn) return;
    keyTestOn = false;
    keysDown.clear();
    keysSeen.clear();
    padAllOff();
  };

  function exit(reason: 'button' | 'idle' | 'session'): void {
    if (phase === null) return;
    stopKeyTest();
    if (ledTimer !== null) timers.clear(ledTimer);
    ledTimer = null;
    if (idleTimer !== null) timers.clear(idleTimer);
    idleTimer = null;
    log({ level: 'info', msg: `admin screens closed (${reason})${sessionId ? '' : ' before the PIN'}` });
    phase = null;
    sessionId = null;
    readerTest = null;
  }

  /**
   * Every admin action but entry: refused without a session (E8007). An action counts as activity (and a
   * view goes out with the new idle deadline); the diagnostics refresh does not.
   */
  const guarded = <T>(fn: () => T, counts = true): T | AdminRefusal => {
    expireIfIdle();
    if (phase !== 'open' || sessionId === null) return refusal(HOST_ERRORS.adminNoSession);
    if (counts) {
      activity();
      hooks.onChange();
    }
    return fn();
  };

  const startSession = (): void => {
    phase = 'open';
    sessionId = crypto.randomBytes(16).toString('hex');
    activity();
    log({ level: 'info', msg: 'admin session opened' });
  };

  const padFor = (capability: 'rgbLeds' | 'buzzer'): { pad: AdminPadPort; count: number } | AdminRefusal => {
    const pad = deps.pad;
    const hello = pad?.hello() ?? null;
    if (!pad || hello === null || !hello.capabilities[capability])
      return refusal(HOST_ERRORS.adminDeviceUnavailable);
    return { pad, count: hello.keyCount };
  };

  const padCall = async (call: () => Promise<void>): Promise<ActionResult> => {
    try {
      await call();
      return { ok: true };
    } catch (error) {
      if (isKioskError(error)) return { ok: false, code: error.code, message: error.message };
      return refusal(HOST_ERRORS.adminDeviceUnavailable);
    }
  };

  const cancelGesture = (): void => {
    if (gestureTimer !== null) timers.clear(gestureTimer);
    gestureTimer = null;
  };

  const service: AdminService = {
    bind(next) {
      hooks = next;
    },
    active: () => {
      expireIfIdle();
      return phase !== null;
    },
    sessionActive: () => phase === 'open' && sessionId !== null,
    view() {
      if (phase === null) return null;
      const status = deps.pinGuard.status();
      return {
        phase,
        lockedUntil: status.lockedUntil,
        attemptsLeft: Math.max(0, LOCKOUT.maxFailures - status.failures),
        idleDeadline: lastActivity + idleMs,
        pinInMemory: deps.pinInMemory,
        keyTest: {
          on: keyTestOn,
          keyCount: keyCount(),
          down: [...keysDown].sort((a, b) => a - b),
          seen: [...keysSeen].sort((a, b) => a - b),
        },
      };
    },
    open(actor) {
      expireIfIdle();
      if (phase !== null) {
        activity();
        return { ok: true };
      }
      if (!hooks.canOpen()) return refusal(HOST_ERRORS.adminBusy);
      const hash = deps.pinHash();
      phase = hash === undefined || hash === '' ? 'set-pin' : 'pin';
      activity();
      log({
        level: 'info',
        msg: `admin screens opened by the ${actor === 'pad' ? 'pad gesture' : 'screen'}`,
      });
      hooks.onChange();
      return { ok: true };
    },
    async enter(pin) {
      expireIfIdle();
      if (phase === 'open') return { ok: true };
      if (phase === null) return refusal(HOST_ERRORS.adminNoSession);
      activity();
      const outcome = await deps.pinGuard.attempt(pin, 'admin-screen');
      if (phase === null) return refusal(HOST_ERRORS.adminNoSession); // closed meanwhile (a session opened)
      let result: ActionResult;
      if (outcome.ok) {
        startSession();
        result = { ok: true };
      } else if (outcome.reason === 'not-set') {
        phase = 'set-pin';
        result = refusal(CONFIG_ERRORS.pinNotSet);
      } else if (outcome.reason === 'locked' || outcome.lockedUntil !== null) {
        result = refusal(CONFIG_ERRORS.pinLocked);
      } else {
        result = refusal(CONFIG_ERRORS.pinWrong);
      }
      hooks.onChange();
      return result;
    },
    async setPin(pin) {
      expireIfIdle();
      if (phase === null) return refusal(HOST_ERRORS.adminNoSession);
      const current = deps.pinHash();
      if (current !== undefined && current !== '') return refusal(CONFIG_ERRORS.pinAlreadySet);
      activity();
      let hash: string;
      try {
        hash = await deps.hashPin(pin);
      } catch {
        return refusal(CONFIG_ERRORS.invalid, 'the admin PIN must be 6–12 digits');
      }
      const again = deps.pinHash();
      if (again !== undefined && again !== '') return refusal(CONFIG_ERRORS.pinAlreadySet);
      const stored = deps.storePinHash(hash);
      if (!stored.ok) return stored;
      deps.audit.record('admin-screen', { type: 'admin.pin-set' });
      if (phase !== null) startSession();
      hooks.onChange();
      return { ok: true };
    },
    exit,
    touch: () => guarded(() => ({ ok: true }) as const),
    diagnostics: () =>
      guarded(() => {
        // The automatic refresh is not activity: only touches and actions keep the session.
        const diagnostics = projectDiagnostics(deps.diagnostics(), deps.now(), readerTest, deps.exportRoots);
        return { ok: true as const, diagnostics };
      }, false),
    syncNow: () =>
      guarded(() => {
        deps.sync.syncNow();
        return { ok: true } as const;
      }),
    resend: (seq) =>
      guarded(() => {
        if (!deps.sync.resend(seq)) return refusal(HOST_ERRORS.adminNotDeadLetter);
        deps.audit.record('admin-screen', {
          type: 'records.resend',
          scope: 'dead-letters',
          count: 1,
          fromSeq: seq,
          toSeq: seq,
        });
        return { ok: true } as const;
      }),
    keyTest: (on) =>
      guarded(() => {
        if (on) {
          keyTestOn = true;
          keysDown.clear();
          keysSeen.clear();
        } else stopKeyTest();
        hooks.onChange();
        return { ok: true } as const;
      }),
    async ledTest() {
      const checked = guarded(() => padFor('rgbLeds'));
      if ('ok' in checked) return checked;
      const { pad, count } = checked;
      const result = await padCall(() =>
        pad.setLed({
          keyMask: allKeysMask(count),
          ...LED_TEST_COLOUR,
          pattern: LED_PATTERN.steady,
          periodMs: 0,
        }),
      );
      if (ledTimer !== null) timers.clear(ledTimer);
      ledTimer = timers.set(() => {
        ledTimer = null;
        padAllOff();
      }, LED_TEST_MS);
      return result;
    },
    async buzzerTest() {
      const checked = guarded(() => padFor('buzzer'));
      if ('ok' in checked) return checked;
      return padCall(() => checked.pad.buzzer(BUZZER_TEST));
    },
    storageCheck: () =>
      guarded(() => {
        try {
          const { quickCheck: check, chain } = deps.storageCheck();
          return { ok: true as const, quickCheck: check, chain };
        } catch (error) {
          // A database SQLite cannot even open read-only is the worst quick_check answer.
          const code = isKioskError(error) ? error.code : 'unreadable';
          const chain = { ok: false, lastSeq: 0, brokenAt: null, code: null, verifiedAt: deps.now() };
          return { ok: true as const, quickCheck: [code], chain };
        }
      }),
    async exportLogs(dir) {
      const checked = guarded(() => checkExportPath(dir, deps.exportRoots));
      if (checked !== null && typeof checked === 'object') return checked;
      if (checked === null) return refusal(HOST_ERRORS.adminExportPath);
      const root = checked;
      try {
        await fs.promises.mkdir(dir, { recursive: true, mode: 0o750 });
        // Checked again once the folder exists: a link created meanwhile must not lead out of the root.
        if (checkExportPath(fs.realpathSync(dir), [fs.realpathSync(root)]) === null)
          return refusal(HOST_ERRORS.adminExportPath);
        const files = await deps.exportLogs(dir);
        const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
        log({ level: 'info', msg: `logs exported: ${files.length} files, ${bytes} bytes` });
        return { ok: true, files: files.length, bytes };
      } catch {
        log({ level: 'warn', code: HOST_ERRORS.adminExportFailed.code, msg: 'log export failed' });
        return refusal(HOST_ERRORS.adminExportFailed);
      }
    },
    keyEvent(key, down) {
      if (phase === 'open' && keyTestOn) {
        if (down) {
          keysDown.add(key);
          keysSeen.add(key);
        } else keysDown.delete(key);
        activity();
        const pad = deps.pad;
        if (pad?.hello()?.capabilities.rgbLeds === true && key >= 1 && key <= 8) {
          const led: PadLed = down
            ? { keyMask: 1 << (key - 1), ...KEY_TEST_COLOUR, pattern: LED_PATTERN.steady, periodMs: 0 }
            : { keyMask: 1 << (key - 1), r: 0, g: 0, b: 0, pattern: LED_PATTERN.off, periodMs: 0 };
          void pad.setLed(led).catch(() => undefined);
        }
        hooks.onChange();
        return;
      }
      if (phase !== null) {
        if (down) activity();
        return;
      }
      if (down) held.add(key);
      else held.delete(key);
      const both = ADMIN_GESTURE_KEYS.every((k) => held.has(k));
      if (!both) return cancelGesture();
      if (gestureTimer !== null) return;
      gestureTimer = timers.set(() => {
        gestureTimer = null;
        if (ADMIN_GESTURE_KEYS.every((k) => held.has(k))) service.open('pad');
      }, gestureMs);
    },
    cardRead(card) {
      if (phase !== 'open') return;
      readerTest = { maskedName: card.maskedName, maskedId: card.maskedId, at: deps.now() };
      activity();
    },
    stop() {
      cancelGesture();
      for (const timer of [idleTimer, ledTimer]) if (timer !== null) timers.clear(timer);
      idleTimer = null;
      ledTimer = null;
    },
  };
  return service;
}

type AdminMethods = Extract<keyof KioskApi, `admin${string}`>;

/** The KioskApi admin methods over a service (or refusing every call when the kiosk has none). */
export function adminApi(
  service: AdminService | undefined,
  publish: () => void,
): Pick<KioskApi, AdminMethods> {
  const none = refusal(HOST_ERRORS.adminNoSession);
  if (service === undefined) {
    const refuse = async () => none;
    return {
      adminOpen: refuse,
      adminEnter: refuse,
      adminSetPin: refuse,
      adminExit: refuse,
      adminTouch: refuse,
      adminDiagnostics: refuse,
      adminSyncNow: refuse,
      adminResend: refuse,
      adminKeyTest: refuse,
      adminLedTest: refuse,
      adminBuzzerTest: refuse,
      adminStorageCheck: refuse,
      adminExportLogs: refuse,
    };
  }
  return {
    adminOpen: async () => service.open('screen'),
    adminEnter: (pin) => service.enter(pin),
    adminSetPin: (pin) => service.setPin(pin),
    adminExit: async () => {
      service.exit('button');
      publish();
      return { ok: true };
    },
    adminTouch: async () => service.touch(),
    adminDiagnostics: async () => service.diagnostics(),
    adminSyncNow: async () => service.syncNow(),
    adminResend: async (seq) => service.resend(seq),
    adminKeyTest: async (on) => service.keyTest(on),
    adminLedTest: () => service.ledTest(),
    adminBuzzerTest: () => service.buzzerTest(),
    adminStorageCheck: async () => service.storageCheck(),
    adminExportLogs: (dir) => service.exportLogs(dir),
  };
}
