/**
 * Static files for the browser host: the built renderer only. Paths are decoded, normalised and confined
 * to the static directory (also after resolving symlinks), so `..`, encoded `..` and absolute paths cannot
 * reach anything else on the device.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export { mimeTypeFor } from '../mime-types.js';

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Maps a request path (`/assets/x.js?v=1`) to a file inside `root`, or null when the path is malformed,
 * escapes the root, or names something that is not a regular file.
 */
export async function resolveStaticFile(root: string, requestPath: string): Promise<string | null> {
  const pathname = requestPath.split(/[?#]/, 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  // Backslashes and NUL never appear in the renderer's own URLs; refusing them closes Windows-style and
  // truncation tricks outright.
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return null;
  if (decoded.split('/').includes('..')) return null;
  const relative = path.posix.normalize(decoded.endsWith('/') ? `${decoded}index.html` : decoded);
  const realRoot = await fs.realpath(root);
  const candidate = path.resolve(realRoot, `.${relative}`);
  if (!isInside(realRoot, candidate)) return null;
  try {
    const real = await fs.realpath(candidate);
    if (!isInside(realRoot, real)) return null;
    const stat = await fs.stat(real);
    return stat.isFile() ? real : null;
  } catch {
    return null;
  }
}
