/**
 * JSON data helpers for configuration documents (provisioning files, admin edits): copies, RFC 7386 merge
 * patches, dotted paths and changed-leaf lists that work on own properties only, so a `__proto__` key in a
 * document stays a plain key and can never reach a prototype.
 */
import { canonicalJson } from './canonical-json.js';

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

export function setOwn(o: Json, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy of JSON data that cannot touch prototypes (`__proto__` keys stay plain keys). */
export function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const key of Object.keys(value)) setOwn(out, key, cloneJson(value[key]));
  return out;
}

/** JSON merge patch (RFC 7386). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return cloneJson(patch);
  const out = (isObject(target) ? cloneJson(target) : {}) as Json;
  for (const key of Object.keys(patch)) {
    const value = patch[key];
    if (value === null) delete out[key];
    else setOwn(out, key, mergePatch(hasOwn(out, key) ? out[key] : undefined, value));
  }
  return out;
}

/** The value at a dotted path, own properties only; undefined when any step is missing. */
export function getPath(root: unknown, dotted: string): unknown {
  let at: unknown = root;
  for (const key of dotted.split('.')) {
    if (!isObject(at) || !hasOwn(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

/** Sets the value at a dotted path, creating plain objects on the way (never through prototypes). */
export function setPath(root: Json, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let at = root;
  for (const key of keys.slice(0, -1)) {
    if (!isObject(at[key]) || !hasOwn(at, key)) setOwn(at, key, {});
    at = at[key] as Json;
  }
  setOwn(at, keys[keys.length - 1] as string, value);
}

/** Leaf paths whose values differ; arrays compare whole. */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) =>
      changedPaths(
        hasOwn(before, key) ? before[key] : undefined,
        hasOwn(after, key) ? after[key] : undefined,
        prefix ? `${prefix}.${key}` : key,
      ),
    );
  }
  const same =
    before === undefined || after === undefined
      ? before === after
      : canonicalJson(before) === canonicalJson(after);
  return same ? [] : [prefix];
}
