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
  devOnlyFiles(files: string[]): string[];
  staticDevImports(source: string): string[];
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

  it('flags test code and dev tooling in the packaged tree, wherever it sits', async () => {
    const mod = await load();
    expect(
      mod.devOnlyFiles([
        '/dist/main/src/app/cli.js',
        '/dist/main/drivers/pad/pad-driver.js',
        '/dist/main/test/support/kiosk-process.js',
        '/dist/main/dev-tools/province-sim/server.js',
        '/dist/main/drivers/sim/pty.js',
        '/dist/main/bench/run.js',
        '/dev-tools/province-sim/cli.js',
        '/dist/main/src/app/thing.test.js',
        '/node_modules/some-lib/index.test.js',
      ]),
    ).toEqual([
      '/dist/main/test/support/kiosk-process.js',
      '/dist/main/dev-tools/province-sim/server.js',
      '/dist/main/drivers/sim/pty.js',
      '/dist/main/bench/run.js',
      '/dev-tools/province-sim/cli.js',
      '/dist/main/src/app/thing.test.js',
    ]);
  });

  it('flags a static import of test code or dev tooling, but not demo mode’s dynamic import by variable', async () => {
    const mod = await load();
    const source = [
      "import { startKiosk } from '../../test/support/kiosk-process.js';",
      "import '../../dev-tools/province-sim/server.js';",
      "export { PtyPair } from '../../drivers/sim/pty.js';",
      "const sim = require('../../bench/run.js');",
      "import { PadDriver } from '../../drivers/pad/pad-driver.js';",
      "import { z } from 'zod';",
      "const SERVER_MODULE = '../../dev-tools/province-sim/server.js';",
      'const mod = await import(SERVER_MODULE);',
    ].join('\n');
    expect(mod.staticDevImports(source)).toEqual([
      '../../test/support/kiosk-process.js',
      '../../drivers/sim/pty.js',
      '../../dev-tools/province-sim/server.js',
      '../../bench/run.js',
    ]);
  });

  it('packages without test code: electron-builder.yml leaves test/, dev-tools/, bench/ and the simulators out', () => {
    const yml = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
    expect(yml).toContain("'!dist/main/{test,dev-tools,bench,scripts}/**'");
    expect(yml).toContain("'!dist/main/drivers/sim/**'");
  });

  it.runIf(fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html')) && process.arch === 'x64')(
    'packages offline with flipped fuses, every addon unpacked and right, no test code or dev tooling, and the repo’s node_modules untouched',
    async () => {
      const mod = await load();
      const result = await mod.checkPackage({ arch: 'x64' });
      expect(result.failures).toEqual([]);
      expect(result.seconds).toBeLessThan(55);
    },
    58_000,
  );
});
