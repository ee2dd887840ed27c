/**
 * What the test province keeps of a citizen's identity (issue 18 item 7): it checks the full values on
 * arrival (record-checks.ts) and then stores only masked forms, as the kiosk shows them (domain-rules §5:
 * `4601**********123X`, `张*`, `138****1234`), so its database in a demo data dir holds no ID number, name or
 * phone in clear. `userPageType` and `handleUserPageType` are codes, not identity, and stay as they are.
 */

/** First 4 and last 4 characters kept, every other one a `*` (length kept). */
export function maskNumber(value: string): string {
  const chars = Array.from(value);
  if (chars.length <= 8) return '*'.repeat(chars.length);
  return chars.slice(0, 4).join('') + '*'.repeat(chars.length - 8) + chars.slice(-4).join('');
}

/** The first character kept, every other one a `*` (at least one). */
export function maskName(value: string): string {
  const chars = Array.from(value);
  return (chars[0] ?? '') + '*'.repeat(Math.max(1, chars.length - 1));
}

/** `138****1234`. */
export function maskMobile(value: string): string {
  return value.slice(0, 3) + '*'.repeat(Math.max(0, value.length - 7)) + value.slice(-4);
}

const MASKS: Readonly<Record<string, (v: string) => string>> = {
  certKey: maskNumber,
  handleUserPageCode: maskNumber,
  userName: maskName,
  handleUserName: maskName,
  mobile: maskMobile,
};

/** A copy of the record with every identity value masked (none of them is part of the hash). */
export function maskIdentity<T extends Record<string, unknown>>(record: T): T {
  const out: Record<string, unknown> = { ...record };
  for (const [field, mask] of Object.entries(MASKS)) {
    const v = out[field];
    if (typeof v === 'string') out[field] = mask(v);
  }
  return out as T;
}
