import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const script = path.join(root, 'scripts', 'check-native-arch.mjs');

interface NativeArchModule {
  pathTag(relativePath: string): { platform: string; arch: string } | null;
  classify(relativePath: string, description: string, arch: string): { status: string };
  checkNativeArch(
    dir: string,
    options?: { arch?: string; required?: string[] },
  ): { ok: boolean; wrong: Array<{ path: string }>; missing: string[]; results: unknown[] };
}
let mod: NativeArchModule;
let scratch: string;

/** The 64-byte ELF header of an aarch64 shared object, which is all file(1) needs. */
function aarch64Elf(): Buffer {
  const header = Buffer.alloc(64);
  header.write('\x7fELF', 0, 'latin1');
  header[4] = 2; // 64-bit
  header[5] = 1; // little endian
  header[6] = 1; // ELF version
  header.writeUInt16LE(3, 16); // ET_DYN
  header.writeUInt16LE(183, 18); // EM_AARCH64
  header.writeUInt32LE(1, 20);
  header.writeUInt16LE(64, 52);
  header.writeUInt16LE(56, 54);
  header.writeUInt16LE(64, 58);
  return header;
}

beforeAll(async () => {
  mod = (await import(script)) as NativeArchModule;
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-native-arch-'));
});
afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

const hasFile = spawnSync('file', ['--version']).status === 0;
const isX64 = process.arch === 'x64';

describe('the native architecture check', () => {
  it('reads the platform and architecture a prebuild path claims', () => {
    expect(mod.pathTag('node-hid/prebuilds/HID_hidraw-linux-arm64/node-napi-v4.node')).toEqual({
      platform: 'linux',
      arch: 'arm64',
    });
    expect(mod.pathTag('@node-usb/usb-linux-x64-gnu/usb.linux-x64-gnu.node')).toEqual({
      platform: 'linux',
      arch: 'x64',
    });
    expect(mod.pathTag('x/prebuilds/darwin-x64+arm64/a.node')).toEqual({
      platform: 'darwin',
      arch: 'x64+arm64',
    });
    expect(mod.pathTag('better-sqlite3/build/Release/better_sqlite3.node')).toBeNull();
  });

  it('fails an untagged or target-tagged addon of another machine and ignores foreign prebuilds', () => {
    const arm = 'ELF 64-bit LSB shared object, ARM aarch64, version 1 (SYSV)';
    const x64 = 'ELF 64-bit LSB shared object, x86-64, version 1 (SYSV)';
    expect(mod.classify('better-sqlite3/build/Release/better_sqlite3.node', arm, 'x64').status).toBe(
      'wrong-arch',
    );
    expect(mod.classify('better-sqlite3/build/Release/better_sqlite3.node', arm, 'arm64').status).toBe('ok');
    expect(mod.classify('a/prebuilds/linux-x64/a.node', arm, 'x64').status).toBe('wrong-arch');
    expect(mod.classify('a/prebuilds/linux-arm64/a.node', arm, 'x64').status).toBe('foreign');
    expect(mod.classify('a/prebuilds/win32-x64/a.node', 'PE32+ executable (DLL)', 'x64').status).toBe(
      'foreign',
    );
    expect(mod.classify('a/prebuilds/linux-x64/a.node', x64, 'x64').status).toBe('ok');
  });

  it.runIf(hasFile && isX64)('passes for x64 on the real addons of this machine’s node_modules', () => {
    const report = mod.checkNativeArch(path.join(root, 'node_modules'), {
      arch: 'x64',
      required: ['better-sqlite3', '@serialport/bindings-cpp', 'node-hid', 'usb'],
    });
    expect(report.wrong).toEqual([]);
    expect(report.missing).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.results.length).toBeGreaterThan(4);
  });

  it.runIf(hasFile)('fails, naming the file, when an aarch64 addon is planted in an x64 app', () => {
    const app = path.join(scratch, 'linux-unpacked', 'resources', 'app.asar.unpacked', 'node_modules');
    const real = path.join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
    fs.mkdirSync(path.join(app, 'better-sqlite3', 'build', 'Release'), { recursive: true });
    fs.copyFileSync(real, path.join(app, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'));
    fs.mkdirSync(path.join(app, 'planted', 'build', 'Release'), { recursive: true });
    fs.writeFileSync(path.join(app, 'planted', 'build', 'Release', 'planted.node'), aarch64Elf());
    const report = mod.checkNativeArch(path.join(scratch, 'linux-unpacked'), { arch: 'x64', required: [] });
    expect(report.ok).toBe(false);
    expect(report.wrong.map((w) => w.path)).toEqual([
      'resources/app.asar.unpacked/node_modules/planted/build/Release/planted.node',
    ]);
    const cli = spawnSync(
      process.execPath,
      [script, path.join(scratch, 'linux-unpacked'), '--arch', 'x64', '--require', ''],
      {
        encoding: 'utf8',
      },
    );
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(
      /wrong-arch +resources\/app\.asar\.unpacked\/node_modules\/planted\/build\/Release\/planted\.node +\(ELF 64-bit LSB [^)]*ARM aarch64/,
    );
  });

  it.runIf(hasFile)('fails when a required native package has no addon for the target', () => {
    const report = mod.checkNativeArch(path.join(root, 'node_modules', 'node-hid'), {
      arch: 'x64',
      required: ['usb'],
    });
    expect(report.missing).toEqual(['usb']);
  });
});
