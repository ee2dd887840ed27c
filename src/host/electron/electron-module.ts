/**
 * The slice of the `electron` module the host uses, passed in rather than imported, so the host is
 * type-checked against the real Electron API and unit-tested with a fake (no Electron binary in CI).
 * Only types come from 'electron' here; the one value import lives in main-entry.ts and preload.cts.
 */
import type { App, BrowserWindow, IpcMain, Menu, PowerSaveBlocker, Protocol, Session } from 'electron';

export interface KioskElectron {
  readonly app: App;
  readonly BrowserWindow: typeof BrowserWindow;
  readonly Menu: { setApplicationMenu(menu: Menu | null): void };
  readonly ipcMain: IpcMain;
  readonly protocol: Protocol;
  readonly session: { readonly defaultSession: Session };
  readonly powerSaveBlocker: PowerSaveBlocker;
}

/** Where the host writes one-line diagnostics (the core's logger, or console). */
export interface HostLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleLog: HostLog = {
  info: (message) => console.info(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};
