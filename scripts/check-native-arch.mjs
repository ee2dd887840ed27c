#!/usr/bin/env node
// Checks that every native addon (`*.node`) in an unpacked app is built for the target architecture, using
// file(1). A kiosk that ships an x64 better-sqlite3 in an arm64 package starts, shows nothing and logs one
// dlopen error; this check turns that into a failed release instead.
//
//   node scripts/check-native-arch.mjs <dir> [--arch x64|arm64|armv7l|ia32] [--require a,b,c]
//
// <dir> is an unpacked app (release/linux-unpacked, linux-arm64-unpacked, an extracted .deb's
// /opt/好差评评价器) or any node_modules tree. --arch defaults to this machine's. --require lists packages
// that must have at least one addon for the target (default: the kiosk's four native dependencies).
//
// Prebuilt addons whose path names another platform or architecture (prebuilds/darwin-x64/…,
// prebuilds/HID-linux-arm64/…, @node-usb/usb-linux-arm64-gnu/…) are chosen by name at run time and never
// loaded on this target, so they are listed as "foreign" and not failed. An addon whose path names the
// target, or names nothing (build/Release/…), must be an ELF file of the target machine.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** file(1)'s machine description of each target, as in "ELF 64-bit LSB shared object, x86-64, …". */
export const FILE_MACHINE = {
  x64: /ELF 64-bit LSB [^,]*, x86-64,/,
  arm64: /ELF 64-bit LSB [^,]*, ARM aarch64,/,
  armv7l: /ELF 32-bit LSB [^,]*, ARM, EABI5/,
  ia32: /ELF 32-bit LSB [^,]*, Intel (80386|i386),/,
};

/** Node's `process.arch` → the names the prebuild layouts use for it. */
const ARCH_ALIASES = {
  x64: ['x64'],
  arm64: ['arm64', 'aarch64'],
  armv7l: ['arm', 'armv7', 'armv7l', 'armhf'],
  ia32: ['ia32', 'x86'],
};

/** The kiosk's native dependencies; usb ships its addon in per-platform @node-usb/* packages. */
export const DEFAULT_REQUIRED = ['better-sqlite3', '@serialport/bindings-cpp', 'node-hid', 'usb'];

const TAG = /(?:^|[/_+-])(linux|darwin|win32|android|freebsd|openbsd|sunos)-([a-z0-9+]+)/;

/**
 * The platform and architecture a path claims for its addon (from the nearest tagged segment, searching
 * from the file upwards), or null when it claims none.
 * @param {string} relativePath
 * @returns {{ platform: string, arch: string } | null}
 */
export function pathTag(relativePath) {
  const segments = relativePath.split(/[\\/]/).reverse();
  for (const segment of segments) {
    const match = TAG.exec(segment);
    if (match) return { platform: match[1], arch: match[2] };
  }
  return null;
}

/**
 * Whether a tagged addon is meant for `arch` on Linux ("darwin-x64+arm64" names two architectures).
 * @param {{ platform: string, arch: string }} tag
 * @param {string} arch
 */
export function tagMatches(tag, arch) {
  if (tag.platform !== 'linux') return false;
  const aliases = ARCH_ALIASES[arch] ?? [arch];
  return tag.arch.split('+').some((part) => aliases.includes(part));
}

/**
 * The package an addon belongs to ("@scope/name" or "name"), or null.
 * @param {string} relativePath
 */
export function packageOf(relativePath) {
  const parts = relativePath.split(/[\\/]/);
  // A path without node_modules is taken as relative to a node_modules folder itself.
  const start = parts.lastIndexOf('node_modules') + 1;
  if (start >= parts.length - 1) return null;
  const first = parts[start] ?? '';
  return first.startsWith('@') ? `${first}/${parts[start + 1] ?? ''}` : first;
}

/**
 * Classifies one addon from file(1)'s description of it.
 * @param {string} relativePath
 * @param {string} description
 * @param {string} arch
 * @returns {{ path: string, status: 'ok' | 'foreign' | 'wrong-arch', description: string }}
 */
export function classify(relativePath, description, arch) {
  const machine = FILE_MACHINE[arch];
  if (!machine) throw new Error(`unknown target architecture: ${arch}`);
  const tag = pathTag(relativePath);
  if (tag && !tagMatches(tag, arch)) return { path: relativePath, status: 'foreign', description };
  return { path: relativePath, status: machine.test(description) ? 'ok' : 'wrong-arch', description };
}

/**
 * Every `*.node` file under `dir` (symlinks not followed), as paths relative to it, sorted.
 * @param {string} dir
 */
export function findAddons(dir) {
  const found = [];
  const walk = (current) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.node')) found.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return found.sort();
}

/**
 * file(1)'s description of each file (brief mode, no dereference), in order.
 * @param {string[]} files absolute paths
 */
export function describeFiles(files) {
  if (files.length === 0) return [];
  const result = spawnSync('file', ['-b', '-h', '--', ...files], { encoding: 'utf8' });
  if (result.error) throw new Error(`file(1) is needed for this check: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`file(1) failed: ${result.stderr}`);
  const lines = result.stdout.trimEnd().split('\n');
  if (lines.length !== files.length) throw new Error('file(1) gave an unexpected number of lines');
  return lines;
}

/**
 * Checks an unpacked app. `ok` is false when an addon has the wrong architecture, or a required package
 * has no addon for the target.
 * @param {string} dir
 * @param {{ arch?: string, required?: string[] }} [options]
 */
export function checkNativeArch(dir, options = {}) {
  const arch = options.arch ?? process.arch;
  const required = options.required ?? [];
  const addons = findAddons(dir);
  const descriptions = describeFiles(addons.map((file) => path.join(dir, file)));
  const results = addons.map((file, i) => classify(file, descriptions[i] ?? '', arch));
  const usable = new Set(
    results
      .filter((result) => result.status === 'ok')
      .map((result) => packageOf(result.path))
      .map((name) => (name?.startsWith('@node-usb/') ? 'usb' : name)),
  );
  const missing = required.filter((name) => !usable.has(name));
  const wrong = results.filter((result) => result.status === 'wrong-arch');
  return { arch, results, wrong, missing, ok: wrong.length === 0 && missing.length === 0 };
}

function main(argv) {
  const args = [...argv];
  let arch = process.arch;
  let required = DEFAULT_REQUIRED;
  let dir = null;
  while (args.length > 0) {
    const arg = args.shift();
    if (arg === '--arch') arch = args.shift() ?? '';
    else if (arg === '--require') required = (args.shift() ?? '').split(',').filter(Boolean);
    else if (arg === '--help' || arg === '-h') dir = null;
    else dir = arg ?? null;
  }
  if (dir === null || !fs.existsSync(dir)) {
    console.error(
      'usage: check-native-arch.mjs <unpacked-app-dir> [--arch x64|arm64|armv7l|ia32] [--require a,b]',
    );
    return 2;
  }
  const report = checkNativeArch(dir, { arch, required });
  for (const result of report.results) {
    console.log(`${result.status.padEnd(10)} ${result.path}  (${result.description})`);
  }
  for (const name of report.missing) console.log(`missing    ${name}: no addon for linux-${arch}`);
  console.log(
    `${report.ok ? 'OK' : 'FAIL'}: ${report.results.length} addons, ${report.wrong.length} wrong architecture, ` +
      `${report.missing.length} missing, target linux-${arch}`,
  );
  return report.ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = main(process.argv.slice(2));
}
