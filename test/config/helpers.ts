/**
 * Shared fixtures for the configuration tests: a complete valid configuration, an Ed25519 provisioning
 * key pair, signed files, a temporary data directory, a recording audit sink and a fake Electron
 * safeStorage.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuditEntry } from '../../src/store/types.js';
import { configPaths, type ConfigPaths } from '../../src/config/config-store.js';
import { signProvisioningConfig } from '../../src/config/provisioning.js';
import type { SafeStorageModule } from '../../src/config/secret-store.js';

export const LINK_TOKEN = 'linkTOKEN_' + 'k'.repeat(40);
export const ADMIN_TOKEN = 'adminTOKEN_' + 'q'.repeat(40);
export const APP_WORD = 'appWord-Secret-7f3a9c';
export const STAFF_CARD_KEY = Buffer.alloc(32, 7).toString('base64');
export const SECRETS = [LINK_TOKEN, ADMIN_TOKEN, APP_WORD, STAFF_CARD_KEY];

export interface ProvisioningKey {
  privateKey: KeyObject;
  /** Raw 32-byte public key, base64. */
  raw: string;
  /** SPKI PEM. */
  pem: string;
}

export function newProvisioningKey(): ProvisioningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    privateKey,
    raw: Buffer.from(jwk.x ?? '', 'base64url').toString('base64'),
    pem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/** A complete, valid configuration input (no key, no revision). */
export function baseConfig(): Record<string, unknown> {
  return {
    hall: { name: '海口市政务服务中心', code: 'HK01', areaCode: '460100000000' },
    department: { code: '11460100MB0000000X', name: '市场监督管理局' },
    windowNo: 'A08',
    window: { defaultStaff: { staffId: 'S000', name: '窗口负责人' } },
    deviceId: 'hk01-a08',
    province: {
      baseUrl: 'https://hcp.example.invalid',
      appMark: 'hk01-a08',
      appWord: APP_WORD,
      publicKey: '04' + 'ab'.repeat(64),
      dataSource: '001',
    },
    link: { listen: '127.0.0.1:7420', linkToken: LINK_TOKEN, adminToken: ADMIN_TOKEN },
    staff: [{ staffId: 'S001', name: '王芳', title: '综合窗口受理员' }],
    admin: { staffCardKey: STAFF_CARD_KEY },
  };
}

/** `baseConfig` carrying `key` and `revision`, plus `extra` merged one level deep. */
export function configWith(
  key: ProvisioningKey | null,
  revision: number,
  extra: Record<string, unknown> = {},
) {
  const config = { ...baseConfig(), revision, ...extra } as Record<string, unknown>;
  if (key) config.admin = { ...(config.admin as object), provisioningPublicKey: key.raw };
  return config;
}

export function signed(config: unknown, key: ProvisioningKey): { config: unknown; signature: string } {
  return { config, signature: signProvisioningConfig(config, key.privateKey) };
}

export function tempDataDir(): { dir: string; paths: ConfigPaths; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-config-'));
  return { dir, paths: configPaths(dir), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export class RecordingAudit {
  readonly entries: AuditEntry[] = [];
  audit(entry: AuditEntry): void {
    this.entries.push(structuredClone(entry));
  }
  actions(): string[] {
    return this.entries.map((e) => e.action);
  }
}

/** A stand-in for Electron's safeStorage: XOR with a per-instance byte, tagged, so tests can tell it apart. */
export function fakeSafeStorage(
  options: { available?: boolean; backend?: string } = {},
): SafeStorageModule & {
  calls: number;
} {
  const mask = 0x5a;
  const fake = {
    calls: 0,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plain: string): Buffer {
      fake.calls += 1;
      const bytes = Buffer.from(plain, 'utf8').map((b) => b ^ mask);
      return Buffer.concat([Buffer.from('FAKE'), bytes]);
    },
    decryptString(encrypted: Buffer): string {
      if (encrypted.subarray(0, 4).toString() !== 'FAKE') throw new Error('not ours');
      return Buffer.from(encrypted.subarray(4).map((b) => b ^ mask)).toString('utf8');
    },
  };
  return fake;
}

/** True when any secret appears in `bytes` in clear (UTF-8, or base64 of the secret). */
export function containsSecret(bytes: Buffer | string, secrets: readonly string[] = SECRETS): string | null {
  const text = Buffer.isBuffer(bytes) ? bytes.toString('latin1') + bytes.toString('utf8') : bytes;
  for (const secret of secrets) {
    if (text.includes(secret)) return secret;
    if (text.includes(Buffer.from(secret).toString('base64').replace(/=+$/, ''))) return secret;
  }
  return null;
}
