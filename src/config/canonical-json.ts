/**
 * Canonical JSON of a provisioning file's `config`, the bytes its Ed25519 signature covers. The rules are
 * those of the JSON Canonicalization Scheme (RFC 8785), which a provisioning tool in any language can
 * reproduce:
 * - object keys sorted by UTF-16 code units (JavaScript's default `sort()`), each key once;
 * - no whitespace anywhere;
 * - strings and numbers written as ECMAScript `JSON.stringify` writes them (so `1.0` is `1`, `1e2` is `100`);
 * - `true`, `false`, `null` as such; arrays keep their order.
 * The result is encoded as UTF-8 before signing. Values JSON cannot carry (undefined, functions, NaN,
 * Infinity, bigint, symbols) make `canonicalJson` throw; input parsed from JSON never holds them.
 */

export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, 0);
  return out.join('');
}

const MAX_DEPTH = 200;

function write(value: unknown, out: string[], depth: number): void {
  if (depth > MAX_DEPTH) throw new TypeError('canonical JSON: nested too deeply');
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON: numbers must be finite');
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`canonical JSON: cannot encode a ${typeof value}`);
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item: unknown, i) => {
      if (i > 0) out.push(',');
      write(item, out, depth + 1);
    });
    out.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  out.push('{');
  keys.forEach((key, i) => {
    if (i > 0) out.push(',');
    out.push(JSON.stringify(key), ':');
    write(record[key], out, depth + 1);
  });
  out.push('}');
}
