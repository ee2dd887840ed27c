#!/usr/bin/env node
// `npm start`: the Electron kiosk when an Electron binary is installed, otherwise the browser host (the
// renderer served on loopback, opened with `chromium --app` when a display exists). From a checkout an
// unprovisioned kiosk opens in demo mode: `--demo` is passed for you (window-link.md r2: an installed
// device without `--demo` starts in setup mode instead); `--setup` leaves it out, to try setup mode here.
// Arguments after `--` go to the kiosk: --data-dir DIR, --no-window, --link-port N, …
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { ensureSystem } from './ensure-system.mjs';
import { ensureDeps } from './ensure-deps.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const given = process.argv.slice(2);
const args = given.includes('--setup')
  ? given.filter((arg) => arg !== '--setup')
  : given.includes('--demo')
    ? given
    : ['--demo', ...given];

function electronBinary() {
  try {
    const require = createRequire(import.meta.url);
    const binary = require('electron'); // the package exports the binary path, and throws when none was downloaded
    return typeof binary === 'string' && fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

if (!ensureSystem('start') || !ensureDeps()) process.exit(1);
const { buildRenderer } = await import('./build-renderer.mjs');
buildRenderer();
const electron = electronBinary();
let child;
if (electron && !args.includes('--no-window') && !args.includes('--browser')) {
  const tsc = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    { cwd: root, stdio: 'inherit' },
  );
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
  child = spawn(electron, [root, ...args], { cwd: root, stdio: 'inherit' });
} else {
  child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'app', 'cli.ts'), ...args], {
    cwd: root,
    stdio: 'inherit',
  });
}
// Ctrl-C reaches the whole process group; forward SIGTERM too so the kiosk commits and closes cleanly.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
