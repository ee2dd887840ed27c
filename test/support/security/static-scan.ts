/**
 * Source scanning for the security tests: the files of src/ and renderer/ (and drivers/), with comments
 * removed where a pattern must only match code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../kiosk-process.js';

const SOURCE_EXT = /\.(c|m)?tsx?$|\.(c|m)?js$|\.html$/;

export function sourceFiles(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (SOURCE_EXT.test(entry.name)) out.push(full);
    }
  };
  for (const dir of dirs) walk(path.join(ROOT, dir));
  return out.sort();
}

/** The text without // and /* *\/ comments (strings are kept; good enough for these patterns). */
export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

export function rel(file: string): string {
  return path.relative(ROOT, file);
}
