/**
 * Failed-token throttle (window-link.md "Service"): a missing or wrong token is counted per remote address;
 * more than `limit` failures within `windowMs` block that address for `blockMs`, whatever token it sends.
 *
 * Pure: no timers and no I/O; the caller passes the clock. Memory is bounded: each address keeps at most
 * `limit + 1` timestamps, and at most `maxAddresses` addresses are remembered (the least recently touched is
 * forgotten first, after any whose failures have all expired).
 */

export interface ThrottleOptions {
  /** Failures allowed within the window; one more blocks (spec: 20). */
  limit?: number;
  /** Sliding window for counting failures (spec: a minute). */
  windowMs?: number;
  /** How long a block lasts (spec: a minute). */
  blockMs?: number;
  /** Most addresses remembered at once. */
  maxAddresses?: number;
}

export type ThrottleVerdict = { blocked: false } | { blocked: true; retryAfterSec: number };

export interface FailureThrottle {
  /** Whether `address` is blocked at `now`. An expired block is forgotten here. */
  check(address: string, now: number): ThrottleVerdict;
  /** Counts one failure; answers whether the address is now blocked (the failure that crosses the limit is). */
  recordFailure(address: string, now: number): ThrottleVerdict;
  /** Addresses currently remembered (for tests and diagnostics). */
  size(): number;
}

interface Entry {
  /** Failure times within the window, oldest first. */
  failures: number[];
  /** Epoch ms until which the address is blocked; 0 when not blocked. */
  blockedUntil: number;
}

export const THROTTLE_DEFAULTS = {
  limit: 20,
  windowMs: 60_000,
  blockMs: 60_000,
  maxAddresses: 4096,
} as const;

export function createFailureThrottle(options: ThrottleOptions = {}): FailureThrottle {
  const limit = options.limit ?? THROTTLE_DEFAULTS.limit;
  const windowMs = options.windowMs ?? THROTTLE_DEFAULTS.windowMs;
  const blockMs = options.blockMs ?? THROTTLE_DEFAULTS.blockMs;
  const maxAddresses = Math.max(1, options.maxAddresses ?? THROTTLE_DEFAULTS.maxAddresses);
  /** Insertion order = least recently touched first (entries are re-inserted on every update). */
  const entries = new Map<string, Entry>();

  const blockedVerdict = (entry: Entry, now: number): ThrottleVerdict => ({
    blocked: true,
    retryAfterSec: Math.max(1, Math.ceil((entry.blockedUntil - now) / 1000)),
  });

  const isStale = (entry: Entry, now: number): boolean =>
    entry.blockedUntil <= now && (entry.failures.at(-1) ?? -Infinity) <= now - windowMs;

  /** Makes room for one more address: first drop stale entries, then the least recently touched. */
  const makeRoom = (now: number): void => {
    if (entries.size < maxAddresses) return;
    for (const [address, entry] of entries) {
      if (isStale(entry, now)) entries.delete(address);
    }
    while (entries.size >= maxAddresses) {
      const oldest = entries.keys().next();
      if (oldest.done === true) break;
      entries.delete(oldest.value);
    }
  };

  return {
    check(address, now) {
      const entry = entries.get(address);
      if (!entry) return { blocked: false };
      if (entry.blockedUntil > now) return blockedVerdict(entry, now);
      // A block that has run out is forgotten with its failures: the address starts afresh.
      if (entry.blockedUntil !== 0) entries.delete(address);
      return { blocked: false };
    },

    recordFailure(address, now) {
      let entry = entries.get(address);
      if (entry) {
        entries.delete(address);
      } else {
        makeRoom(now);
        entry = { failures: [], blockedUntil: 0 };
      }
      entries.set(address, entry);
      if (entry.blockedUntil > now) return blockedVerdict(entry, now);
      entry.blockedUntil = 0;
      const since = now - windowMs;
      while (entry.failures.length > 0 && (entry.failures[0] ?? 0) <= since) entry.failures.shift();
      entry.failures.push(now);
      if (entry.failures.length > limit) {
        entry.failures = [];
        entry.blockedUntil = now + blockMs;
        return blockedVerdict(entry, now);
      }
      return { blocked: false };
    },

    size() {
      return entries.size;
    },
  };
}
