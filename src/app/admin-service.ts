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
 *
 * This file composes the parts and is the one import for the rest of the app:
 * - admin-contract.ts: constants, ports, the service interface, refusals;
 * - admin-session.ts: phase, PIN entry / set-PIN, idle timeout, the guard for every other action;
 * - admin-device-tests.ts: key, LED, buzzer and reader tests; admin-pad-gesture.ts: the 1+5 entry;
 * - admin-actions.ts: diagnostics, sync now, resend, storage check, log export;
 * - admin-config.ts: the 设置 (settings) and 首次设置 (first-run setup) cards' calls;
 * - admin-export-path.ts: export folder validation; admin-diagnostics.ts: projection and quick_check;
 * - admin-api.ts: the KioskApi admin methods over the service.
 */
import {
  ADMIN_GESTURE_MS,
  ADMIN_IDLE_MS,
  realTimers,
  type AdminService,
  type AdminServiceDeps,
} from './admin-contract.js';
import { createAdminActions } from './admin-actions.js';
import { createAdminConfig, type AdminConfig } from './admin-config.js';
import { createAdminDeviceTests, type AdminDeviceTests } from './admin-device-tests.js';
import { createPadGesture } from './admin-pad-gesture.js';
import { createAdminSession } from './admin-session.js';

export {
  ADMIN_GESTURE_KEYS,
  ADMIN_GESTURE_MS,
  ADMIN_IDLE_MS,
  type AdminActor,
  type AdminHooks,
  type AdminPadPort,
  type AdminPhase,
  type AdminService,
  type AdminServiceDeps,
  type AdminTimers,
} from './admin-contract.js';
export { adminApi } from './admin-api.js';
export { quickCheck } from './admin-diagnostics.js';
export { checkExportPath } from './admin-export-path.js';

export function createAdminService(deps: AdminServiceDeps): AdminService {
  const timers = deps.timers ?? realTimers;
  const log = deps.log ?? (() => undefined);

  // The session and the device tests need each other: the session resets the tests when the screens
  // close, the tests run through the session's guard. `devices` is assigned right below, long before any
  // exit can happen.
  let devices: AdminDeviceTests | null = null;
  let config: AdminConfig | null = null;
  const session = createAdminSession(deps, {
    timers,
    idleMs: deps.idleMs ?? ADMIN_IDLE_MS,
    log,
    onExit: () => {
      devices?.reset();
      config?.reset();
    },
  });
  const tests = createAdminDeviceTests(deps, session, timers);
  devices = tests;
  const actions = createAdminActions(deps, session, tests.readerTest, log);
  const settings = createAdminConfig(deps.config, session, log);
  config = settings;
  const gesture = createPadGesture(timers, deps.gestureMs ?? ADMIN_GESTURE_MS, () => {
    session.open('pad');
  });

  return {
    bind: session.bind,
    active: session.active,
    sessionActive: session.sessionActive,
    view() {
      const base = session.view();
      if (base === null) return null;
      const open = base.phase === 'open';
      return { ...base, keyTest: tests.keyTestView(), settings: open ? settings.settings() : null };
    },
    open: session.open,
    enter: session.enter,
    setPin: session.setPin,
    exit: session.exit,
    touch: () => session.guarded(() => ({ ok: true }) as const),
    diagnostics: actions.diagnostics,
    syncNow: actions.syncNow,
    resend: actions.resend,
    keyTest: tests.keyTest,
    ledTest: tests.ledTest,
    buzzerTest: tests.buzzerTest,
    storageCheck: actions.storageCheck,
    exportLogs: actions.exportLogs,
    editConfig: settings.editConfig,
    firstRun: settings.firstRun,
    keyEvent(key, down) {
      const phase = session.phase();
      if (phase === 'open' && tests.keyTestOn()) return tests.keyTestEvent(key, down);
      if (phase !== null) {
        if (down) session.activity();
        return;
      }
      gesture.keyEvent(key, down);
    },
    cardRead: tests.cardRead,
    stop() {
      gesture.cancel();
      session.stop();
      tests.stop();
    },
  };
}
