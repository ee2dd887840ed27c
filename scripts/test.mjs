#!/usr/bin/env node
// `npm test`: installs the Debian packages the tests need (as root; otherwise one line says what to run),
// builds the renderer, then runs the whole vitest suite — unit, property, integration over ptys and
// loopback HTTP, e2e in Chromium, and the quality gates (ESLint, Prettier, tsc) which are tests too.
// Extra arguments go to vitest (e.g. `npm test -- test/session`). The JSON reporter writes
// .vitest-results.json, from which .ci/run takes its counts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureSystem } from './ensure-system.mjs';
import { ensureDeps } from './ensure-deps.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
if (!ensureSystem('test') || !ensureDeps()) process.exit(1);
const { buildRenderer } = await import('./build-renderer.mjs');
buildRenderer();
const args = [
  path.join(root, 'node_modules', 'vitest', 'vitest.mjs'),
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=.vitest-results.json',
  ...process.argv.slice(2),
];
const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
