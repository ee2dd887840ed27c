/**
 * Stable error codes in numbered bands (after zwave-js): the band says which part of the kiosk
 * raised it, the number never changes meaning. Every code is listed in the README's error table
 * (a test checks that), and the diagnostics screen links each one to its README entry.
 */
export interface ErrorCodeInfo {
  /** e.g. `E2101`: E + band digit + three digits. */
  readonly code: string;
  /** A short, stable, machine-friendly name, e.g. `store.newer-version`. */
  readonly name: string;
  /** One sentence for the technician: what happened and what to do. */
  readonly help: string;
}

export function defineCodes<const T extends Record<string, ErrorCodeInfo>>(codes: T): T {
  return codes;
}
