/**
 * Staff card sign-in: a clerk taps their own ID card on the kiosk's reader while the window is idle and
 * the kiosk signs them in from the roster (config `staff`). The roster holds HMAC-SHA256 digests of ID
 * numbers keyed per hall (`admin.staffCardKey`), never the numbers, so a leaked roster cannot be read
 * back without the key. Pure functions: no I/O, no clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { StaffMember } from './schema.js';

/** The hall key as bytes: a Buffer, or the config's base64 text. Null when it is not 32 bytes. */
function keyBytes(hallKey: Buffer | string): Buffer | null {
  const key = typeof hallKey === 'string' ? Buffer.from(hallKey, 'base64') : hallKey;
  return key.length === 32 ? key : null;
}

/**
 * The roster digest of an ID-card number: HMAC-SHA256(hallKey, trimmed, upper-cased number) as 64
 * lower-case hex characters (so `…123x` and `…123X` are one card). The provisioning tool computes the same.
 * Throws when the key is not 32 bytes.
 */
export function staffCardDigest(hallKey: Buffer | string, certKey: string): string {
  const key = keyBytes(hallKey);
  if (!key) throw new RangeError('the staff card key must be 32 bytes');
  return createHmac('sha256', key).update(certKey.trim().toUpperCase(), 'utf8').digest('hex');
}

/**
 * The clerk whose card digest matches `certKey`, or null (no such card, no key, empty number). Every roster
 * entry is compared in constant time and the loop never stops early, so timing says nothing about which
 * entry (if any) matched.
 */
export function findStaffByCard(
  roster: readonly StaffMember[],
  hallKey: Buffer | string | null | undefined,
  certKey: string,
): StaffMember | null {
  if (hallKey === null || hallKey === undefined) return null;
  const key = keyBytes(hallKey);
  if (!key || certKey.trim() === '') return null;
  const wanted = Buffer.from(staffCardDigest(key, certKey), 'hex');
  let found: StaffMember | null = null;
  for (const member of roster) {
    if (member.cardDigest === undefined || !/^[0-9a-f]{64}$/.test(member.cardDigest)) continue;
    const same = timingSafeEqual(Buffer.from(member.cardDigest, 'hex'), wanted);
    if (same && found === null) found = member;
  }
  return found;
}
