/**
 * The renderer is served from a privileged custom scheme, `app://kiosk/`, never from file://
 * (checklist #18 "Avoid usage of the file:// protocol and prefer usage of custom protocols"): file:// pages
 * share one origin with every file on disk, while app://kiosk is its own origin confined to one folder.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { mimeTypeFor } from '../mime-types.js';
import type { Protocol } from 'electron';

export const APP_SCHEME = 'app';
export const APP_HOST = 'kiosk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_URL = `${APP_ORIGIN}/index.html`;

/** Checklist #7 "Define a Content Security Policy", sent as a header so the page cannot weaken it. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Must run before the app's `ready` event. `standard` gives the scheme a real origin and relative URLs;
 * `secure` makes it a secure context; fetch works for same-origin assets. No `bypassCSP`.
 */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    // corsEnabled: Vite marks the module script `crossorigin`, which needs CORS on the scheme to load.
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
    },
  ]);
}

function respond(
  status: number,
  body: Uint8Array | string | null,
  contentType = 'text/plain; charset=utf-8',
): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    },
  });
}

/** Resolves a URL path inside `root`, or null when it would leave it (`..`, encoded or not, NUL, `\`). */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const resolved = path.resolve(root, relative);
  const back = path.relative(root, resolved);
  if (back === '' || back.startsWith('..') || path.isAbsolute(back)) return null;
  return resolved;
}

/** The request handler for `protocol.handle`, exported for tests (it needs no Electron). */
export function createAppRequestHandler(rendererDir: string): (request: Request) => Promise<Response> {
  const root = path.resolve(rendererDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'method not allowed');
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return respond(400, 'bad url');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return respond(404, 'not found');
    const filePath = resolveInside(root, url.pathname);
    if (filePath === null) return respond(403, 'forbidden');
    try {
      // Follow symlinks, then confine again: a link inside the folder must not lead out of it.
      const [realRoot, realFile] = await Promise.all([realpath(root), realpath(filePath)]);
      const back = path.relative(realRoot, realFile);
      if (back.startsWith('..') || path.isAbsolute(back)) return respond(403, 'forbidden');
      if (!(await stat(realFile)).isFile()) return respond(404, 'not found');
      const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(realFile));
      return respond(200, body, mimeTypeFor(realFile));
    } catch {
      return respond(404, 'not found');
    }
  };
}

/** Serves `rendererDir` on app://kiosk/ (call after `ready`). */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  const handler = createAppRequestHandler(rendererDir);
  protocol.handle(APP_SCHEME, (request) => handler(request));
}
