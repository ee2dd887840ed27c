/** Per-device statistics feeding diagnostics (ARCHITECTURE "statistics counters per device", after zwave-js). */
export interface DeviceCounters {
  framesIn: number;
  framesOut: number;
  bytesDiscarded: number;
  /** CRC-16 (pad) or XOR checksum (reader) failures. */
  checkErrors: number;
  naks: number;
  timeouts: number;
  reconnects: number;
  /** Total time connected, ms (includes the current connection). */
  connectedMs: number;
}

export class DeviceStats {
  readonly counters: DeviceCounters = {
    framesIn: 0,
    framesOut: 0,
    bytesDiscarded: 0,
    checkErrors: 0,
    naks: 0,
    timeouts: 0,
    reconnects: 0,
    connectedMs: 0,
  };
  lastFrameAt: number | null = null;
  /**
   * The last error seen and when (epoch ms). Kept after the device recovered, so a technician sees what
   * happened; the current state's own code is the supervisor's `stateCode` (issue 16).
   */
  lastError: string | null = null;
  lastErrorAt: number | null = null;
  #connectedSince: number | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  frameIn(): void {
    this.counters.framesIn += 1;
    this.lastFrameAt = Date.now();
  }
  connected(): void {
    this.#connectedSince ??= this.now();
  }
  disconnected(): void {
    if (this.#connectedSince === null) return;
    this.counters.connectedMs += this.now() - this.#connectedSince;
    this.#connectedSince = null;
  }
  error(code: string): void {
    this.lastError = code;
    this.lastErrorAt = Date.now();
  }

  snapshot(): DeviceCounters {
    const live = this.#connectedSince === null ? 0 : this.now() - this.#connectedSince;
    return { ...this.counters, connectedMs: this.counters.connectedMs + live };
  }
}

export type DeviceState = 'disconnected' | 'connecting' | 'connected';
export interface DeviceStateEvent {
  state: DeviceState;
  code?: string;
}
