/**
 * A fake of the slice of Electron the host uses: it records calls and lets tests emit the events Electron
 * would. No Electron binary exists in CI, so this is how the host's hardening is proven.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import type { KioskElectron } from '../../src/host/electron/electron-module.js';

export interface FakeEvent {
  preventDefault: ReturnType<typeof vi.fn>;
  url?: string;
}

export function fakeEvent(extra: Record<string, unknown> = {}): FakeEvent {
  return { preventDefault: vi.fn(), ...extra };
}

type Handler = (...args: never[]) => unknown;

export class FakeSession extends EventEmitter {
  permissionRequest: Handler | null = null;
  permissionCheck: Handler | null = null;
  devicePermission: Handler | null = null;
  setPermissionRequestHandler(handler: Handler): void {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: Handler): void {
    this.permissionCheck = handler;
  }
  setDevicePermissionHandler(handler: Handler): void {
    this.devicePermission = handler;
  }
}

export interface FakeFrame {
  url: string;
  parent: FakeFrame | null;
}

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly session: FakeSession;
  readonly mainFrame: FakeFrame = { url: 'app://kiosk/index.html', parent: null };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly sent: Array<[string, unknown]> = [];
  zoomLimits: [number, number] | null = null;
  reloads = 0;
  destroyed = false;
  constructor(session = new FakeSession()) {
    super();
    this.session = session;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  setVisualZoomLevelLimits(min: number, max: number): Promise<void> {
    this.zoomLimits = [min, max];
    return Promise.resolve();
  }
  setZoomFactor(): void {}
  reload(): void {
    this.reloads += 1;
  }
  send(channel: string, value: unknown): void {
    this.sent.push([channel, value]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeBrowserWindow {
  static instances: FakeBrowserWindow[] = [];
  static session = new FakeSession();
  readonly webContents = new FakeWebContents(FakeBrowserWindow.session);
  readonly loaded: string[] = [];
  menuRemoved = false;
  focused = 0;
  constructor(readonly options: Record<string, unknown>) {
    FakeBrowserWindow.instances.push(this);
  }
  removeMenu(): void {
    this.menuRemoved = true;
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  focus(): void {
    this.focused += 1;
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Calls the handler as Electron would for `ipcRenderer.invoke(channel, ...args)` from `sender`. */
  invoke(
    channel: string,
    sender: { sender: unknown; senderFrame: FakeFrame | null },
    ...args: unknown[]
  ): unknown {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(sender, ...args);
  }
}

export function createFakeElectron(options: { singleInstance?: boolean } = {}) {
  FakeBrowserWindow.instances = [];
  FakeBrowserWindow.session = new FakeSession();
  const calls: string[] = [];
  const app = Object.assign(new EventEmitter(), {
    requestSingleInstanceLock: vi.fn(() => {
      calls.push('requestSingleInstanceLock');
      return options.singleInstance ?? true;
    }),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: vi.fn(() => {
      calls.push('whenReady');
      return Promise.resolve();
    }),
  });
  const protocol = {
    registerSchemesAsPrivileged: vi.fn(() => calls.push('registerSchemesAsPrivileged')),
    handle: vi.fn(),
  };
  const ipcMain = new FakeIpcMain();
  const defaultSession = new FakeSession();
  const powerSaveBlocker = { start: vi.fn(() => 7), isStarted: vi.fn(() => true), stop: vi.fn() };
  const Menu = { setApplicationMenu: vi.fn() };
  const electron = {
    app,
    BrowserWindow: FakeBrowserWindow,
    Menu,
    ipcMain,
    protocol,
    session: { defaultSession },
    powerSaveBlocker,
  } as unknown as KioskElectron;
  return { electron, app, protocol, ipcMain, defaultSession, powerSaveBlocker, Menu, calls };
}

export const silentLog = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
