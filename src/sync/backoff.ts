/**
 * Capped exponential backoff with full jitter (province-profile.md "Kiosk behaviour": base 1 s, cap
 * 5 min, and at least `Retry-After`). Full jitter spreads a fleet that failed together over the whole
 * window, so a province coming back after an outage is not hit by every device at once.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 300_000 };

/** The ceiling of the jitter window after `failures` consecutive failures (1, 2, …). */
export function backoffCeiling(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 40);
  return Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
}

/**
 * Delay before the next attempt. Without `Retry-After`: uniform in [0, ceiling). With it: never
 * sooner than `Retry-After`, plus up to 10 % of it (bounded by the ceiling) so that devices told the
 * same `Retry-After` do not return in lockstep.
 */
export function backoffDelay(
  failures: number,
  random: () => number,
  retryAfterMs: number | null = null,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const ceiling = backoffCeiling(failures, policy);
  const jitter = Math.floor(random() * ceiling);
  if (retryAfterMs === null) return jitter;
  const spread = Math.floor(random() * Math.min(ceiling, retryAfterMs * 0.1));
  return Math.max(jitter, retryAfterMs + spread);
}
