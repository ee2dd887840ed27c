import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createKioskWindow } from '../../src/host/electron/window.js';
import { createFakeElectron, fakeEvent, FakeBrowserWindow, silentLog } from './fake-electron.js';

function open(kiosk = true, onPadKey = vi.fn()) {
  const { electron } = createFakeElectron();
  const created = createKioskWindow(electron, {
    preloadPath: '/app/dist/main/src/host/electron/preload.cjs',
    appUrl: 'app://kiosk/index.html',
    kiosk,
    padKeyCodes: ['Digit1', 'Numpad5', 'F3'],
    onPadKey,
    log: silentLog,
  });
  const fake = FakeBrowserWindow.instances[0]!;
  return { created, fake, contents: fake.webContents, session: fake.webContents.session, onPadKey };
}

function key(code: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'keyDown',
    code,
    key: code,
    isAutoRepeat: false,
    control: false,
    alt: false,
    meta: false,
    shift: false,
    ...extra,
  };
}

describe('the kiosk window', () => {
  beforeEach(() => vi.clearAllMocks());

  it('is created with exactly the hardened web preferences, and no devtools in kiosk mode', () => {
    const { fake } = open(true);
    expect(fake.options.webPreferences).toStrictEqual({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      enableBlinkFeatures: undefined,
      webviewTag: false,
      spellcheck: false,
      autoplayPolicy: 'no-user-gesture-required',
      devTools: false,
      preload: '/app/dist/main/src/host/electron/preload.cjs',
    });
    expect(fake.options).toMatchObject({ kiosk: true, fullscreen: true, frame: false });
    expect(fake.menuRemoved).toBe(true);
  });

  it('allows devtools and a normal window only outside kiosk mode', () => {
    const { fake } = open(false);
    expect(fake.options).toMatchObject({
      kiosk: false,
      fullscreen: false,
      webPreferences: { devTools: true, sandbox: true },
    });
  });

  it('loads the page from app://kiosk, never from file://', () => {
    const { fake } = open();
    expect(fake.loaded).toEqual(['app://kiosk/index.html']);
  });

  it('denies every new window', () => {
    const { contents } = open();
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://kiosk/index.html' })).toEqual({ action: 'deny' });
  });

  it('prevents navigation and redirects to another origin and allows its own', () => {
    const { contents } = open();
    for (const eventName of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      for (const url of [
        'https://evil.example/',
        'file:///etc/passwd',
        'app://other/index.html',
        'not a url',
      ]) {
        const event = fakeEvent({ url });
        contents.emit(eventName, event, url);
        expect(event.preventDefault, `${eventName} ${url}`).toHaveBeenCalled();
      }
      const same = fakeEvent({ url: 'app://kiosk/index.html#admin' });
      contents.emit(eventName, same, same.url);
      expect(same.preventDefault).not.toHaveBeenCalled();
    }
  });

  it('refuses to attach any webview', () => {
    const { contents } = open();
    const event = fakeEvent();
    contents.emit('will-attach-webview', event, {}, { src: 'https://evil.example/' });
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('denies every permission request and check, including serial, hid, usb, media and geolocation', () => {
    const { session } = open();
    for (const permission of [
      'serial',
      'hid',
      'usb',
      'media',
      'geolocation',
      'notifications',
      'fullscreen',
    ]) {
      const callback = vi.fn();
      (session.permissionRequest as (...a: unknown[]) => void)(null, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(
        (session.permissionCheck as (...a: unknown[]) => boolean)(null, permission, 'app://kiosk', {}),
      ).toBe(false);
    }
    expect((session.devicePermission as (...a: unknown[]) => boolean)({ deviceType: 'serial' })).toBe(false);
  });

  it('cancels serial, HID and USB device choosers', () => {
    const { session } = open();
    const serial = fakeEvent();
    const serialCallback = vi.fn();
    session.emit('select-serial-port', serial, [{ portId: 'x' }], {}, serialCallback);
    expect(serial.preventDefault).toHaveBeenCalled();
    expect(serialCallback).toHaveBeenCalledWith('');
    for (const name of ['select-hid-device', 'select-usb-device']) {
      const event = fakeEvent();
      const callback = vi.fn();
      session.emit(name, event, { deviceList: [] }, callback);
      expect(event.preventDefault).toHaveBeenCalled();
      expect(callback).toHaveBeenCalledWith();
    }
  });

  it('locks the visual zoom at 1', () => {
    const { contents } = open();
    expect(contents.zoomLimits).toEqual([1, 1]);
  });

  it('takes keyboard-mode pad keys in the main process and keeps them from the page', () => {
    const { contents, onPadKey } = open();
    for (const code of ['Digit1', 'Numpad5', 'F3']) {
      const event = fakeEvent();
      contents.emit('before-input-event', event, key(code));
      expect(event.preventDefault).toHaveBeenCalled();
    }
    expect(onPadKey.mock.calls).toEqual([['Digit1'], ['Numpad5'], ['F3']]);
  });

  it('swallows the key up and auto-repeat of a pad key without sending another press', () => {
    const { contents, onPadKey } = open();
    const up = fakeEvent();
    contents.emit('before-input-event', up, key('Digit1', { type: 'keyUp' }));
    const repeat = fakeEvent();
    contents.emit('before-input-event', repeat, key('Digit1', { isAutoRepeat: true }));
    expect(up.preventDefault).toHaveBeenCalled();
    expect(repeat.preventDefault).toHaveBeenCalled();
    expect(onPadKey).not.toHaveBeenCalled();
  });

  it('lets other keys and modified pad keys through to the page', () => {
    const { contents, onPadKey } = open();
    for (const input of [key('KeyA'), key('Digit2'), key('Enter'), key('Digit1', { control: true })]) {
      const event = fakeEvent();
      contents.emit('before-input-event', event, input);
      expect(event.preventDefault).not.toHaveBeenCalled();
    }
    expect(onPadKey).not.toHaveBeenCalled();
  });
});
