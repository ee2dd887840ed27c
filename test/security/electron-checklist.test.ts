/**
 * Threat: a citizen or passer-by at the public kiosk (or content that reaches the renderer) escapes the page
 * into the OS: Node in the renderer, navigation to a hostile page, new windows, device APIs (the pad and the
 * ID reader on WebSerial/WebHID/WebUSB), forged IPC, or a tampered packaged binary (ELECTRON_RUN_AS_NODE).
 * Defences: src/host/electron/window.ts (webPreferences), harden.ts (navigation, windows, permissions,
 * devices), app-protocol.ts (CSP header, app://), ipc.ts (sender check), preload.cts (narrow bridge),
 * electron-builder.yml (fuses). No Electron binary is installed in CI, so the runtime handlers are attacked
 * through the same fake the host tests use, and @doyensec/electronegativity scans the source statically.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY, createAppRequestHandler } from '../../src/host/electron/app-protocol.js';
import { hardenSession, hardenWebContents } from '../../src/host/electron/harden.js';
import { kioskSenderCheck, registerKioskIpc, KIOSK_CALL_CHANNEL } from '../../src/host/electron/ipc.js';
import { kioskWebPreferences } from '../../src/host/electron/window.js';
import { FakeIpcMain, FakeSession, FakeWebContents, fakeEvent } from '../host-electron/fake-electron.js';
import { ROOT } from '../support/kiosk-process.js';
import { rel, sourceFiles, stripComments } from '../support/security/static-scan.js';
import type { KioskApiProvider } from '../../src/host/provider.js';

/**
 * Electronegativity findings accepted on purpose, each with its reason. Anything else fails the test.
 * Key: `<check id>@<file>` (file relative to the scanned copy, `N/A` for global checks).
 */
const ALLOWED_FINDINGS: Record<string, string> = {
  // The meta CSP in renderer/index.html allows ws://127.0.0.1:* for the browser host's loopback WebSocket
  // (src/host/browser/server.ts, origin + per-start secret). Under Electron the app:// protocol sends the
  // stricter header CSP (connect-src 'self'), and a header and a meta policy both apply, so the effective
  // policy is the stricter one. Electronegativity cannot see the header: it is built from an array in
  // app-protocol.ts, which the CSP test below checks directly.
  'CSP_GLOBAL_CHECK@renderer/index.html': 'meta CSP widened for the browser host only; header CSP is strict',
};

// js-yaml ships no types; only `load` is declared (as test/host-electron/packaging.test.ts does).
const yaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const BROWSER_HOST_CSP_ONLY = 'ws://127.0.0.1:*';

async function runElectronegativity(): Promise<{
  issues: Array<{ id: string; file: string; line: number; sample: string; manualReview: boolean }>;
  errors: unknown[];
  files: number;
}> {
  // One scan over a copy of src/ and renderer/ (preload.cts copied as .ts: the tool only reads js/jsx/ts/tsx/html).
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-eneg-'));
  let files = 0;
  for (const dir of ['src', 'renderer']) {
    for (const file of sourceFiles(dir)) {
      const target = path.join(scratch, rel(file).replace(/\.cts$/, '.ts'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(file, target);
      files += 1;
    }
  }
  fs.writeFileSync(
    path.join(scratch, 'package.json'),
    JSON.stringify({ name: 'scan', devDependencies: { electron: '41.7.1' } }),
  );
  const require = createRequire(import.meta.url);
  const run = require('@doyensec/electronegativity') as (options: Record<string, unknown>) => Promise<{
    issues: Array<{
      id: string;
      file: string;
      location: { line: number };
      sample?: unknown;
      manualReview?: boolean;
    }>;
    errors: unknown[];
  }>;
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    const result = await run({
      input: scratch,
      electronVersionOverride: '41.7.1',
      isRelative: true,
      // Both need the network (GitHub's Electron release list); the pinned Electron version is the
      // packaging test's business (test/host-electron/packaging.test.ts).
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck', 'ElectronVersionJSONCheck'],
    });
    return {
      issues: result.issues.map((i) => ({
        id: i.id,
        file: i.file,
        line: i.location.line,
        sample: String(i.sample ?? ''),
        manualReview: i.manualReview === true,
      })),
      errors: result.errors,
      files,
    };
  } finally {
    log.mockRestore();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

describe('Electron security checklist', () => {
  it('electronegativity finds nothing in src/ and renderer/ beyond the justified allow-list', async () => {
    const { issues, errors, files } = await runElectronegativity();
    expect(files).toBeGreaterThan(50);
    expect(errors).toEqual([]);
    const unexplained = issues
      .filter((i) => !(`${i.id}@${i.file}` in ALLOWED_FINDINGS))
      .map((i) => `${i.id} ${i.file}:${i.line} ${i.sample.slice(0, 100)}`);
    expect(unexplained).toEqual([]);
  }, 60_000);

  it('the kiosk window is sandboxed, context-isolated, without Node, webview or insecure content', () => {
    const prefs = kioskWebPreferences('/x/preload.cjs', true);
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: false,
    });
    expect(prefs.enableBlinkFeatures).toBeUndefined();
  });

  it('every answer of app:// carries a strict CSP header, and a path out of the renderer folder is refused', async () => {
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "connect-src 'self'",
    ]) {
      expect(CONTENT_SECURITY_POLICY).toContain(directive);
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*|ws:|http:/);
    const handler = createAppRequestHandler(path.join(ROOT, 'dist', 'renderer'));
    for (const url of ['app://kiosk/index.html', 'app://kiosk/..%2f..%2fpackage.json', 'app://kiosk/nope']) {
      const response = await handler(new Request(url));
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
    expect((await handler(new Request('app://kiosk/..%2f..%2fpackage.json'))).status).toBe(403);
  });

  it('every permission request and check is denied, including Web Serial, WebHID and WebUSB device choosers', () => {
    const session = new FakeSession();
    hardenSession(session as never);
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'serial',
      'hid',
      'usb',
      'clipboard-read',
      'openExternal',
      'fullscreen',
    ]) {
      const callback = vi.fn();
      (session.permissionRequest as unknown as (...a: unknown[]) => void)(null, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(
        (session.permissionCheck as unknown as (...a: unknown[]) => boolean)(
          null,
          permission,
          'app://kiosk',
          {},
        ),
      ).toBe(false);
    }
    for (const deviceType of ['serial', 'hid', 'usb']) {
      expect(
        (session.devicePermission as unknown as (...a: unknown[]) => boolean)({
          deviceType,
          origin: 'app://kiosk',
        }),
      ).toBe(false);
    }
    const serial = vi.fn();
    const serialEvent = fakeEvent();
    session.emit('select-serial-port', serialEvent, [{ portId: 'ttyUSB0' }], null, serial);
    expect(serialEvent.preventDefault).toHaveBeenCalled();
    expect(serial).toHaveBeenCalledWith('');
    for (const name of ['select-hid-device', 'select-usb-device']) {
      const chooser = vi.fn();
      const event = fakeEvent();
      session.emit(name, event, { deviceList: [{ deviceId: 'reader' }] }, chooser);
      expect(event.preventDefault).toHaveBeenCalled();
      expect(chooser).toHaveBeenCalledWith();
    }
    const download = fakeEvent();
    session.emit('will-download', download);
    expect(download.preventDefault).toHaveBeenCalled();
  });

  it('navigation away from app://kiosk, redirects, new windows and webviews are all refused', () => {
    const contents = new FakeWebContents();
    hardenWebContents(contents as never, 'app://kiosk');
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'app://other/index.html',
      'javascript:alert(1)',
      'data:text/html,x',
    ]) {
      for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
        const event = fakeEvent({ url });
        contents.emit(name, event);
        expect(event.preventDefault).toHaveBeenCalled();
      }
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    const own = fakeEvent({ url: 'app://kiosk/index.html' });
    contents.emit('will-navigate', own);
    expect(own.preventDefault).not.toHaveBeenCalled();
    const webview = fakeEvent();
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('an IPC call from a subframe, another window or a navigated page is refused with E8002 and never reaches the core', async () => {
    const kiosk = new FakeWebContents();
    const other = new FakeWebContents();
    const ipc = new FakeIpcMain();
    const getView = vi.fn(async () => ({}));
    const rate = vi.fn(async () => ({ ok: true }));
    const provider = {
      api: { getView, rate },
      subscribe: () => () => undefined,
    } as unknown as KioskApiProvider;
    registerKioskIpc(
      ipc as never,
      provider,
      kioskSenderCheck(() => kiosk as never, 'app://kiosk'),
    );
    const main = { url: 'app://kiosk/index.html', parent: null };
    const forged = [
      { sender: other, senderFrame: main },
      { sender: kiosk, senderFrame: { url: 'app://kiosk/index.html', parent: main } },
      { sender: kiosk, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: kiosk, senderFrame: null },
    ];
    for (const event of forged) {
      const outcome = await ipc.invoke(KIOSK_CALL_CHANNEL, event as never, 'rate', ['s1', 'very_satisfied']);
      expect(outcome).toMatchObject({ ok: false, code: 'E8002' });
    }
    expect(rate).not.toHaveBeenCalled();
    expect(
      await ipc.invoke(KIOSK_CALL_CHANNEL, { sender: kiosk, senderFrame: main } as never, 'getView', []),
    ).toMatchObject({ ok: true });
  });

  it('no code calls shell.openExternal or opens other programs from the kiosk', () => {
    const offenders: string[] = [];
    for (const file of sourceFiles('src', 'renderer', 'drivers')) {
      const code = stripComments(fs.readFileSync(file, 'utf8'));
      if (
        /\bopenExternal\b|\bshell\s*\.\s*(openPath|showItemInFolder)\b|from\s+['"]electron['"][^;]*\bshell\b/.test(
          code,
        )
      )
        offenders.push(rel(file));
    }
    expect(offenders).toEqual([]);
  });

  it('the preload exposes only the KioskApi functions and onView, never ipcRenderer or Node', () => {
    const preload = stripComments(fs.readFileSync(path.join(ROOT, 'src/host/electron/preload.cts'), 'utf8'));
    expect(preload.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(preload).toMatch(/exposeInMainWorld\('kiosk', createKioskBridge\(ipcRenderer\)\)/);
    expect(preload).not.toMatch(
      /exposeInMainWorld\(\s*['"][^'"]+['"]\s*,\s*(ipcRenderer|require|process)\b|require\(|process\.|ipcRenderer\.send\b/,
    );
  });

  it('electron-builder.yml flips every hardening fuse', () => {
    const builder = yaml.load(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as {
      electronFuses?: Record<string, boolean>;
      asar?: boolean;
    };
    expect(builder.asar).toBe(true);
    expect(builder.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('the renderer meta CSP differs from the header CSP only by the browser host WebSocket', () => {
    const html = fs.readFileSync(path.join(ROOT, 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(meta).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(meta.replace(` ${BROWSER_HOST_CSP_ONLY}`, '')).toBe(
      CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''),
    );
  });
});
