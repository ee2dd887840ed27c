/**
 * Failed-token throttle (window-link.md "Service"): a missing or wrong token is counted per remote address;
 * more than `limit` failures within `windowMs` block that address for `blockMs`, whatever token it sends.
 *
 * Pure: no timers and no I/O; the caller passes the clock. Memory is bounded without ever forgetting a
 * failure that still counts (issue 18 item 4: evicting the oldest entry, blocked or not, let 4 200 one-off
 * addresses buy a blocked address fresh guesses):
 * - at most `maxAddresses` addresses are tracked, each with at most `limit + 1` timestamps;
 * - only stale entries (no failure within the window, no block) are ever dropped to make room;
 * - while the table is full of live entries, every other address is counted in one shared overflow entry,
 *   which blocks all untracked addresses together. An address that is tracked later starts from the
 *   overflow's failures (it may have been one of them), so no address ever gets more than `limit`
 *   unrefused guesses within a window, however many addresses an attacker uses to fill the table.
 */

export interface ThrottleOptions {
  /** Failures allowed within the window; one more blocks (spec: 20). */
  limit?: number;
  /** Sliding window for counting failures (spec: a minute). */
  windowMs?: number;
  /** How long a block lasts (spec: a minute). */
  blockMs?: number;
  /** Most addresses tracked one by one; the rest share the overflow entry. */
  maxAddresses?: number;
}

export type ThrottleVerdict = { blocked: false } | { blocked: true; retryAfterSec: number };

export interface FailureThrottle {
  /** Whether `address` is blocked at `now`. An expired block is forgotten here. */
  check(address: string, now: number): ThrottleVerdict;
  /** Counts one failure; answers whether the address is now blocked (the failure that crosses the limit is). */
  recordFailure(address: string, now: number): ThrottleVerdict;
  /** Addresses tracked one by one (for tests and diagnostics); the overflow entry is not counted. */
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
  const entries = new Map<string, Entry>();
  /** Shared by every address that found the table full of live entries. */
  const overflow: Entry = { failures: [], blockedUntil: 0 };

  const blockedVerdict = (entry: Entry, now: number): ThrottleVerdict => ({
    blocked: true,
    retryAfterSec: Math.max(1, Math.ceil((entry.blockedUntil - now) / 1000)),
  });

  const isStale = (entry: Entry, now: number): boolean =>
    entry.blockedUntil <= now && (entry.failures.at(-1) ?? -Infinity) <= now - windowMs;

  /** Drops stale entries when the table is full; answers whether there is room for one more. */
  const makeRoom = (now: number): boolean => {
    if (entries.size < maxAddresses) return true;
    for (const [address, entry] of entries) {
      if (isStale(entry, now)) entries.delete(address);
    }
    return entries.size < maxAddresses;
  };

  /** A new entry inherits what the overflow still counts: the address may have been counted there. */
  const freshEntry = (now: number): Entry => {
    const since = now - windowMs;
    return {
      failures: overflow.failures.filter((t) => t > since),
      blockedUntil: overflow.blockedUntil > now ? overflow.blockedUntil : 0,
    };
  };

  const count = (entry: Entry, now: number): ThrottleVerdict => {
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
  };

  return {
    check(address, now) {
      const entry = entries.get(address);
      if (!entry) return overflow.blockedUntil > now ? blockedVerdict(overflow, now) : { blocked: false };
      if (entry.blockedUntil > now) return blockedVerdict(entry, now);
      // A block that has run out is forgotten with its failures: the address starts afresh.
      if (entry.blockedUntil !== 0) entries.delete(address);
      return { blocked: false };
    },

    recordFailure(address, now) {
      let entry = entries.get(address);
      if (!entry) {
        if (!makeRoom(now)) return count(overflow, now);
        entry = freshEntry(now);
        entries.set(address, entry);
      }
      return count(entry, now);
    },

    size() {
      return entries.size;
    },
  };
}
