/**
 * Masked forms for anything shown, logged or sent to diagnostics (domain-rules §5: `4601**********123X`, `张*`).
 */

/** First 4 and last 4 characters shown, every other one `*` (`460100199001011234` → `4601**********1234`). */
export function maskIdNumber(id: string): string {
  const chars = [...id];
  if (chars.length <= 8) return '*'.repeat(chars.length);
  return chars.slice(0, 4).join('') + '*'.repeat(chars.length - 8) + chars.slice(-4).join('');
}

/**
 * First character, then `*` per remaining character (`张三` → `张*`). Latin names: first letter, then `*` per
 * remaining letter, keeping spaces so the shape stays (`TEST SAMPLE` → `T*** ******`).
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return (
    chars[0]! +
    chars
      .slice(1)
      .map((c) => (c === ' ' ? ' ' : '*'))
      .join('')
  );
}
