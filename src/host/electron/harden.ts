/**
 * Hardening shared by the kiosk window and any other web contents Electron creates. Each rule cites the
 * Electron security checklist item (https://www.electronjs.org/docs/latest/tutorial/security) it implements.
 */
import type { Session, WebContents } from 'electron';
import type { HostLog } from './electron-module.js';

/**
 * `scheme://host[:port]` of a URL, or null. Computed by hand because WHATWG `URL.origin` is the opaque
 * 'null' for schemes Node does not know as special, such as our privileged `app:`.
 */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.host === '' ? null : `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

export function isSameOrigin(url: string, origin: string): boolean {
  return originOf(url) === origin;
}

const hardened = new WeakSet<WebContents>();

/**
 * Web-contents rules for every contents in the app (window, devtools, anything unexpected). Applied once
 * per contents: the kiosk window's contents gets here both from `web-contents-created` and from window.ts.
 */
export function hardenWebContents(contents: WebContents, appOrigin: string, log?: HostLog): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);
  // Checklist #14 "Disable or limit creation of new windows": the kiosk never opens one.
  contents.setWindowOpenHandler(({ url }) => {
    log?.warn(`[E8002] refused window.open(${url})`);
    return { action: 'deny' };
  });
  // Checklist #13 "Disable or limit navigation": only our own app:// origin, for every frame.
  const guard = (details: { url: string; preventDefault(): void }): void => {
    if (!isSameOrigin(details.url, appOrigin)) {
      details.preventDefault();
      log?.warn(`[E8002] refused navigation to ${details.url}`);
    }
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-frame-navigate', guard);
  // Checklist #12 "Verify WebView options before creation": the kiosk uses none, so refuse them all.
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
}

/**
 * Session rules. Checklist #5 "Handle session permission requests from remote content": deny every
 * permission request and check, including the device APIs (Web Serial, WebHID, WebUSB) that would let
 * page script talk to the pad or the ID reader directly: devices belong to the main process alone.
 */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // preventDefault() takes over the chooser; answering with nothing cancels the request.
  session.on('select-serial-port', (event, _ports, _contents, callback) => {
    event.preventDefault();
    callback('');
  });
  session.on('select-hid-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  session.on('select-usb-device', (event, _details, callback) => {
    event.preventDefault();
    callback();
  });
  // Nothing on a kiosk should download files.
  session.on('will-download', (event) => {
    event.preventDefault();
  });
}
