import { describe, expect, it } from 'vitest';
import type { WebContents } from 'electron';
import {
  forwardViews,
  KIOSK_CALL_CHANNEL,
  kioskSenderCheck,
  registerKioskIpc,
} from '../../src/host/electron/ipc.js';
import { VIEW_CHANNEL } from '../../src/shared/kiosk-api.js';
import { FakeIpcMain, FakeWebContents, type FakeFrame } from './fake-electron.js';
import { createFakeProvider, sampleView } from './fake-provider.js';

function setup() {
  const ipcMain = new FakeIpcMain();
  const kiosk = new FakeWebContents();
  const fake = createFakeProvider();
  const check = kioskSenderCheck(() => kiosk as unknown as WebContents, 'app://kiosk');
  const unregister = registerKioskIpc(ipcMain as never, fake.provider, check);
  const call = (
    method: unknown,
    params: unknown,
    sender: unknown = kiosk,
    senderFrame: FakeFrame | null = kiosk.mainFrame,
  ) => ipcMain.invoke(KIOSK_CALL_CHANNEL, { sender, senderFrame }, method, params) as Promise<unknown>;
  return { ipcMain, kiosk, fake, call, unregister };
}

const forbidden = { ok: false, code: 'E8002', message: expect.any(String) };

describe('KioskApi over Electron IPC', () => {
  it('answers E8002 to a frame showing a foreign origin and never calls the provider', async () => {
    const { call, kiosk, fake } = setup();
    for (const url of [
      'https://evil.example/',
      'file:///app/index.html',
      'app://other/index.html',
      'http://127.0.0.1:7420/',
    ]) {
      kiosk.mainFrame.url = url;
      await expect(call('rate', ['s-1', 'satisfied'])).resolves.toEqual(forbidden);
    }
    expect(fake.calls()).toBe(0);
  });

  it('answers E8002 to a subframe of the kiosk page, even one of the app origin', async () => {
    const { call, kiosk, fake } = setup();
    const subframe: FakeFrame = { url: 'app://kiosk/index.html', parent: kiosk.mainFrame };
    await expect(call('getView', [], kiosk, subframe)).resolves.toEqual(forbidden);
    expect(fake.calls()).toBe(0);
  });

  it('answers E8002 to another web contents and to a frame that is already gone', async () => {
    const { call, kiosk, fake } = setup();
    const other = new FakeWebContents();
    await expect(call('getView', [], other, other.mainFrame)).resolves.toEqual(forbidden);
    await expect(call('getView', [], kiosk, null)).resolves.toEqual(forbidden);
    expect(fake.calls()).toBe(0);
  });

  it('answers E8001 to bad parameters or an unknown method and never calls the provider', async () => {
    const { call, fake } = setup();
    const bad = { ok: false, code: 'E8001', message: expect.any(String) };
    await expect(call('rate', ['s-1', 'wonderful'])).resolves.toEqual(bad);
    await expect(call('rate', ['../../x', 'satisfied'])).resolves.toEqual(bad);
    await expect(call('setLargeType', ['yes'])).resolves.toEqual(bad);
    await expect(call('padKey', 'Digit1')).resolves.toEqual(bad);
    await expect(call('constructor', [])).resolves.toEqual(bad);
    await expect(call('__proto__', [])).resolves.toEqual(bad);
    expect(fake.calls()).toBe(0);
  });

  it('passes a valid call from the kiosk main frame to the provider and returns its value', async () => {
    const { call, fake } = setup();
    await expect(call('rate', ['s-1', 'satisfied'])).resolves.toEqual({
      ok: true,
      value: { ok: true },
    });
    expect(fake.api.rate).toHaveBeenCalledWith('s-1', 'satisfied');
    await expect(call('getView', [])).resolves.toEqual({ ok: true, value: sampleView() });
  });

  it('removes its handler when unregistered', () => {
    const { ipcMain, unregister } = setup();
    unregister();
    expect(ipcMain.handlers.has(KIOSK_CALL_CHANNEL)).toBe(false);
  });

  it('pushes every new view to the kiosk window on the view channel until unsubscribed', () => {
    const { kiosk, fake } = setup();
    const stop = forwardViews(fake.provider, kiosk as unknown as WebContents);
    fake.push(sampleView(2));
    fake.push(sampleView(3));
    expect(kiosk.sent).toEqual([
      [VIEW_CHANNEL, sampleView(2)],
      [VIEW_CHANNEL, sampleView(3)],
    ]);
    stop();
    fake.push(sampleView(4));
    expect(kiosk.sent).toHaveLength(2);
  });

  it('does not push to a window that is already destroyed', () => {
    const { kiosk, fake } = setup();
    forwardViews(fake.provider, kiosk as unknown as WebContents);
    kiosk.destroyed = true;
    fake.push(sampleView(2));
    expect(kiosk.sent).toEqual([]);
  });
});
