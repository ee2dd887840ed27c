/**
 * The device's own SM2 key pair (domain-rules §6 ⟨r2⟩ "Signed by the device"): made on the device at its
 * first start, the private key sealed like the configuration's secrets and never exported, the public key
 * kept beside it in clear so it can be shown (setup screen, diagnostics) and registered by the hall
 * (hall-plane.md "Registry": the fingerprint shown on the device's setup screen). A later issue signs
 * every record with it, so a key is never replaced silently: a damaged or mismatched file is refused
 * (E1050), never regenerated, because records signed by the old key would then no longer verify.
 *
 * File `device-key.json`, owner-only: `{ "version": 1, "publicKey": "04…", "privateKey": "sealed:v1:…" }`.
 * The sealed value binds its purpose (`["device.privateKey", hex]`, as config-store.ts binds each secret to
 * its path), so a sealed config secret copied in does not open as the device key.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_ERRORS, KioskError } from '../shared/errors/index.js';
import { generateSm2KeyPair, sm2Decrypt, sm2Encrypt } from '../sync/province/sm2.js';
import { sm3Hex } from './sm3.js';

/** What seals the private key: the configuration's secret box (src/config/secret-store.ts). */
export interface DeviceKeySealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

export interface DeviceKey {
  /** Uncompressed SM2 point, 130 lower-case hex characters starting `04`. */
  readonly publicKey: string;
  /** SM3 of the public key's 65 bytes, first 16 hex, in groups of 4 (`ab12 cd34 ef56 7890`). */
  readonly fingerprint: string;
  /** True when this call made the key (first start). */
  readonly created: boolean;
  /** The private key in hex, opened from its seal on demand (signing); never logged or shown. */
  privateKey(): string;
}

const FILE_VERSION = 1;
const PURPOSE = 'device.privateKey';
const PUBLIC_KEY = /^04[0-9a-f]{128}$/;

/** SM3 over the raw public key bytes, first 64 bits, grouped so a person can read it aloud and compare. */
export function deviceKeyFingerprint(publicKey: string): string {
  if (!PUBLIC_KEY.test(publicKey)) throw new TypeError('an SM2 public key is 130 hex characters starting 04');
  const digest = sm3Hex(Buffer.from(publicKey, 'hex')).slice(0, 16);
  return digest.match(/.{4}/g)!.join(' ');
}

function invalid(message: string, cause?: unknown): KioskError {
  return new KioskError(CONFIG_ERRORS.deviceKeyInvalid, message, undefined, cause ? { cause } : undefined);
}

/** Opens and checks a stored key file; every problem is E1050 and the file is left as it was. */
function readDeviceKey(file: string, sealer: DeviceKeySealer): DeviceKey {
  let stored: { version?: unknown; publicKey?: unknown; privateKey?: unknown };
  try {
    const st = fs.statSync(file);
    // POSIX modes only (Windows reports 0o666 for every file).
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0)
      throw invalid('The device key file is readable by group or others.');
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof stored;
  } catch (error) {
    if (error instanceof KioskError) throw error;
    throw invalid('The device key file cannot be read or is not JSON.', error);
  }
  const { publicKey, privateKey: sealed } = stored;
  if (
    stored.version !== FILE_VERSION ||
    typeof publicKey !== 'string' ||
    !PUBLIC_KEY.test(publicKey) ||
    typeof sealed !== 'string'
  )
    throw invalid('The device key file does not hold a version-1 key pair.');
  let privateKey: string;
  try {
    const pair = JSON.parse(sealer.open(sealed)) as unknown;
    if (!Array.isArray(pair) || pair[0] !== PURPOSE || typeof pair[1] !== 'string')
      throw new Error('purpose');
    privateKey = pair[1];
  } catch (error) {
    throw invalid('The device private key does not open (altered, or sealed by another box).', error);
  }
  // The public key is in clear beside it and could be swapped: prove the pair belongs together.
  const probe = randomBytes(16).toString('hex');
  let matches: boolean;
  try {
    matches = sm2Decrypt(sm2Encrypt(probe, publicKey), privateKey) === probe;
  } catch {
    matches = false;
  }
  if (!matches) throw invalid('The device public key does not match its sealed private key.');
  return {
    publicKey,
    fingerprint: deviceKeyFingerprint(publicKey),
    created: false,
    privateKey: () => privateKey,
  };
}

/**
 * Writes a new key file without ever replacing one: a temporary file is linked to the final name, which
 * fails if another process made the key meanwhile (then that key is the device's). Answers false then.
 */
function createDeviceKeyFile(file: string, sealer: DeviceKeySealer): boolean {
  const keys = generateSm2KeyPair();
  const body = JSON.stringify(
    {
      version: FILE_VERSION,
      publicKey: keys.publicKey,
      privateKey: sealer.seal(JSON.stringify([PURPOSE, keys.privateKey])),
    },
    null,
    2,
  );
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(temp, 'w', 0o600);
    try {
      fs.writeSync(fd, `${body}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw invalid('The device key file could not be written.', error);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** The device key at `file`, made (and sealed by `sealer`) when there is none yet. */
export function loadOrCreateDeviceKey(file: string, sealer: DeviceKeySealer): DeviceKey {
  if (!fs.existsSync(file) && createDeviceKeyFile(file, sealer)) {
    return { ...readDeviceKey(file, sealer), created: true };
  }
  return readDeviceKey(file, sealer);
}
