/**
 * Serial transport (USB-CDC `/dev/ttyACM*`, RS-232/485 adapters) over `serialport`.
 * Quirks handled (checked on this machine):
 * - modem-line calls (set/get) fail on a pty: never call them;
 * - a disconnect is seen only while the port is being read: the port is always in flowing mode;
 * - a write after close never calls back: `write` rejects at once when the port is not open, and a write
 *   still pending when the port closes is rejected by us;
 * - a vanished device can make serialport 13 read 0 bytes forever instead of closing: transport cannot
 *   see that, so the drivers' liveness (PING/PONG, poll timeouts) closes and the supervisor reopens.
 */
import { SerialPort } from 'serialport';
import { TransportBase, TransportClosedError, type TransportDescription } from './transport.js';

export interface SerialOptions {
  path: string;
  baudRate: number;
}

export interface SerialPortInfo {
  path: string;
  vendorId?: string | undefined;
  productId?: string | undefined;
  pnpId?: string | undefined;
}

export class SerialTransport extends TransportBase {
  #port: SerialPort | undefined;
  readonly #pending = new Set<(error: Error) => void>();

  constructor(readonly options: SerialOptions) {
    super();
  }

  async open(): Promise<void> {
    if (this.opened) return;
    const port = new SerialPort({
      path: this.options.path,
      baudRate: this.options.baudRate,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    this.#port = port;
    port.on('data', (chunk: Buffer) => {
      if (this.#port === port) this.emitData(chunk);
    });
    port.on('error', (error: Error) => {
      if (this.#port === port) this.emitError(error);
    });
    port.on('close', (error?: Error | null) => {
      if (this.#port !== port) return;
      this.#port = undefined;
      this.#failPending();
      this.emitClose(error ?? undefined);
    });
    this.markOpen();
  }

  async close(): Promise<void> {
    const port = this.#port;
    this.#port = undefined;
    this.#failPending();
    this.emitClose();
    if (!port?.isOpen) return;
    await new Promise<void>((resolve) => {
      // The close callback can be lost on a vanished pty: do not wait for it for more than 500 ms.
      const timer = setTimeout(resolve, 500);
      port.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.#port;
    if (!port || !this.opened) return Promise.reject(new TransportClosedError(this.options.path));
    return new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => reject(error);
      this.#pending.add(fail);
      port.write(Buffer.from(bytes), (error) => {
        this.#pending.delete(fail);
        if (error) reject(error);
        else resolve();
      });
    });
  }

  #failPending(): void {
    for (const fail of this.#pending) fail(new TransportClosedError(this.options.path));
    this.#pending.clear();
  }

  describe(): TransportDescription {
    return { transport: 'serial', path: this.options.path };
  }
}

/**
 * Picks the port for a configured VID:PID, preferring the stable `/dev/serial/by-id/…` name (it survives
 * re-enumeration as ttyACM0 → ttyACM1 after an unplug). Pure: takes `SerialPort.list()`'s result.
 */
export function pickSerialPath(
  ports: SerialPortInfo[],
  vendorId: number,
  productId: number,
  platform: string = process.platform,
): string | undefined {
  const hex = (n: number) => n.toString(16).padStart(4, '0').toLowerCase();
  const match = ports.find(
    (p) => p.vendorId?.toLowerCase() === hex(vendorId) && p.productId?.toLowerCase() === hex(productId),
  );
  if (!match) return undefined;
  if (match.pnpId && platform === 'linux') return `/dev/serial/by-id/${match.pnpId}`;
  return match.path;
}

export async function listSerialPorts(): Promise<SerialPortInfo[]> {
  return SerialPort.list();
}
