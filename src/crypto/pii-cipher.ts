/**
 * At-rest encryption of ID numbers and names (domain-rules §5: PII encrypted at rest, never in clear).
 * AES-256-GCM from node:crypto; the province-facing SM2 is separate (src/sync). The blob is text so it
 * fits a TEXT column: `v1.<iv b64>.<tag b64>.<ciphertext b64>`; the version prefix lets a later key or
 * algorithm change read old rows.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { KioskError } from '../shared/errors/kiosk-error.js';
import { STORE_ERRORS } from '../shared/errors/store.js';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PiiCipher {
  encrypt(plain: string): string;
  /** Throws KioskError `piiUnreadable` when the blob is malformed, was made with another key, or was altered. */
  decrypt(blob: string): string;
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new KioskError(STORE_ERRORS.piiKeyMissing, 'The PII key must be 32 bytes.');
}

export function createPiiCipher(key: Buffer): PiiCipher {
  checkKey(key);
  const k = Buffer.from(key); // private copy: a caller zeroing its buffer must not change ours
  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', k, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join('.');
    },
    decrypt(blob) {
      const parts = blob.split('.');
      if (parts.length !== 4 || parts[0] !== VERSION) {
        throw new KioskError(STORE_ERRORS.piiUnreadable, 'Unknown PII blob format.');
      }
      const iv = Buffer.from(parts[1] ?? '', 'base64');
      const tag = Buffer.from(parts[2] ?? '', 'base64');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new KioskError(STORE_ERRORS.piiUnreadable, 'Malformed PII blob.');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, iv);
        decipher.setAuthTag(tag);
        const body = Buffer.from(parts[3] ?? '', 'base64');
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new KioskError(STORE_ERRORS.piiUnreadable, 'PII blob failed authentication.', undefined, {
          cause,
        });
      }
    },
  };
}

/**
 * Keyed digest of an ID number (HMAC-SHA256, lower-case hex): lets the store count one card's ratings a
 * day (domain-rules §7 `id-burst`) without keeping the number in clear. Upper-cases the number first so
 * `…123x` and `…123X` are the same card.
 */
export function idDigest(key: Buffer, certKey: string): string {
  checkKey(key);
  return createHmac('sha256', key).update(certKey.trim().toUpperCase(), 'utf8').digest('hex');
}
