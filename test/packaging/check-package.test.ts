import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');

interface CheckPackageModule {
  dummyElectronBinary(): Buffer;
  readFuses(binary: Buffer): Record<string, boolean>;
  productionPackages(lock: {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; link?: boolean }>;
  }): string[];
  checkPackage(options?: { arch?: string }): Promise<{ failures: string[]; seconds: number }>;
}
const load = async (): Promise<CheckPackageModule> =>
  (await import(path.join(root, 'scripts', 'check-package.mjs'))) as CheckPackageModule;

describe('the packaging check (electron-builder dir target in a scratch copy)', () => {
  it('builds a stand-in Electron whose fuse wire reads back as Electron’s defaults', async () => {
    const mod = await load();
    expect(mod.readFuses(mod.dummyElectronBinary())).toEqual({
      runAsNode: true,
      enableCookieEncryption: false,
      enableNodeOptionsEnvironmentVariable: true,
      enableNodeCliInspectArguments: true,
      enableEmbeddedAsarIntegrityValidation: false,
      onlyLoadAppFromAsar: false,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: true,
    });
  });

  it('takes production packages from the lock file and leaves dev and link entries out', async () => {
    const mod = await load();
    expect(
      mod.productionPackages({
        packages: {
          '': {},
          'node_modules/zod': {},
          'node_modules/vitest': { dev: true },
          'node_modules/typescript': { devOptional: true },
          'node_modules/a/node_modules/b': {},
          'node_modules/local': { link: true },
        },
      }),
    ).toEqual(['node_modules/a/node_modules/b', 'node_modules/zod']);
  });

  it.runIf(fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html')) && process.arch === 'x64')(
    'packages offline with flipped fuses, every addon unpacked and right, and the repo’s node_modules untouched',
    async () => {
      const mod = await load();
      const result = await mod.checkPackage({ arch: 'x64' });
      expect(result.failures).toEqual([]);
      expect(result.seconds).toBeLessThan(55);
    },
    58_000,
  );
});
