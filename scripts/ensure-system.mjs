#!/usr/bin/env node
// Makes sure the Debian packages a purpose needs are installed. As root it installs what is missing
// (apt-get, no recommends); otherwise it stops with one line naming the apt-get command to run (E8006).
// Usage: node scripts/ensure-system.mjs test|start|bench
import { execFileSync, spawnSync } from 'node:child_process';

const NEEDS = {
  // socat: pty pairs for the pad/reader simulators; libusb: node-hid loads it; chromium + fonts-noto-cjk:
  // e2e tests look at the screen (without the fonts Chinese renders as boxes); xvfb/xauth: a headed window;
  // faketime (libfaketime): the hall-week scenario runs real kiosk processes on a simulated calendar.
  test: ['socat', 'libusb-1.0-0', 'chromium', 'fonts-noto-cjk', 'xvfb', 'xauth', 'faketime'],
  bench: ['socat', 'libusb-1.0-0', 'chromium', 'fonts-noto-cjk'],
  // Demo mode runs the simulated pad and reader over socat ptys and opens the UI in Chromium.
  start: ['socat', 'libusb-1.0-0', 'chromium', 'fonts-noto-cjk'],
};

export function missingPackages(packages) {
  return packages.filter((name) => {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return result.status !== 0 || !result.stdout.includes('install ok installed');
  });
}

export function ensureSystem(purpose) {
  const wanted = NEEDS[purpose];
  if (!wanted) throw new Error(`unknown purpose ${purpose}`);
  if (process.platform !== 'linux' || spawnSync('dpkg-query', ['--version']).status !== 0) return true;
  const missing = missingPackages(wanted);
  if (missing.length === 0) return true;
  const line = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (typeof process.getuid === 'function' && process.getuid() === 0) {
    console.error(`[hcp-kiosk] installing Debian packages: ${missing.join(' ')}`);
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return true;
  }
  console.error(`E8006 host.system-packages: missing Debian packages; run: sudo ${line}`);
  return false;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(ensureSystem(process.argv[2] ?? 'test') ? 0 : 1);
}
