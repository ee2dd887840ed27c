import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { runElectronKiosk, type StartedCore } from '../../src/host/electron/main.js';
import { KIOSK_CALL_CHANNEL } from '../../src/host/electron/ipc.js';
import { VIEW_CHANNEL } from '../../src/shared/kiosk-api.js';
import {
  createFakeElectron,
  fakeEvent,
  FakeBrowserWindow,
  FakeWebContents,
  silentLog,
} from './fake-electron.js';
import { createFakeProvider, sampleView } from './fake-provider.js';

function setup(
  options: { singleInstance?: boolean; keyboardMap?: Record<string, number>; fail?: Error } = {},
) {
  const fakes = createFakeElectron(options);
  const core = createFakeProvider();
  const stop = vi.fn(async () => undefined);
  const startCore = vi.fn(async (): Promise<StartedCore> => {
    if (options.fail) throw options.fail;
    return { provider: core.provider, stop, keyboardMap: options.keyboardMap };
  });
  const signals = new EventEmitter();
  const run = () =>
    runElectronKiosk(startCore, {
      electron: fakes.electron,
      rendererDir: '/app/dist/renderer',
      preloadPath: '/app/preload.cjs',
      kiosk: true,
      signals,
      log: silentLog,
    });
  return { ...fakes, core, stop, startCore, signals, run };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('the Electron main process', () => {
  beforeEach(() => vi.clearAllMocks());

  it('quits a second instance without starting the core or opening a window', async () => {
    const kiosk = setup({ singleInstance: false });
    await expect(kiosk.run()).resolves.toBeNull();
    expect(kiosk.app.quit).toHaveBeenCalled();
    expect(kiosk.startCore).not.toHaveBeenCalled();
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });

  it('brings the running window forward when a second instance starts', async () => {
    const kiosk = setup();
    await kiosk.run();
    kiosk.app.emit('second-instance', fakeEvent(), [], '/');
    expect(FakeBrowserWindow.instances[0]!.focused).toBe(1);
  });

  it('registers the app:// scheme before waiting for ready, then serves it and hardens the default session', async () => {
    const kiosk = setup();
    await kiosk.run();
    expect(kiosk.calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(kiosk.calls.indexOf('whenReady'));
    expect(kiosk.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(kiosk.defaultSession.permissionCheck).not.toBeNull();
    expect((kiosk.defaultSession.devicePermission as () => boolean)()).toBe(false);
    expect(kiosk.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
  });

  it('opens the hardened kiosk window on app://kiosk and keeps the display awake', async () => {
    const kiosk = setup();
    await kiosk.run();
    const window = FakeBrowserWindow.instances[0]!;
    expect(window.loaded).toEqual(['app://kiosk/index.html']);
    expect(window.options).toMatchObject({
      kiosk: true,
      webPreferences: { sandbox: true, preload: '/app/preload.cjs' },
    });
    expect(kiosk.powerSaveBlocker.start).toHaveBeenCalledWith('prevent-display-sleep');
  });

  it('hardens any other web contents the app creates', async () => {
    const kiosk = setup();
    await kiosk.run();
    const other = new FakeWebContents();
    kiosk.app.emit('web-contents-created', fakeEvent(), other);
    expect(other.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    const navigation = fakeEvent({ url: 'https://evil.example/' });
    other.emit('will-navigate', navigation, navigation.url);
    expect(navigation.preventDefault).toHaveBeenCalled();
  });

  it('carries calls from the kiosk page to the core and views from the core to the page', async () => {
    const kiosk = setup();
    await kiosk.run();
    const contents = FakeBrowserWindow.instances[0]!.webContents;
    const reply = kiosk.ipcMain.invoke(
      KIOSK_CALL_CHANNEL,
      { sender: contents, senderFrame: contents.mainFrame },
      'setLargeType',
      [true],
    );
    await expect(reply).resolves.toEqual({ ok: true, value: { ok: true } });
    expect(kiosk.core.api.setLargeType).toHaveBeenCalledWith(true);
    kiosk.core.push(sampleView(9));
    expect(contents.sent).toEqual([[VIEW_CHANNEL, sampleView(9)]]);
  });

  it('sends keyboard-mode pad keys from the configured map to the core as padKey', async () => {
    const kiosk = setup({ keyboardMap: { F1: 1, Digit2: 2 } });
    await kiosk.run();
    const contents = FakeBrowserWindow.instances[0]!.webContents;
    const press = fakeEvent();
    contents.emit('before-input-event', press, { type: 'keyDown', code: 'F1', isAutoRepeat: false });
    await flush();
    expect(press.preventDefault).toHaveBeenCalled();
    expect(kiosk.core.api.padKey).toHaveBeenCalledWith('F1');
  });

  it('leaves every key to the page when the pad is not a keyboard-mode pad', async () => {
    const kiosk = setup();
    await kiosk.run();
    const press = fakeEvent();
    FakeBrowserWindow.instances[0]!.webContents.emit('before-input-event', press, {
      type: 'keyDown',
      code: 'Digit1',
    });
    expect(press.preventDefault).not.toHaveBeenCalled();
  });

  it('stops the core exactly once on SIGTERM, even when SIGINT and a quit follow, then exits 0', async () => {
    const kiosk = setup();
    await kiosk.run();
    kiosk.signals.emit('SIGTERM');
    kiosk.signals.emit('SIGINT');
    const quit = fakeEvent();
    kiosk.app.emit('before-quit', quit);
    await flush();
    expect(kiosk.stop).toHaveBeenCalledTimes(1);
    expect(kiosk.app.exit).toHaveBeenCalledTimes(1);
    expect(kiosk.app.exit).toHaveBeenCalledWith(0);
    expect(quit.preventDefault).toHaveBeenCalled();
    expect(kiosk.ipcMain.handlers.has(KIOSK_CALL_CHANNEL)).toBe(false);
    expect(kiosk.powerSaveBlocker.stop).toHaveBeenCalledWith(7);
    expect(kiosk.core.listeners.size).toBe(0);
  });

  it('holds a quit until the core has stopped', async () => {
    const kiosk = setup();
    let release = () => {};
    kiosk.stop.mockImplementation(
      () => new Promise<undefined>((resolve) => (release = () => resolve(undefined))),
    );
    await kiosk.run();
    kiosk.app.emit('before-quit', fakeEvent());
    await flush();
    expect(kiosk.app.exit).not.toHaveBeenCalled();
    release();
    await flush();
    expect(kiosk.app.exit).toHaveBeenCalledWith(0);
  });

  it('reports E8003 with the cause code and exits 1 when the core cannot start', async () => {
    const kiosk = setup({ fail: Object.assign(new Error('database is newer'), { code: 'E2002' }) });
    await expect(kiosk.run()).resolves.toBeNull();
    expect(silentLog.error).toHaveBeenCalledWith(expect.stringMatching(/E8003.*E2002/));
    expect(kiosk.app.exit).toHaveBeenCalledWith(1);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
  });
});
