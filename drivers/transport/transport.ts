/**
 * One byte-stream interface for every way a device is attached (ARCHITECTURE "transport bindings behind
 * one factory", after zwave-js). Codecs never know which transport they ride on (id-reader-sam.md
 * "The codec must be transport-agnostic: bytes in, frames out").
 */
import type { DeviceConfig } from '../../src/config/schema.js';

export interface TransportDescription {
  transport: 'serial' | 'hid' | 'usb' | 'tcp' | 'mock';
  /** Path, `vid:pid`, or `tcp://host:port`: what a technician needs to find the device. */
  path: string;
}

export interface Transport {
  open(): Promise<void>;
  /** Idempotent. After close, `write` rejects at once (quirk: a serial write after close never calls back). */
  close(): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
  onData(listener: (bytes: Uint8Array) => void): () => void;
  /** Fired once when the link goes away for any reason (unplug, read error, our own close). */
  onClose(listener: (error?: Error) => void): () => void;
  onError(listener: (error: Error) => void): () => void;
  readonly isOpen: boolean;
  describe(): TransportDescription;
}

/**
 * The config's `deviceSchema` shape, widened with an optional VID:PID for serial devices, which the
 * supervisor uses to prefer `/dev/serial/by-id/…` (the schema does not carry it yet: see the report).
 */
export type TransportConfig =
  | Exclude<DeviceConfig, { transport: 'serial' }>
  | (Extract<DeviceConfig, { transport: 'serial' }> & { vendorId?: number; productId?: number });

/** Listener bookkeeping shared by the implementations. */
export abstract class TransportBase implements Transport {
  readonly #data = new Set<(bytes: Uint8Array) => void>();
  readonly #close = new Set<(error?: Error) => void>();
  readonly #error = new Set<(error: Error) => void>();
  protected opened = false;
  #closeReported = true;
  /** Bytes that arrived before anyone listened (between `open()` and a driver's `attach`): kept, not lost. */
  #early: Uint8Array[] = [];
  #earlyBytes = 0;

  abstract open(): Promise<void>;
  abstract close(): Promise<void>;
  abstract write(bytes: Uint8Array): Promise<void>;
  abstract describe(): TransportDescription;

  get isOpen(): boolean {
    return this.opened;
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    this.#data.add(listener);
    const early = this.#early;
    this.#early = [];
    this.#earlyBytes = 0;
    if (early.length) queueMicrotask(() => early.forEach((b) => listener(b)));
    return () => this.#data.delete(listener);
  }
  onClose(listener: (error?: Error) => void): () => void {
    this.#close.add(listener);
    return () => this.#close.delete(listener);
  }
  onError(listener: (error: Error) => void): () => void {
    this.#error.add(listener);
    return () => this.#error.delete(listener);
  }

  protected markOpen(): void {
    this.#early = [];
    this.#earlyBytes = 0;
    this.opened = true;
    this.#closeReported = false;
  }
  protected emitData(bytes: Uint8Array): void {
    if (!this.opened || bytes.length === 0) return;
    if (this.#data.size === 0) {
      if (this.#earlyBytes + bytes.length <= 65_536) {
        this.#early.push(Uint8Array.from(bytes));
        this.#earlyBytes += bytes.length;
      }
      return;
    }
    for (const l of [...this.#data]) l(bytes);
  }
  protected emitError(error: Error): void {
    for (const l of [...this.#error]) l(error);
  }
  /** Reports the close exactly once per open. */
  protected emitClose(error?: Error): void {
    this.opened = false;
    if (this.#closeReported) return;
    this.#closeReported = true;
    for (const l of [...this.#close]) l(error);
  }
}

export class TransportClosedError extends Error {
  constructor(what: string) {
    super(`${what} is not open`);
    this.name = 'TransportClosedError';
  }
}
