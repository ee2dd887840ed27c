/**
 * The kiosk window: one full-screen, sandboxed BrowserWindow showing the renderer from app://kiosk/.
 * Every preference below is set explicitly (even where Electron's default already matches) so that a test
 * can assert the whole hardened set and a future default change cannot loosen it silently.
 */
import type { BrowserWindow, WebPreferences } from 'electron';
import { HOST_ERRORS } from '../../shared/errors/index.js';
import { consoleLog, type HostLog, type KioskElectron } from './electron-module.js';
import { hardenSession, hardenWebContents, originOf } from './harden.js';

export interface KioskWindowOptions {
  /** Absolute path of the compiled CommonJS preload (preload.cjs). */
  preloadPath: string;
  /** The page to load, normally `app://kiosk/index.html`; its origin is the only one allowed. */
  appUrl: string;
  /** Kiosk mode (production): full screen, no way out, no devtools. */
  kiosk: boolean;
  /** KeyboardEvent codes a keyboard-mode pad types (the keys of devices.keyboardMap). */
  padKeyCodes?: Iterable<string>;
  /** Receives each pad key press (key down, no auto-repeat); the page never sees these keys. */
  onPadKey?: (code: string) => void;
  /** Background shown before the first paint, so the hall never sees a white flash. */
  backgroundColor?: string;
  log?: HostLog;
}

export interface KioskWindow {
  readonly window: BrowserWindow;
}

export function kioskWebPreferences(preloadPath: string, kiosk: boolean): WebPreferences {
  return {
    sandbox: true, // checklist #4 "Enable process sandboxing"
    contextIsolation: true, // checklist #3 "Enable context isolation"
    nodeIntegration: false, // checklist #2 "Do not enable Node.js integration for remote content"
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true, // checklist #6 "Do not disable webSecurity"
    allowRunningInsecureContent: false, // checklist #8 "Do not enable allowRunningInsecureContent"
    experimentalFeatures: false, // checklist #9 "Do not enable experimental features"
    enableBlinkFeatures: undefined, // checklist #10 "Do not use enableBlinkFeatures"
    webviewTag: false, // checklist #12: no <webview> at all
    spellcheck: false,
    // The spoken invitation plays when a session opens, before any touch (适老化 audio prompts).
    autoplayPolicy: 'no-user-gesture-required',
    devTools: !kiosk,
    preload: preloadPath,
  };
}

export function createKioskWindow(
  electron: Pick<KioskElectron, 'BrowserWindow'>,
  options: KioskWindowOptions,
): KioskWindow {
  const log = options.log ?? consoleLog;
  const appOrigin = originOf(options.appUrl);
  if (appOrigin === null) throw new Error(`appUrl has no origin: ${options.appUrl}`);

  const window = new electron.BrowserWindow({
    width: 1280,
    height: 800,
    kiosk: options.kiosk,
    fullscreen: options.kiosk,
    frame: !options.kiosk,
    autoHideMenuBar: true,
    backgroundColor: options.backgroundColor ?? '#0a3a7a',
    show: true,
    webPreferences: kioskWebPreferences(options.preloadPath, options.kiosk),
  });
  window.removeMenu();
  const contents = window.webContents;
  hardenWebContents(contents, appOrigin, log);
  hardenSession(contents.session);

  // A counter-top device: no pinch or ctrl-wheel zoom that a citizen could leave behind.
  const lockZoom = (): void => {
    contents.setVisualZoomLevelLimits(1, 1).catch(() => undefined);
  };
  lockZoom();
  contents.on('did-finish-load', lockZoom);
  contents.on('zoom-changed', () => contents.setZoomFactor(1));

  // Keyboard-mode pads (rating-pad-rp1.md "Keyboard-mode pads"): read in the main process so that the
  // keys never reach page content; key up and auto-repeat are swallowed too.
  const padCodes = new Set(options.padKeyCodes ?? []);
  contents.on('before-input-event', (event, input) => {
    if (!padCodes.has(input.code) || input.control || input.alt || input.meta) return;
    event.preventDefault();
    if (input.type === 'keyDown' && !input.isAutoRepeat) options.onPadKey?.(input.code);
  });

  // A crashed renderer is handled by the crash guard (crash-guard.ts): reload, at most 3 times in 5 minutes.

  // Checklist #18 "Avoid usage of the file:// protocol": the page comes from the app:// scheme.
  window.loadURL(options.appUrl).catch((error: unknown) => {
    log.error(`[${HOST_ERRORS.startupFailed.code}] could not load ${options.appUrl}: ${String(error)}`);
  });
  return { window };
}
