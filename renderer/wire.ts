/**
 * Pure pieces of the browser-host transport (no DOM, no Node) so they can be tested on their own.
 */

/** The page URL carries the per-start secret in the fragment (`#s=<secret>`), never in the path or query. */
export function parseSecret(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const secret = params.get('s');
  return secret !== null && /^[A-Za-z0-9_-]{16,128}$/.test(secret) ? secret : null;
}

/**
 * Reconnect delay: 250 ms doubling to 5 s, with ±20 % jitter so a restarted host is not hit in lockstep.
 * `random` is in [0, 1).
 */
export function backoffDelay(attempt: number, random: number): number {
  const base = Math.min(5000, 250 * 2 ** Math.max(0, Math.min(attempt, 10)));
  return Math.round(base * (0.8 + 0.4 * random));
}

/** The WebSocket URL for the page's own host: same origin, so the host's Origin check passes. */
export function apiSocketUrl(host: string): string {
  return `ws://${host}/api`;
}
