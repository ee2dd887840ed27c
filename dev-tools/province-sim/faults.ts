/**
 * Fault injection for the province simulator. `before` faults answer without processing; `after`
 * faults process the batch first and then lose or spoil the answer — the hard case for exactly-once,
 * because the kiosk must resend and count the province's `duplicate` as delivered.
 */
export type Fault =
  | { kind: 'status500' }
  | { kind: 'maintenance503'; retryAfterSec: number }
  | { kind: 'rateLimit429'; retryAfterSec: number }
  /** Processes, then never answers (the client's deadline fires). */
  | { kind: 'timeout' }
  /** Processes, then destroys the socket. */
  | { kind: 'reset' }
  /** Processes, then sends the answer one byte every `byteEveryMs`. */
  | { kind: 'slowBody'; byteEveryMs: number }
  /** Processes, then answers 200 with broken JSON (`json`) or results not one-per-record (`count`). */
  | { kind: 'malformed'; variant: 'json' | 'count' }
  /** Rejects records whose seq satisfies `everySeq` divisibility (code FAULT_REJECT). */
  | { kind: 'reject'; everySeq: number }
  | { kind: 'auth' }
  /** The province clock runs `skewSec` ahead (default 600): the real ±300 s check answers TIME_SKEW. */
  | { kind: 'timeSkew'; skewSec?: number }
  | { kind: 'badEnvelope' }
  | { kind: 'tooLarge'; maxRecords: number };

export type FaultKind = Fault['kind'];

export interface ActiveFault {
  fault: Fault;
  /** Which endpoints it hits; records only unless said. */
  paths: ReadonlySet<string>;
  /** Requests left before it clears itself; Infinity = until cleared. */
  remaining: number;
}

export class FaultControl {
  private active: ActiveFault | null = null;

  /** Sets (or, with null, clears) the fault. `times` limits it to the next n matching requests. */
  set(fault: Fault | null, options: { paths?: string[]; times?: number } = {}): void {
    this.active = fault
      ? {
          fault,
          paths: new Set(options.paths ?? ['/evaluation/v1/records']),
          remaining: options.times ?? Number.POSITIVE_INFINITY,
        }
      : null;
  }

  clear(): void {
    this.active = null;
  }

  current(): Fault | null {
    return this.active?.fault ?? null;
  }

  /** The fault for this request, consuming one use. */
  take(path: string): Fault | null {
    const a = this.active;
    if (!a || !a.paths.has(path)) return null;
    a.remaining -= 1;
    if (a.remaining <= 0) this.active = null;
    return a.fault;
  }
}
