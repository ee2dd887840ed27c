import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, saveConfig, sealConfig } from '../../src/config/config-store.js';
import { parseConfig, type KioskConfig } from '../../src/config/schema.js';
import {
  chooseSecretBox,
  createKeyFileBox,
  createSafeStorageBox,
  isSealed,
  sealedKind,
} from '../../src/config/secret-store.js';
import { baseConfig, containsSecret, fakeSafeStorage, SECRETS, tempDataDir } from './helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dataDir() {
  const d = tempDataDir();
  cleanups.push(d.cleanup);
  return d;
}
function validConfig(): KioskConfig {
  const parsed = parseConfig(baseConfig());
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.config;
}

describe('the key-file secret box', () => {
  it('seals and opens a secret under a 0600 key file it creates', () => {
    const { paths } = dataDir();
    const box = createKeyFileBox(paths.secretKey);
    const sealed = box.seal('geheim');
    expect(sealed.startsWith('sealed:v1:key-file:')).toBe(true);
    expect(sealed).not.toContain('geheim');
    expect(box.open(sealed)).toBe('geheim');
    if (process.platform !== 'win32') expect(fs.statSync(paths.secretKey).mode & 0o777).toBe(0o600);
  });

  it('refuses a blob sealed under another key file with E1004', () => {
    const a = createKeyFileBox(dataDir().paths.secretKey);
    const b = createKeyFileBox(dataDir().paths.secretKey);
    expect(() => b.open(a.seal('x'))).toThrow(expect.objectContaining({ code: 'E1004' }));
  });

  it('refuses a group-readable key file with E1004', () => {
    const { paths } = dataDir();
    fs.writeFileSync(paths.secretKey, Buffer.alloc(32, 1), { mode: 0o644 });
    fs.chmodSync(paths.secretKey, 0o644);
    const box = createKeyFileBox(paths.secretKey);
    if (process.platform !== 'win32')
      expect(() => box.seal('x')).toThrow(expect.objectContaining({ code: 'E1004' }));
  });
});

describe('the safeStorage secret box', () => {
  it('seals through the injected module and opens its own blobs only', () => {
    const fake = fakeSafeStorage();
    const box = createSafeStorageBox(fake);
    const sealed = box.seal('geheim');
    expect(fake.calls).toBe(1);
    expect(sealedKind(sealed)).toBe('safe-storage');
    expect(box.open(sealed)).toBe('geheim');
    const other = createKeyFileBox(dataDir().paths.secretKey);
    expect(() => box.open(other.seal('x'))).toThrow(expect.objectContaining({ code: 'E1004' }));
    expect(() => box.open('plain text')).toThrow(expect.objectContaining({ code: 'E1004' }));
  });

  it('is refused when encryption is unavailable or only basic_text is on offer', () => {
    expect(() => createSafeStorageBox(fakeSafeStorage({ available: false }))).toThrow(
      expect.objectContaining({ code: 'E1004' }),
    );
    expect(() => createSafeStorageBox(fakeSafeStorage({ backend: 'basic_text' }))).toThrow(
      expect.objectContaining({ code: 'E1004' }),
    );
  });

  it('chooseSecretBox prefers safeStorage, falls back to the key file, and opens both kinds it can', () => {
    const { paths } = dataDir();
    const keyFileBlob = createKeyFileBox(paths.secretKey).seal('old');
    const chosen = chooseSecretBox({ keyFilePath: paths.secretKey, safeStorage: fakeSafeStorage() });
    expect(chosen.kind).toBe('safe-storage');
    expect(chosen.open(keyFileBlob)).toBe('old');
    expect(chosen.open(chosen.seal('new'))).toBe('new');
    const fallback = chooseSecretBox({
      keyFilePath: paths.secretKey,
      safeStorage: fakeSafeStorage({ backend: 'basic_text' }),
    });
    expect(fallback.kind).toBe('key-file');
    expect(() => fallback.open(chosen.seal('x'))).toThrow(expect.objectContaining({ code: 'E1004' }));
  });
});

describe('the configuration file on disk', () => {
  it.each([
    ['key file', (dir: string) => createKeyFileBox(dir)],
    ['safeStorage', () => createSafeStorageBox(fakeSafeStorage())],
  ])('holds every secret only as a sealed blob (%s) and loadConfig opens them', (_name, make) => {
    const { paths } = dataDir();
    const box = make(paths.secretKey);
    const config = validConfig();
    saveConfig(paths, config, box);
    const bytes = fs.readFileSync(paths.config);
    expect(containsSecret(bytes)).toBeNull();
    const onDisk = JSON.parse(bytes.toString('utf8')) as Record<string, Record<string, unknown>>;
    expect(isSealed(onDisk.link?.linkToken)).toBe(true);
    expect(isSealed(onDisk.province?.appWord)).toBe(true);
    expect(isSealed(onDisk.admin?.staffCardKey)).toBe(true);
    expect(loadConfig(paths, box)).toEqual({ provisioned: true, config, migrated: false });
  });

  it('a file written before sealing (secrets in clear) loads and is rewritten sealed at once', () => {
    const { paths } = dataDir();
    fs.writeFileSync(paths.config, JSON.stringify(baseConfig()));
    const box = createKeyFileBox(paths.secretKey);
    const loaded = loadConfig(paths, box);
    expect(loaded).toMatchObject({ provisioned: true, migrated: true });
    expect(containsSecret(fs.readFileSync(paths.config))).toBeNull();
    expect(loadConfig(paths, box)).toMatchObject({ provisioned: true, migrated: false });
  });

  it('a sealed blob moved onto another field is refused with E1004', () => {
    const { paths } = dataDir();
    const box = createKeyFileBox(paths.secretKey);
    const sealed = sealConfig(validConfig(), box) as Record<string, Record<string, unknown>>;
    const link = sealed.link as Record<string, unknown>;
    link.adminToken = link.linkToken;
    fs.writeFileSync(paths.config, JSON.stringify(sealed));
    expect(() => loadConfig(paths, box)).toThrow(expect.objectContaining({ code: 'E1004' }));
  });

  it('no file means unprovisioned; a broken file is E1002; an invalid one is E1001 with field errors', () => {
    const { paths } = dataDir();
    const box = createKeyFileBox(paths.secretKey);
    expect(loadConfig(paths, box)).toEqual({ provisioned: false });
    fs.writeFileSync(paths.config, '{');
    expect(() => loadConfig(paths, box)).toThrow(expect.objectContaining({ code: 'E1002' }));
    fs.writeFileSync(paths.config, JSON.stringify({ ...baseConfig(), windowNo: '' }));
    expect(() => loadConfig(paths, box)).toThrow(
      expect.objectContaining({
        code: 'E1001',
        details: { errors: [expect.objectContaining({ path: 'windowNo' })] },
      }),
    );
  });

  it('the atomic write leaves no temporary file behind', () => {
    const { dir, paths } = dataDir();
    saveConfig(paths, validConfig(), createKeyFileBox(paths.secretKey));
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(SECRETS.length).toBeGreaterThan(0);
  });
});
