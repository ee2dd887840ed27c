/**
 * Where the configuration's secrets (`SECRET_PATHS`: province appWord, link and admin tokens, admin PIN
 * hash, staff-card key) are sealed before they touch the disk. Two boxes:
 * - `createSafeStorageBox`: Electron's `safeStorage` (DPAPI on Windows, Keychain on macOS, libsecret/kwallet
 *   on Linux). The module is passed in, so this file never imports Electron and tests use a fake. On Linux
 *   without a keyring Electron falls back to `basic_text`, a hard-coded password; that is refused.
 * - `createKeyFileBox`: AES-256-GCM (src/crypto/pii-cipher.ts) under a 32-byte, owner-only (0600) key file in
 *   the data directory (the browser host, and Electron when safeStorage is unusable).
 * A sealed value is text, `sealed:v1:<kind>:<payload>`, so config.json stays JSON and says which box can
 * open it. Nothing here logs; errors carry no plaintext.
 */
import { loadOrCreateKeyFile } from '../crypto/keyfile.js';
import { createPiiCipher, type PiiCipher } from '../crypto/pii-cipher.js';
import { CONFIG_ERRORS, KioskError } from '../shared/errors/index.js';

export type SecretBoxKind = 'safe-storage' | 'key-file';

export interface SecretBox {
  /** The box that seals; `open` also accepts the kinds listed in `opens`. */
  readonly kind: SecretBoxKind;
  /** Returns `sealed:v1:<kind>:<payload>` (ASCII). */
  seal(plain: string): string;
  /** Throws KioskError E1004 when the value is not sealed, was sealed by another box, or fails authentication. */
  open(sealed: string): string;
}

/** The slice of Electron's `safeStorage` used here (structurally compatible with `Electron.SafeStorage`). */
export interface SafeStorageModule {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron. */
  getSelectedStorageBackend?(): string;
}

const PREFIX = 'sealed:v1:';

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(PREFIX);
}

/** The kind named in a sealed value, or null for anything else. */
export function sealedKind(value: string): SecretBoxKind | null {
  if (!isSealed(value)) return null;
  const kind = value.slice(PREFIX.length).split(':', 1)[0];
  return kind === 'safe-storage' || kind === 'key-file' ? kind : null;
}

function unavailable(message: string, cause?: unknown): KioskError {
  return new KioskError(CONFIG_ERRORS.secretsUnavailable, message, undefined, cause ? { cause } : undefined);
}

function payloadOf(sealed: string, kind: SecretBoxKind): string {
  const found = sealedKind(sealed);
  if (found === null) throw unavailable('A secret in the configuration is not sealed.');
  if (found !== kind) {
    throw unavailable(`A secret was sealed by the ${found} box, but this device opens ${kind} secrets only.`);
  }
  return sealed.slice(PREFIX.length + kind.length + 1);
}

/** Electron `safeStorage`. Throws E1004 when encryption is unavailable or only `basic_text` is on offer. */
export function createSafeStorageBox(
  safeStorage: SafeStorageModule,
  options: { allowBasicText?: boolean } = {},
): SecretBox {
  if (!safeStorageUsable(safeStorage, options)) {
    throw unavailable('Electron safeStorage cannot encrypt on this system (no OS keyring).');
  }
  const kind = 'safe-storage' as const;
  return {
    kind,
    seal(plain) {
      return `${PREFIX}${kind}:${safeStorage.encryptString(plain).toString('base64')}`;
    },
    open(sealed) {
      const payload = payloadOf(sealed, kind);
      try {
        return safeStorage.decryptString(Buffer.from(payload, 'base64'));
      } catch (error) {
        throw unavailable('safeStorage could not decrypt a secret (another user or keyring?).', error);
      }
    },
  };
}

export function safeStorageUsable(
  safeStorage: SafeStorageModule,
  options: { allowBasicText?: boolean } = {},
): boolean {
  try {
    if (!safeStorage.isEncryptionAvailable()) return false;
    const backend = safeStorage.getSelectedStorageBackend?.();
    return options.allowBasicText === true || backend !== 'basic_text';
  } catch {
    return false;
  }
}

/** AES-256-GCM under a 0600 key file (created on first use; refused if group/other-readable or wrong size). */
export function createKeyFileBox(keyFilePath: string): SecretBox {
  let cipher: PiiCipher | null = null;
  const getCipher = (): PiiCipher => {
    if (cipher) return cipher;
    try {
      cipher = createPiiCipher(loadOrCreateKeyFile(keyFilePath));
    } catch (error) {
      throw unavailable('The configuration key file is missing, unreadable or not owner-only.', error);
    }
    return cipher;
  };
  const kind = 'key-file' as const;
  return {
    kind,
    seal(plain) {
      return `${PREFIX}${kind}:${getCipher().encrypt(plain)}`;
    },
    open(sealed) {
      const payload = payloadOf(sealed, kind);
      const c = getCipher();
      try {
        return c.decrypt(payload);
      } catch (error) {
        throw unavailable('A sealed secret failed authentication (altered, or another key file).', error);
      }
    },
  };
}

/**
 * The box a host should use: safeStorage when Electron offers a real keyring, else the key file. Secrets
 * already sealed by the other kind still open (a device whose keyring went away keeps working on the key
 * file only if it sealed with the key file; a safeStorage secret without safeStorage is E1004).
 */
export function chooseSecretBox(options: {
  keyFilePath: string;
  safeStorage?: SafeStorageModule | null;
  allowBasicText?: boolean;
}): SecretBox {
  const keyFile = createKeyFileBox(options.keyFilePath);
  const safe =
    options.safeStorage && safeStorageUsable(options.safeStorage, options)
      ? createSafeStorageBox(options.safeStorage, options)
      : null;
  const primary = safe ?? keyFile;
  return {
    kind: primary.kind,
    seal: (plain) => primary.seal(plain),
    open(sealed) {
      const kind = sealedKind(sealed);
      if (kind === 'key-file') return keyFile.open(sealed);
      if (kind === 'safe-storage' && safe) return safe.open(sealed);
      return primary.open(sealed); // throws the precise E1004
    },
  };
}
