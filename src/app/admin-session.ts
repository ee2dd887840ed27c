/**
 * The admin session (admin-service.ts): which admin screen is shown, the admin PIN (entry and first-time
 * set), the idle timeout, and the guard every other admin action passes through.
 *
 * - The session is main-process state only: a random session id exists here (for the log) and dies with
 *   the session; the renderer holds no token.
 * - It ends on exit, after `idleMs` without a touch or an admin action, and when a rating session opens.
 *   The idle limit is enforced by a timer and lazily on every call, so an injected clock that jumps past
 *   it ends the session at once.
 * - The PIN is checked by the PIN guard (lockout, audit); with no PIN set the screen asks for one first.
 */
import crypto from 'node:crypto';
import { LOCKOUT } from '../config/admin-pin.js';
import type { ActionResult, AdminRefusal, AdminView } from '../shared/kiosk-api.js';
import { CONFIG_ERRORS, HOST_ERRORS } from '../shared/errors/index.js';
import {
  refusal,
  type AdminActor,
  type AdminExitReason,
  type AdminHooks,
  type AdminPhase,
  type AdminServiceDeps,
  type AdminTimers,
} from './admin-contract.js';
import type { Logger } from './logger.js';

export interface AdminSessionOptions {
  timers: AdminTimers;
  idleMs: number;
  log: Logger;
  /** Runs first when the admin screens close (device tests stop, reader test is forgotten). */
  onExit(): void;
}

export type AdminSessionDeps = Pick<
  AdminServiceDeps,
  'pinGuard' | 'pinHash' | 'storePinHash' | 'hashPin' | 'pinInMemory' | 'audit' | 'now'
>;

export interface AdminSession {
  bind(hooks: AdminHooks): void;
  /** Publishes a fresh view through the bound hooks. */
  publish(): void;
  /** The admin screen shown, or null; read live (an await may have closed the screens meanwhile). */
  phase(): AdminPhase | null;
  active(): boolean;
  sessionActive(): boolean;
  /** The view without the key test (device tests add it), or null when no admin screen is shown. */
  view(): Omit<AdminView, 'keyTest'> | null;
  open(actor: AdminActor): ActionResult;
  enter(pin: string): Promise<ActionResult>;
  setPin(pin: string): Promise<ActionResult>;
  exit(reason: AdminExitReason): void;
  /** A touch or an admin action: pushes the idle deadline out. */
  activity(): void;
  /**
   * Runs `fn` for an admin action, refused without a session (E8007). An action counts as activity (and a
   * view goes out with the new idle deadline) unless `counts` is false.
   */
  guarded<T>(fn: () => T, counts?: boolean): T | AdminRefusal;
  stop(): void;
}

export function createAdminSession(deps: AdminSessionDeps, options: AdminSessionOptions): AdminSession {
  const { timers, idleMs, log } = options;
  let hooks: AdminHooks = { canOpen: () => true, onChange: () => undefined };

  let phase: AdminPhase | null = null;
  /** Random id of the admin session, main process only (log lines); never in a view or an answer. */
  let sessionId: string | null = null;
  let lastActivity = 0;
  let idleTimer: unknown = null;

  const armIdle = (): void => {
    if (idleTimer !== null) timers.clearTimeout(idleTimer);
    idleTimer = timers.setTimeout(
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

  function exit(reason: AdminExitReason): void {
    if (phase === null) return;
    options.onExit();
    if (idleTimer !== null) timers.clearTimeout(idleTimer);
    idleTimer = null;
    log({ level: 'info', msg: `admin screens closed (${reason})${sessionId ? '' : ' before the PIN'}` });
    phase = null;
    sessionId = null;
  }

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

  return {
    bind(next) {
      hooks = next;
    },
    publish: () => hooks.onChange(),
    phase: () => phase,
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
      // Asked again after the (slow) hash: a PIN set meanwhile from elsewhere must not be overwritten.
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
    activity,
    guarded,
    stop() {
      if (idleTimer !== null) timers.clearTimeout(idleTimer);
      idleTimer = null;
    },
  };
}
