/**
 * The Electron host: starts the kiosk core, shows the hardened kiosk window, carries the KioskApi over
 * IPC, and shuts everything down once. `electron` is passed in (see electron-module.ts) so all of this runs
 * under vitest with a fake; main-entry.ts passes the real module.
 */
import { dispatchApiCall } from '../api-validate.js';
import type { KioskApiProvider } from '../provider.js';
import { HOST_ERRORS } from '../../shared/errors/index.js';
import { APP_URL, handleAppProtocol, registerAppScheme } from './app-protocol.js';
import { consoleLog, type HostLog, type KioskElectron } from './electron-module.js';
import { hardenSession, hardenWebContents, originOf } from './harden.js';
import { forwardViews, kioskSenderCheck, registerKioskIpc } from './ipc.js';
import { createKioskWindow, type KioskWindow } from './window.js';
import { attachCrashGuard, createCrashGuard } from './crash-guard.js';
import { startDisplayKeeper, type OpeningPeriod } from '../../ops/opening-hours.js';

export interface StartedCore {
  provider: KioskApiProvider;
  stop(): Promise<void>;
  /**
   * devices.keyboardMap when the pad is a keyboard-mode pad: these KeyboardEvent codes are taken in the
   * main process and sent as `padKey`. Leave it out otherwise, so the page keeps keys 1–5.
   */
  keyboardMap?: Readonly<Record<string, number>>;
  /** config.openingHours: the display is kept on while the hall is open. */
  openingHours?: readonly OpeningPeriod[];
}

/** Where SIGTERM/SIGINT come from (process, or an EventEmitter in tests). */
export interface SignalSource {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
}

export interface ElectronKioskOptions {
  electron: KioskElectron;
  /** The built renderer (dist/renderer), served on app://kiosk/. */
  rendererDir: string;
  /** The compiled CommonJS preload (dist/main/src/host/electron/preload.cjs). */
  preloadPath: string;
  kiosk: boolean;
  appUrl?: string;
  signals?: SignalSource;
  log?: HostLog;
}

export interface ElectronKiosk {
  readonly window: KioskWindow;
  /** Stops once, whoever asks first (before-quit, a signal, the last window closing), then exits. */
  shutdown(reason: string): Promise<void>;
}

/**
 * Runs the kiosk. Resolves with the running kiosk, or null when this is a second instance (it quits) or
 * start-up failed (logged as E8003 with the cause code, then exit code 1).
 * Call it synchronously from the entry module: the app:// scheme is registered before its first await,
 * as Electron requires it to be before `ready`.
 */
export async function runElectronKiosk(
  startCore: () => Promise<StartedCore>,
  options: ElectronKioskOptions,
): Promise<ElectronKiosk | null> {
  const { app, protocol, ipcMain, session, powerSaveBlocker, Menu } = options.electron;
  const log = options.log ?? consoleLog;
  const appUrl = options.appUrl ?? APP_URL;
  const appOrigin = originOf(appUrl);
  if (appOrigin === null) throw new Error(`appUrl has no origin: ${appUrl}`);
  registerAppScheme(protocol);

  // One kiosk per device: a second launch only brings the running window forward.
  if (!app.requestSingleInstanceLock()) {
    log.warn('another hcp-kiosk instance is running; quitting');
    app.quit();
    return null;
  }

  let kioskWindow: KioskWindow | null = null;
  let corePromise: Promise<StartedCore> | null = null;
  let stopping: Promise<void> | null = null;
  const cleanups: Array<() => void> = [];

  const shutdown = (reason: string, exitCode = 0): Promise<void> => {
    stopping ??= (async () => {
      log.info(`stopping the kiosk (${reason})`);
      for (const cleanup of cleanups.splice(0).reverse()) {
        try {
          cleanup();
        } catch {
          // Best effort: a failed cleanup must not keep the store from closing.
        }
      }
      const started = await corePromise?.catch(() => null);
      if (started) {
        try {
          await started.stop();
        } catch (error) {
          log.error(`error while stopping the core: ${String(error)}`);
        }
      }
      // app.exit skips before-quit, so this does not come back here.
      app.exit(exitCode);
    })();
    return stopping;
  };

  app.on('second-instance', () => {
    const window = kioskWindow?.window;
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  // Checklists #13/#14 for every web contents, not only the window's (devtools, anything unexpected).
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, appOrigin, log));
  app.on('before-quit', (event) => {
    event.preventDefault();
    void shutdown('quit');
  });
  app.on('window-all-closed', () => void shutdown('window closed'));
  const signals = options.signals ?? process;
  signals.once('SIGTERM', () => void shutdown('SIGTERM'));
  signals.once('SIGINT', () => void shutdown('SIGINT'));

  await app.whenReady();
  if (stopping) return null;
  Menu.setApplicationMenu(null);
  hardenSession(session.defaultSession); // checklist #5
  handleAppProtocol(protocol, options.rendererDir); // checklist #18

  let started: StartedCore;
  try {
    corePromise = startCore();
    started = await corePromise;
  } catch (error) {
    const cause = (error as { code?: unknown }).code;
    log.error(
      `[${HOST_ERRORS.startupFailed.code}] the kiosk could not start: [${String(cause ?? '-')}] ${String(error)}`,
    );
    await shutdown('start-up failed', 1);
    return null;
  }
  if (stopping) return null;

  const { provider } = started;
  cleanups.push(
    registerKioskIpc(
      ipcMain,
      provider,
      kioskSenderCheck(() => kioskWindow?.window.webContents ?? null, appOrigin),
    ),
  );
  kioskWindow = createKioskWindow(options.electron, {
    preloadPath: options.preloadPath,
    appUrl,
    kiosk: options.kiosk,
    padKeyCodes: Object.keys(started.keyboardMap ?? {}),
    // Validated like any renderer call, so a strange key code never reaches the core.
    onPadKey: (code) => {
      void dispatchApiCall(provider.api, 'padKey', [code]).then((outcome) => {
        if (!outcome.ok) log.warn(`[${outcome.code}] pad key ${code}: ${outcome.message}`);
      });
    },
    log,
  });
  cleanups.push(forwardViews(provider, kioskWindow.window.webContents));

  // Renderer crashes: reload at most 3 times in 5 minutes, then the static 暂停服务 page (crash-guard.ts).
  cleanups.push(attachCrashGuard(kioskWindow.window, { guard: createCrashGuard(), appUrl, log }));
  // A counter-top device must never blank its screen while the hall is open (always on without hours).
  const keeper = startDisplayKeeper({ powerSaveBlocker, hours: started.openingHours ?? [] });
  cleanups.push(() => keeper.stop());

  const window = kioskWindow;
  return { window, shutdown: (reason) => shutdown(reason) };
}
