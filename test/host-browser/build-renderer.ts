/**
 * Builds the renderer once for the e2e tests when dist/renderer is missing or older than any of its
 * sources (renderer/, assets/locales/, src/shared/).
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const DIST = path.join(REPO, 'dist', 'renderer');

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const stat = await fs.stat(path.join(entry.parentPath, entry.name));
    newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

export async function ensureRendererBuilt(): Promise<void> {
  const built = await fs.stat(path.join(DIST, 'index.html')).then(
    (stat) => stat.mtimeMs,
    () => 0,
  );
  const sources = ['renderer', 'assets/locales', 'src/shared'].map((dir) =>
    newestMtime(path.join(REPO, dir)),
  );
  const newest = Math.max(...(await Promise.all(sources)));
  if (built > newest) return;
  execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: REPO,
    stdio: 'inherit',
  });
}
