import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  createAppRequestHandler,
  handleAppProtocol,
  registerAppScheme,
  resolveInside,
} from '../../src/host/electron/app-protocol.js';

let base: string;
let root: string;
let serve: (request: Request) => Promise<Response>;
const get = (url: string, method = 'GET') => serve(new Request(url, { method }));

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-app-protocol-'));
  root = path.join(base, 'renderer');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>好差评</title>');
  fs.writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'assets', 'app.css'), 'body{}');
  fs.writeFileSync(path.join(root, 'assets', 'blob.xyz'), 'x');
  fs.writeFileSync(path.join(base, 'secret.txt'), 'TOP SECRET');
  fs.symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'link.txt'));
  serve = createAppRequestHandler(root);
});

afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('the app:// protocol', () => {
  it('is registered as a standard, secure scheme before ready, without bypassing CSP', () => {
    const protocol = { registerSchemesAsPrivileged: vi.fn() };
    registerAppScheme(protocol);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
      },
    ]);
  });

  it('is handled with protocol.handle on the app scheme', () => {
    const protocol = { handle: vi.fn() };
    handleAppProtocol(protocol, root);
    expect(protocol.handle).toHaveBeenCalledWith(APP_SCHEME, expect.any(Function));
  });

  it('serves index.html for the root with the strict CSP, nosniff and an HTML type', async () => {
    const response = await get('app://kiosk/');
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('好差评');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves scripts and styles with their MIME types and unknown files as octet-stream', async () => {
    expect((await get('app://kiosk/assets/app.js')).headers.get('content-type')).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await get('app://kiosk/assets/app.css')).headers.get('content-type')).toBe(
      'text/css; charset=utf-8',
    );
    expect((await get('app://kiosk/assets/blob.xyz')).headers.get('content-type')).toBe(
      'application/octet-stream',
    );
  });

  it('answers a missing file, a folder, another host or a POST without serving anything', async () => {
    expect((await get('app://kiosk/nope.js')).status).toBe(404);
    expect((await get('app://kiosk/assets')).status).toBe(404);
    expect((await get('app://evil/index.html')).status).toBe(404);
    expect((await get('app://kiosk/index.html', 'POST')).status).toBe(405);
    const refused = await get('app://kiosk/nope.js');
    expect(refused.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('refuses ../ traversal, plain or percent-encoded, and never returns a file outside the folder', async () => {
    for (const url of [
      'app://kiosk/../secret.txt',
      'app://kiosk/%2e%2e/secret.txt',
      'app://kiosk/..%2fsecret.txt',
      'app://kiosk/assets/..%2f..%2fsecret.txt',
      'app://kiosk/%2e%2e%2fsecret.txt',
      'app://kiosk/..%5csecret.txt',
      'app://kiosk/%00index.html',
      'app://kiosk/%E0%A4%A',
    ]) {
      const response = await get(url);
      expect(response.status, url).not.toBe(200);
      expect(await response.text(), url).not.toContain('TOP SECRET');
    }
  });

  it('refuses a symlink inside the folder that points outside it', async () => {
    const response = await get('app://kiosk/assets/link.txt');
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('TOP SECRET');
  });

  it('confines path resolution to the renderer folder', () => {
    expect(resolveInside('/srv/r', '/assets/app.js')).toBe('/srv/r/assets/app.js');
    expect(resolveInside('/srv/r', '/')).toBe('/srv/r/index.html');
    expect(resolveInside('/srv/r', '/../etc/passwd')).toBeNull();
    expect(resolveInside('/srv/r', '/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveInside('/srv/r', '//etc/passwd')).toBe('/srv/r/etc/passwd');
    expect(resolveInside('/srv/r', '/a/../../r2/x')).toBeNull();
  });
});
