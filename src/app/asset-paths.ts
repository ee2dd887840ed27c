import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: two levels above src/app, or three above dist/main/src/app when compiled. */
export function projectRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, '..', '..'), path.resolve(here, '..', '..', '..', '..')]) {
    if (fs.existsSync(path.join(candidate, 'assets', 'default-catalogue.json'))) return candidate;
  }
  return path.resolve(here, '..', '..');
}

export function assetPath(...parts: string[]): string {
  return path.join(projectRoot(), 'assets', ...parts);
}
