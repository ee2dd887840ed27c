/**
 * The device's PII key file (domain-rules §5): 32 random bytes, owner-only (0600). A file of the wrong
 * size or readable by group/others is refused rather than "fixed", because either means someone else
 * touched it.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { KioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';

export const KEY_BYTES = 32;

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
