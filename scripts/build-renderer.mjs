// Builds the renderer with Vite unless dist/renderer is newer than every renderer, asset and shared source.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.join(root, 'dist', 'renderer', 'index.html');

function newest(dir) {
  let latest = 0;
  if (!fs.existsSync(dir)) return latest;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

export function buildRenderer({ force = false } = {}) {
  const sources = Math.max(
    newest(path.join(root, 'renderer')),
    newest(path.join(root, 'assets')),
    newest(path.join(root, 'src', 'shared')),
  );
  if (!force && fs.existsSync(out) && fs.statSync(out).mtimeMs >= sources) return;
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '--config',
      'renderer/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
}

if (import.meta.url === `file://${process.argv[1]}`)
  buildRenderer({ force: process.argv.includes('--force') });
