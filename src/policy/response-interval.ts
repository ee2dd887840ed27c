/**
 * Response interval (domain-rules §7): after an accepted rating, presses are ignored for N seconds. This
 * is policy, in seconds; electrical debounce (tens of ms) is the driver's job and separate.
 */

/**
 * True when a press at `at` falls inside the response interval of the last accepted rating.
 *
 * The distance is taken both ways on purpose: if the caller's clock steps backwards (NTP correction), a
 * one-sided test would either let an immediate duplicate through or lock the pad until the clock caught
 * up again; the symmetric window does neither for longer than the interval itself.
 */
export function withinResponseInterval(
  lastAcceptedAt: number | null,
  at: number,
  intervalMs: number,
): boolean {
  if (lastAcceptedAt === null || intervalMs <= 0) return false;
  return Math.abs(at - lastAcceptedAt) < intervalMs;
}
