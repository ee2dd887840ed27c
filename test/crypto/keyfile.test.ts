import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadOrCreateKeyFile } from '../../src/crypto/keyfile.js';
import { STORE_ERRORS } from '../../src/shared/errors/store.js';

describe.skipIf(process.platform === 'win32')('loadOrCreateKeyFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hcp-key-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates 32 random bytes with mode 0600 and returns the same key on the next load', () => {
    const path = join(dir, 'pii.key');
    const key = loadOrCreateKeyFile(path);
    expect(key).toHaveLength(32);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateKeyFile(path).equals(key)).toBe(true);
  });

  it('refuses a key file of the wrong size with code E2303 and leaves it as it was', () => {
    const path = join(dir, 'pii.key');
    writeFileSync(path, Buffer.alloc(31), { mode: 0o600 });
    expect(() => loadOrCreateKeyFile(path)).toThrow(
      expect.objectContaining({ code: STORE_ERRORS.keyFileInvalid.code }),
    );
    expect(statSync(path).size).toBe(31);
  });

  it('refuses a key file readable by group or others with code E2303', () => {
    const path = join(dir, 'pii.key');
    writeFileSync(path, Buffer.alloc(32));
    chmodSync(path, 0o640);
    expect(() => loadOrCreateKeyFile(path)).toThrow(expect.objectContaining({ code: 'E2303' }));
    chmodSync(path, 0o604);
    expect(() => loadOrCreateKeyFile(path)).toThrow(expect.objectContaining({ code: 'E2303' }));
  });
});
