import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
// js-yaml comes with electron-builder (a devDependency); it ships no types, so only `load` is declared.
const yaml = createRequire(path.join(root, 'package.json'))('js-yaml') as { load(text: string): unknown };

interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  files: string[];
  extraMetadata: { main: string };
  electronFuses: Record<string, boolean>;
  linux: { target: Array<{ target: string; arch: string[] }>; icon: string };
}

/** The decoded scanlines of a PNG (its IDAT chunks inflated), so zlib versions cannot make a difference. */
function pngPixels(png: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 8; offset < png.length;) {
    const length = png.readUInt32BE(offset);
    if (png.toString('ascii', offset + 4, offset + 8) === 'IDAT')
      parts.push(png.subarray(offset + 8, offset + 8 + length));
    offset += length + 12;
  }
  return inflateSync(Buffer.concat(parts));
}

const config = yaml.load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('the electron-builder configuration', () => {
  it('names the app and builds AppImage and deb for x64 and arm64', () => {
    expect(config.appId).toBe('cn.gov.hainan.hcp.kiosk');
    expect(config.productName).toBe('好差评评价器');
    expect(config.linux.target).toEqual([
      { target: 'AppImage', arch: ['x64', 'arm64'] },
      { target: 'deb', arch: ['x64', 'arm64'] },
    ]);
  });

  it('packs the app into an asar with native addons unpacked and no automatic native rebuild', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(['**/*.node']);
    expect(config.npmRebuild).toBe(false);
    expect(config.files).toEqual(
      expect.arrayContaining(['dist/**', 'assets/**', 'package.json', 'node_modules/**']),
    );
  });

  it('flips the security fuses', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('starts the compiled Electron entry, whose source exists', () => {
    expect(config.extraMetadata.main).toBe('dist/main/src/host/electron/main-entry.js');
    expect(fs.existsSync(path.join(root, 'src/host/electron/main-entry.ts'))).toBe(true);
  });

  it('uses a committed 512×512 PNG icon that build/make-icon.mjs reproduces pixel for pixel', async () => {
    const icon = fs.readFileSync(path.join(root, config.linux.icon));
    expect(icon.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([512, 512]);
    const { renderIcon } = await import('../../build/make-icon.mjs');
    expect(pngPixels(renderIcon()).equals(pngPixels(icon))).toBe(true);
  });

  it('ships udev rules that give the kiosk group the pad and the reader under stable names', () => {
    const rules = fs
      .readFileSync(path.join(root, 'build/99-hcp-kiosk.rules'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(rules).toHaveLength(2);
    expect(rules[0]).toMatch(
      /ATTRS\{idVendor\}=="1a86".*ATTRS\{idProduct\}=="7523".*GROUP="kiosk".*SYMLINK\+="hcp-pad"/,
    );
    expect(rules[1]).toMatch(
      /ATTR\{idVendor\}=="0400".*ATTR\{idProduct\}=="c35a".*GROUP="kiosk".*SYMLINK\+="hcp-reader"/,
    );
  });
});
