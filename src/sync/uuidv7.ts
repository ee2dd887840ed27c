/**
 * UUIDv7 (RFC 9562 §5.7): the `ratingId` idempotency key made on the device (province-profile.md
 * "Record"). 48-bit Unix ms timestamp, version 7, 74 random bits. Time-ordered, so ids sort by creation.
 */
export type RandomBytes = (n: number) => Uint8Array;

export function uuidv7(nowMs: number, randomBytes: RandomBytes): string {
  const now = Math.floor(nowMs);
  if (!Number.isSafeInteger(now) || now < 0 || now >= 2 ** 48)
    throw new RangeError('uuidv7: timestamp out of range');
  const bytes = new Uint8Array(16);
  const rnd = randomBytes(10);
  if (rnd.length < 10) throw new RangeError('uuidv7: randomBytes returned too few bytes');
  let ts = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ts % 256;
    ts = Math.floor(ts / 256);
  }
  bytes.set(rnd.subarray(0, 10), 6);
  bytes[6] = 0x70 | (bytes[6]! & 0x0f); // version 7
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // variant 10
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const UUIDV7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
