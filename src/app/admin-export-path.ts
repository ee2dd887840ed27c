/**
 * Where the admin screen may export logs to. A technician types the folder on a touch screen, so the path
 * is checked strictly: absolute, already normal, inside an allowed root, and not led out of it by a
 * symbolic link. The export action (admin-actions.ts) checks again once the folder exists.
 */
import fs from 'node:fs';
import path from 'node:path';

function isInside(child: string, root: string): boolean {
  return child === root || child.startsWith(root.endsWith('/') ? root : `${root}/`);
}

function hasControlOrBackslash(text: string): boolean {
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f || ch === '\\') return true;
  }
  return false;
}

/** The nearest existing ancestor of `p` (p itself when it exists), resolved through links. */
function realAncestor(p: string): string | null {
  let current = p;
  for (;;) {
    try {
      return fs.realpathSync(current);
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return null;
      current = parent;
    }
  }
}

/**
 * An export folder is accepted when it is absolute, already normal (no `.`/`..` segments, no `//`, no NUL
 * or control characters), inside one of `roots`, and its nearest existing ancestor — resolved through
 * symbolic links — is still inside that root (a link on the stick cannot lead out). Returns the root used.
 */
export function checkExportPath(candidate: string, roots: readonly string[]): string | null {
  if (typeof candidate !== 'string' || candidate.length < 2 || candidate.length > 1024) return null;
  if (!path.isAbsolute(candidate) || hasControlOrBackslash(candidate)) return null;
  const trimmed = candidate.length > 1 ? candidate.replace(/\/+$/, '') : candidate;
  if (trimmed.split('/').some((segment) => segment === '..' || segment === '.')) return null;
  if (path.posix.normalize(trimmed) !== trimmed) return null;
  for (const root of roots) {
    const cleanRoot = path.posix.normalize(root).replace(/\/+$/, '');
    if (!path.isAbsolute(cleanRoot) || cleanRoot === '' || !isInside(trimmed, cleanRoot)) continue;
    const realRoot = realAncestor(cleanRoot);
    if (realRoot === null || !fs.existsSync(cleanRoot)) continue;
    const realTarget = realAncestor(trimmed);
    if (realTarget !== null && isInside(realTarget, realRoot)) return cleanRoot;
  }
  return null;
}
