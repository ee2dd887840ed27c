/**
 * Setup mode's admin token (window-link.md "Setup, demo and tests" r2): 32 random bytes made the first
 * time the unprovisioned device starts, kept owner-only (0600) in the data directory so a technician who
 * missed the console can read it there, and handed back as `created` so the caller prints it exactly once.
 * The provisioned configuration brings its own tokens; this file is removed once the device is provisioned.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { CONFIG_ERRORS, KioskError } from '../shared/errors/index.js';

export interface SetupToken {
  token: string;
  /** True when this start made it (print it once); false when it was read back. */
  created: boolean;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

function failed(message: string, cause?: unknown): KioskError {
  return new KioskError(CONFIG_ERRORS.setupTokenFile, message, undefined, cause ? { cause } : undefined);
}

export function loadOrCreateSetupToken(file: string): SetupToken {
  try {
    const st = fs.statSync(file);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0)
      throw failed('The setup admin token file is readable by group or others.');
    const token = fs.readFileSync(file, 'utf8').trim();
    if (TOKEN.test(token)) return { token, created: false };
    // A damaged file (cut by a power failure while written) is replaced: it guards nothing stored yet.
  } catch (error) {
    if (error instanceof KioskError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw failed('The setup admin token file cannot be read.', error);
  }
  const token = randomBytes(32).toString('base64url');
  try {
    fs.rmSync(file, { force: true });
    const fd = fs.openSync(file, 'wx', 0o600);
    try {
      fs.writeSync(fd, `${token}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    throw failed('The setup admin token file could not be written.', error);
  }
  return { token, created: true };
}

/** Once provisioned, the configuration's admin token rules: the setup one must not keep working anywhere. */
export function removeSetupToken(file: string): void {
  fs.rmSync(file, { force: true });
}
