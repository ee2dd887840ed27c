/**
 * Pure split of SAM frames for vendor-bulk readers with two endpoint pairs (id-reader-sam.md "USB vendor
 * bulk", e.g. 0400:C35A): preamble + LEN (7 bytes) travel on one pair (OUT 0x02 / IN 0x81), the remaining
 * LEN bytes on the other (OUT 0x06 / IN 0x85).
 */
export const USB_HEAD_OUT = 0x02;
export const USB_HEAD_IN = 0x81;
export const USB_BODY_OUT = 0x06;
export const USB_BODY_IN = 0x85;
export const SAM_HEAD_BYTES = 7;
const PREAMBLE = [0xaa, 0xaa, 0xaa, 0x96, 0x69];
/** id-reader-sam.md "cap LEN (4 KiB)". */
export const USB_BODY_MAX = 4096;

/** WebUSB endpoint numbers carry no direction bit. */
export const endpointNumber = (address: number): number => address & 0x0f;

/** Cuts a buffer of whole SAM frames into (head, body) pairs; bytes that are not a frame go whole as a head. */
export function splitSamFrames(bytes: Uint8Array): Array<{ head: Uint8Array; body: Uint8Array }> {
  const parts: Array<{ head: Uint8Array; body: Uint8Array }> = [];
  let offset = 0;
  while (offset < bytes.length) {
    const len = bodyLength(bytes.subarray(offset, offset + SAM_HEAD_BYTES));
    if (len === undefined) {
      parts.push({ head: bytes.subarray(offset), body: new Uint8Array(0) });
      break;
    }
    const head = bytes.subarray(offset, offset + SAM_HEAD_BYTES);
    const body = bytes.subarray(offset + SAM_HEAD_BYTES, offset + SAM_HEAD_BYTES + len);
    parts.push({ head, body });
    offset += SAM_HEAD_BYTES + len;
  }
  return parts;
}

/** LEN from a 7-byte head (preamble + big-endian LEN), or undefined when it is not a head or LEN is out of range. */
export function bodyLength(head: Uint8Array): number | undefined {
  if (head.length < SAM_HEAD_BYTES) return undefined;
  for (let i = 0; i < PREAMBLE.length; i += 1) if (head[i] !== PREAMBLE[i]) return undefined;
  const len = ((head[5] ?? 0) << 8) | (head[6] ?? 0);
  return len >= 1 && len <= USB_BODY_MAX ? len : undefined;
}
