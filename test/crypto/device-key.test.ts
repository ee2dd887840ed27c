import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyFileBox } from '../../src/config/secret-store.js';
import { deviceKeyFingerprint, loadOrCreateDeviceKey } from '../../src/crypto/device-key.js';
import { sm3Hex } from '../../src/crypto/sm3.js';
import { sm2Decrypt, sm2Encrypt } from '../../src/sync/province/sm2.js';

describe.skipIf(process.platform === 'win32')('the device key (domain-rules §6 r2)', () => {
  let dir: string;
  let file: string;
  const box = () => createKeyFileBox(path.join(dir, 'config.key'));
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-device-key-'));
    file = path.join(dir, 'device-key.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is made at the first start, owner-only, with the private key sealed and the same pair loaded later', () => {
    const first = loadOrCreateDeviceKey(file, box());
    expect(first.created).toBe(true);
    expect(first.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(first.publicKey);
    expect(text).not.toContain(first.privateKey());
    expect(JSON.parse(text).privateKey).toMatch(/^sealed:v1:key-file:/);

    const again = loadOrCreateDeviceKey(file, box());
    expect(again.created).toBe(false);
    expect(again.publicKey).toBe(first.publicKey);
    expect(again.privateKey()).toBe(first.privateKey());
    // The pair works together.
    expect(sm2Decrypt(sm2Encrypt('ok', again.publicKey), again.privateKey())).toBe('ok');
  });

  it('shows as fingerprint the first 16 hex of SM3 over the public key bytes, in groups of four', () => {
    const key = loadOrCreateDeviceKey(file, box());
    const expected = sm3Hex(Buffer.from(key.publicKey, 'hex')).slice(0, 16);
    expect(key.fingerprint).toMatch(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/);
    expect(key.fingerprint.replaceAll(' ', '')).toBe(expected);
    expect(deviceKeyFingerprint(key.publicKey)).toBe(key.fingerprint);
    expect(() => deviceKeyFingerprint('04abc')).toThrow(TypeError);
  });

  it('refuses a swapped public key with E1050 and leaves the file as it was', () => {
    loadOrCreateDeviceKey(file, box());
    const other = path.join(dir, 'other.json');
    const stranger = loadOrCreateDeviceKey(other, box());
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    stored.publicKey = stranger.publicKey;
    fs.writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
    const before = fs.readFileSync(file);
    expect(() => loadOrCreateDeviceKey(file, box())).toThrow(expect.objectContaining({ code: 'E1050' }));
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file readable by others, unreadable JSON, or a key sealed by another box with E1050, never making a new one', () => {
    loadOrCreateDeviceKey(file, box());
    fs.chmodSync(file, 0o644);
    expect(() => loadOrCreateDeviceKey(file, box())).toThrow(expect.objectContaining({ code: 'E1050' }));
    fs.chmodSync(file, 0o600);
    const otherBox = createKeyFileBox(path.join(dir, 'another.key'));
    expect(() => loadOrCreateDeviceKey(file, otherBox)).toThrow(expect.objectContaining({ code: 'E1050' }));
    fs.writeFileSync(file, '{ not json', { mode: 0o600 });
    expect(() => loadOrCreateDeviceKey(file, box())).toThrow(expect.objectContaining({ code: 'E1050' }));
    expect(fs.readFileSync(file, 'utf8')).toBe('{ not json');
  });

  it('refuses a config secret copied in as the device key (the seal names its purpose)', () => {
    loadOrCreateDeviceKey(file, box());
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    stored.privateKey = box().seal(JSON.stringify(['link.adminToken', 'a'.repeat(64)]));
    fs.writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
    expect(() => loadOrCreateDeviceKey(file, box())).toThrow(expect.objectContaining({ code: 'E1050' }));
  });
});
