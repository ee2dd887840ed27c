#!/usr/bin/env node
// Packages the app with electron-builder's `dir` target in a SCRATCH COPY and checks the unpacked tree,
// fully offline and without an Electron binary:
//
//   node scripts/check-package.mjs [--keep] [--arch x64]
//
// Why a scratch copy: electron-builder rebuilds native modules in the project it packages when asked, and
// a rebuild of better-sqlite3 for Electron's ABI breaks it for Node (tests, browser host). Here nothing
// touches the repository: package.json, package-lock.json, build/, assets/ and dist/ are copied, the
// production node_modules subset (package-lock entries not marked dev) is copied from the repo's
// node_modules, and `electronDist` points at a stand-in Electron: a dummy `electron` executable that
// carries a fuse wire (so the configured fuses are really flipped and can be read back), locales, and the
// files a Linux Electron zip has. dist/main is compiled into the scratch copy with tsc when the repo has
// no build of it.
//
// Checked: the renamed executable, app.asar with the entry script, the renderer (and paused.html),
// assets and no devDependencies; locales; every native addon of the asar unpacked next to it (none left
// inside) and of the right architecture; the udev rules; the fuses; the repository's node_modules
// unchanged (hash of better-sqlite3's addon before and after); no test code and no dev tooling (test/,
// dev-tools/, bench/, the device simulators, *.test.js) and no packaged module importing any of them
// statically (window-link.md "Setup, demo and tests" r2).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { checkNativeArch, DEFAULT_REQUIRED } from './check-native-arch.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(path.join(root, 'package.json'));

export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse wire order (@electron/fuses FuseV1Options). */
export const FUSE_NAMES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
];
/** Electron's own defaults, so that an unflipped fuse shows up as wrong. */
const DEFAULT_WIRE = '10110001';

/**
 * The dummy Electron executable: a shell script followed by a fuse wire as Electron embeds it
 * (sentinel, version 1, length, one '0'/'1' byte per fuse).
 */
export function dummyElectronBinary() {
  const script = Buffer.from('#!/bin/sh\n# stand-in Electron for scripts/check-package.mjs\nexit 0\n# ');
  const wire = Buffer.concat([
    Buffer.from(FUSE_SENTINEL, 'latin1'),
    Buffer.from([1, DEFAULT_WIRE.length]),
    Buffer.from(DEFAULT_WIRE, 'latin1'),
  ]);
  return Buffer.concat([script, wire, Buffer.from('\n')]);
}

/**
 * Reads the fuse wire back from a binary: { fuseName: true | false }.
 * @param {Buffer} binary
 */
export function readFuses(binary) {
  const at = binary.indexOf(FUSE_SENTINEL, 0, 'latin1');
  if (at < 0) throw new Error('no fuse sentinel in the binary');
  const start = at + FUSE_SENTINEL.length;
  const length = binary[start + 1] ?? 0;
  /** @type {Record<string, boolean>} */
  const fuses = {};
  for (let i = 0; i < length && i < FUSE_NAMES.length; i++) {
    fuses[FUSE_NAMES[i]] = binary[start + 2 + i] === 0x31;
  }
  return fuses;
}

/**
 * The files of a Linux Electron distribution that electron-builder copies, as a stand-in.
 * @param {string} dir
 */
export function writeFakeElectronDist(dir, version) {
  fs.mkdirSync(path.join(dir, 'locales'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'electron'), dummyElectronBinary(), { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'chrome-sandbox'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'chrome_crashpad_handler'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  for (const locale of ['en-US', 'zh-CN', 'zh-TW']) {
    fs.writeFileSync(path.join(dir, 'locales', `${locale}.pak`), `stand-in ${locale}\n`);
  }
  for (const name of [
    'libffmpeg.so',
    'libEGL.so',
    'libGLESv2.so',
    'icudtl.dat',
    'resources.pak',
    'chrome_100_percent.pak',
    'chrome_200_percent.pak',
    'snapshot_blob.bin',
    'v8_context_snapshot.bin',
    'LICENSE',
    'LICENSES.chromium.html',
  ]) {
    fs.writeFileSync(path.join(dir, name), `stand-in ${name}\n`);
  }
  fs.writeFileSync(path.join(dir, 'version'), `${version}\n`);
}

/**
 * The production packages of a package-lock (v2/v3): `node_modules/…` entries not marked dev (nor
 * devOptional, i.e. optional peers only dev tooling installs), not links.
 * @param {{ packages: Record<string, { dev?: boolean, devOptional?: boolean, link?: boolean }> }} lock
 */
export function productionPackages(lock) {
  return Object.entries(lock.packages)
    .filter(
      ([key, entry]) => key.startsWith('node_modules/') && !entry.dev && !entry.devOptional && !entry.link,
    )
    .map(([key]) => key)
    .sort();
}

/**
 * Copies the production subset of `fromRoot`/node_modules into `toRoot`/node_modules. Each package is
 * copied without its nested node_modules (those are entries of their own). Missing optional packages
 * (another platform's) are skipped. Returns the number of packages copied.
 */
export function copyProductionModules(fromRoot, toRoot, lock) {
  let copied = 0;
  for (const key of productionPackages(lock)) {
    const from = path.join(fromRoot, key);
    if (!fs.existsSync(from)) continue;
    const nested = path.join(from, 'node_modules');
    fs.cpSync(from, path.join(toRoot, key), {
      recursive: true,
      verbatimSymlinks: true,
      filter: (source) => source !== nested,
    });
    copied += 1;
  }
  return copied;
}

function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Hash of every .node file under the repo's node_modules/better-sqlite3 (the one a rebuild would change). */
function guardHash() {
  const dir = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release');
  if (!fs.existsSync(dir)) return 'absent';
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.node'))
    .sort()
    .map((name) => `${name}:${sha256(path.join(dir, name))}`)
    .join(',');
}

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
}

/**
 * Prepares the scratch app folder: returns its path.
 * @param {string} scratch
 */
export function prepareScratchApp(scratch) {
  const app = path.join(scratch, 'app');
  fs.mkdirSync(app, { recursive: true });
  for (const name of ['package.json', 'package-lock.json'])
    fs.copyFileSync(path.join(root, name), path.join(app, name));
  fs.cpSync(path.join(root, 'build'), path.join(app, 'build'), { recursive: true });
  fs.cpSync(path.join(root, 'assets'), path.join(app, 'assets'), { recursive: true });
  const renderer = path.join(root, 'dist', 'renderer', 'index.html');
  if (!fs.existsSync(renderer))
    throw new Error('dist/renderer is missing: run `npm run build` (or `npm test`) first');
  fs.cpSync(path.join(root, 'dist', 'renderer'), path.join(app, 'dist', 'renderer'), { recursive: true });
  const builtMain = path.join(root, 'dist', 'main', 'src', 'host', 'electron', 'main-entry.js');
  if (fs.existsSync(builtMain)) {
    fs.cpSync(path.join(root, 'dist', 'main'), path.join(app, 'dist', 'main'), { recursive: true });
  } else {
    // Compile into the scratch copy only; the repository's dist is left as it is.
    run(
      process.execPath,
      [
        path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
        '-p',
        path.join(root, 'tsconfig.build.json'),
        '--outDir',
        path.join(app, 'dist', 'main'),
        '--sourceMap',
        'false',
      ],
      root,
    );
  }
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  copyProductionModules(root, app, lock);
  return app;
}

/** Lists an asar's files (paths starting with '/'), and the ones marked unpacked. */
function listAsar(asarPath) {
  const asar = require('@electron/asar');
  const files = asar.listPackage(asarPath, { isPack: false }).map((file) => file.replaceAll('\\', '/'));
  const unpacked = new Set();
  for (const file of files) {
    try {
      const stat = asar.statFile(asarPath, file.slice(1), false);
      if (stat && 'unpacked' in stat && stat.unpacked) unpacked.add(file);
    } catch {
      // directories and links have no file entry
    }
  }
  return { files, unpacked };
}

/** Folders of the checkout that hold test code or dev tooling, never shipped (electron-builder.yml `files:`). */
export const DEV_ONLY_DIRS = ['test', 'dev-tools', 'bench', 'scripts', 'drivers/sim'];

/**
 * Files of the asar (paths starting '/') that are test code or dev tooling: anything under a DEV_ONLY_DIRS
 * folder at the top or under dist/main, and any *.test.* or *.spec.* file outside node_modules.
 * @param {string[]} files
 */
export function devOnlyFiles(files) {
  const roots = DEV_ONLY_DIRS.flatMap((dir) => [`/${dir}/`, `/dist/main/${dir}/`]);
  return files.filter(
    (file) =>
      roots.some((root) => file.startsWith(root)) ||
      (!file.startsWith('/node_modules/') && /\.(test|spec)\.[cm]?[jt]s$/.test(file)),
  );
}

/**
 * The static imports of a compiled module (ES `import … from` / `export … from` / `import '…'`, and
 * CommonJS `require('…')` with a literal) whose specifier reaches into a dev-only folder. A dynamic
 * `import(variable)` is how demo mode loads dev-tools, and is not static.
 * @param {string} source
 */
export function staticDevImports(source) {
  const specifiers = [
    ...source.matchAll(/\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g),
    ...source.matchAll(/\bimport\s*['"]([^'"]+)['"]/g),
    ...source.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((match) => match[1]);
  const devDir = new RegExp(`(^|/)(${DEV_ONLY_DIRS.map((d) => d.replace('/', '\\/')).join('|')})/`);
  return specifiers.filter((specifier) => specifier.startsWith('.') && devDir.test(specifier));
}

/**
 * Asserts on an unpacked Linux app. Returns a list of failures (empty when all is well).
 * @param {string} appOutDir e.g. release/linux-unpacked
 * @param {{ executableName: string, arch: string, fuses: Record<string, boolean>, entry: string }} expected
 */
export function checkUnpackedApp(appOutDir, expected) {
  const failures = [];
  const expect = (condition, message) => {
    if (!condition) failures.push(message);
  };
  const exe = path.join(appOutDir, expected.executableName);
  expect(fs.existsSync(exe), `executable ${expected.executableName} missing`);
  if (fs.existsSync(exe)) {
    expect((fs.statSync(exe).mode & 0o111) !== 0, 'executable is not executable');
    const fuses = readFuses(fs.readFileSync(exe));
    for (const [name, value] of Object.entries(expected.fuses)) {
      expect(fuses[name] === value, `fuse ${name} is ${fuses[name]}, expected ${value}`);
    }
  }
  const locales = path.join(appOutDir, 'locales');
  expect(
    fs.existsSync(locales) && fs.readdirSync(locales).some((f) => f.endsWith('.pak')),
    'locales/*.pak missing',
  );
  expect(
    fs.existsSync(path.join(appOutDir, 'resources', 'udev', '99-hcp-kiosk.rules')),
    'resources/udev/99-hcp-kiosk.rules missing',
  );
  const asarPath = path.join(appOutDir, 'resources', 'app.asar');
  expect(fs.existsSync(asarPath), 'resources/app.asar missing');
  if (!fs.existsSync(asarPath)) return failures;
  const { files, unpacked } = listAsar(asarPath);
  const has = (file) => files.includes(file);
  expect(has('/package.json'), 'package.json not in app.asar');
  expect(has(`/${expected.entry}`), `entry ${expected.entry} not in app.asar`);
  expect(has('/dist/renderer/index.html'), 'dist/renderer/index.html not in app.asar');
  expect(has('/dist/renderer/paused.html'), 'dist/renderer/paused.html (the 暂停服务 page) not in app.asar');
  expect(has('/assets/default-catalogue.json'), 'assets/default-catalogue.json not in app.asar');
  expect(!files.some((f) => f.endsWith('.map')), 'source maps in app.asar');
  for (const file of devOnlyFiles(files)) failures.push(`test code or dev tooling in app.asar: ${file}`);
  for (const dev of ['electron', 'electron-builder', 'vitest', 'typescript', 'vite']) {
    expect(!has(`/node_modules/${dev}/package.json`), `devDependency ${dev} in app.asar`);
  }
  const asar = require('@electron/asar');
  for (const file of files.filter((f) => f.startsWith('/dist/main/') && /\.[cm]?js$/.test(f))) {
    let source;
    try {
      source = asar.extractFile(asarPath, file.slice(1)).toString('utf8');
    } catch {
      continue; // a directory entry
    }
    for (const specifier of staticDevImports(source))
      failures.push(`${file} imports ${specifier} statically (test code or dev tooling)`);
  }
  const packagedJson = JSON.parse(asar.extractFile(asarPath, 'package.json').toString('utf8'));
  expect(packagedJson.main === expected.entry, `package.json main is ${packagedJson.main}`);
  const addons = files.filter((f) => f.endsWith('.node'));
  expect(addons.length > 0, 'no native addons in app.asar');
  for (const addon of addons) {
    expect(unpacked.has(addon), `${addon} is inside app.asar (must be unpacked)`);
    expect(
      fs.existsSync(path.join(appOutDir, 'resources', 'app.asar.unpacked', addon)),
      `${addon} not in app.asar.unpacked`,
    );
  }
  const unpackedDir = path.join(appOutDir, 'resources', 'app.asar.unpacked');
  if (fs.existsSync(unpackedDir)) {
    const native = checkNativeArch(unpackedDir, { arch: expected.arch, required: DEFAULT_REQUIRED });
    for (const wrong of native.wrong)
      failures.push(`${wrong.path} is not linux-${expected.arch}: ${wrong.description}`);
    for (const name of native.missing) failures.push(`no ${name} addon for linux-${expected.arch} unpacked`);
  } else {
    failures.push('resources/app.asar.unpacked missing');
  }
  return failures;
}

/**
 * The whole check. Returns { failures, appOutDir, scratch, seconds }.
 * @param {{ arch?: string, keep?: boolean, log?: (line: string) => void }} [options]
 */
export async function checkPackage(options = {}) {
  const arch = options.arch ?? 'x64';
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const before = guardHash();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-check-package-'));
  try {
    const app = prepareScratchApp(scratch);
    log(`scratch app prepared in ${scratch}`);
    const electronVersion = require('electron/package.json').version;
    const electronDist = path.join(scratch, 'electron-dist');
    writeFakeElectronDist(electronDist, electronVersion);
    const yaml = require('js-yaml');
    const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8'));
    const output = path.join(scratch, 'out');
    const builder = require('electron-builder');
    await builder.build({
      projectDir: app,
      targets: builder.Platform.LINUX.createTarget('dir', builder.Arch[arch]),
      publish: 'never',
      config: {
        ...config,
        electronVersion,
        electronDist,
        directories: { ...config.directories, output },
        npmRebuild: false,
        // No download of any kind: the dir target needs no tool, and no electron-updater metadata is written.
        publish: null,
      },
    });
    const appOutDir = path.join(output, arch === 'x64' ? 'linux-unpacked' : `linux-${arch}-unpacked`);
    const failures = checkUnpackedApp(appOutDir, {
      executableName: config.linux.executableName,
      arch,
      fuses: Object.fromEntries(
        Object.entries(config.electronFuses).filter(([name]) => FUSE_NAMES.includes(name)),
      ),
      entry: config.extraMetadata.main,
    });
    const after = guardHash();
    if (before !== after)
      failures.push("the repository's node_modules/better-sqlite3 changed during packaging");
    return { failures, appOutDir, scratch, seconds: (Date.now() - started) / 1000 };
  } finally {
    if (!options.keep) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const argv = process.argv.slice(2);
  const archIndex = argv.indexOf('--arch');
  const result = await checkPackage({
    keep: argv.includes('--keep'),
    arch: archIndex >= 0 ? argv[archIndex + 1] : 'x64',
    log: (line) => console.log(line),
  });
  for (const failure of result.failures) console.log(`FAIL ${failure}`);
  console.log(
    `${result.failures.length === 0 ? 'OK' : 'FAIL'}: packaged and checked in ${result.seconds.toFixed(1)} s` +
      (argv.includes('--keep') ? ` (kept: ${result.appOutDir})` : ''),
  );
  process.exitCode = result.failures.length === 0 ? 0 : 1;
}
