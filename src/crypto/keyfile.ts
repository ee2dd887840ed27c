/**
 * The device's PII key file (domain-rules §5): 32 random bytes, owner-only (0600). A file of the wrong
 * size or readable by group/others is refused rather than "fixed", because either means someone else
 * touched it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { KioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';

export const KEY_BYTES = 32;

export type PiiKeyLoad =
  | { kind: 'loaded'; key: Buffer }
  | { kind: 'created'; key: Buffer }
  /**
   * The file is missing while data sealed with it exists (issue 18 item 1): nothing is written, so restoring
   * the right file later brings every sealed identity back. `key` is a fresh key held in memory only, for
   * the identities of this run (they cannot be read after a restart; records then go without them).
   */
  | { kind: 'lost'; key: Buffer };

/**
 * The PII key, made on first use only when nothing sealed with an earlier key exists (`sealedDataExists`
 * is asked only when the file is missing). A silently made new key would leave every sealed identity
 * unreadable and look healthy.
 */
export function loadPiiKeyFile(path: string, sealedDataExists: () => boolean): PiiKeyLoad {
  if (keyFileExists(path)) return { kind: 'loaded', key: loadOrCreateKeyFile(path) };
  if (sealedDataExists()) return { kind: 'lost', key: randomBytes(KEY_BYTES) };
  return { kind: 'created', key: loadOrCreateKeyFile(path) };
}

function keyFileExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new KioskError(STORE_ERRORS.keyFileInvalid, 'The key file cannot be read.', undefined, {
      cause: error,
    });
  }
}

export function loadOrCreateKeyFile(path: string): Buffer {
  let exists = true;
  try {
    statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new KioskError(STORE_ERRORS.keyFileInvalid, 'The key file cannot be read.', undefined, {
        cause: error,
      });
    }
    exists = false;
  }
  if (!exists) return createKeyFile(path);
  const st = statSync(path);
  // POSIX modes only: Windows reports 0o666 for every file, so the mode check is skipped there.
  if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
    throw new KioskError(STORE_ERRORS.keyFileInvalid, 'The key file is readable by group or others.', {
      mode: (st.mode & 0o777).toString(8),
    });
  }
  const key = readFileSync(path);
  if (key.length !== KEY_BYTES) {
    throw new KioskError(STORE_ERRORS.keyFileInvalid, 'The key file has the wrong size.', {
      size: key.length,
    });
  }
  return key;
}

function createKeyFile(path: string): Buffer {
  const key = randomBytes(KEY_BYTES);
  // 'wx': never overwrite a key another process created meanwhile (that would orphan its encrypted rows).
  // The umask can only narrow 0o600, never widen it.
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return key;
}

/**
 * A 32-byte key for one `purpose`, derived from a sealed secret (HMAC-SHA256 keyed by the secret): the
 * rollback mark's key comes from the device's sealed private key (issue 18 item 2), so it is exactly as hard
 * to get as that key, and a purpose string keeps it from ever equalling a key used for something else.
 */
export function deriveKey(secret: string, purpose: string): Buffer {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(purpose, 'utf8').digest();
}
