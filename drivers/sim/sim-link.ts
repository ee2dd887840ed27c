/**
 * The simulator's side of a link: a socat pty pair, a TCP port on 127.0.0.1, or an in-memory mock pair.
 * Writes can be paced at a baud rate (8N1: 10 bits a byte) so timings match a real UART.
 */
import net from 'node:net';
import { createMockPair, type MockTransport } from '../transport/mock.js';
import { SerialTransport } from '../transport/serial.js';
import type { Transport } from '../transport/transport.js';
import { PtyPair } from './pty.js';

export type SimLinkOptions =
  | { kind: 'pty'; name?: string; baudRate?: number }
  | { kind: 'tcp'; port: number; baudRate?: number }
  | { kind: 'mock'; name?: string; baudRate?: number };

export class SimLink {
  /** What the kiosk opens: pty path, `tcp://127.0.0.1:port`, or (mock) the host transport. */
  kioskPath = '';
  /** Mock mode: the kiosk-side transport to hand to the driver. */
  hostTransport: MockTransport | undefined;
  #pty: PtyPair | undefined;
  #server: net.Server | undefined;
  #socket: net.Socket | undefined;
  #port: Transport | undefined;
  #device: MockTransport | undefined;
  #onData: ((bytes: Uint8Array) => void) | undefined;
  #onConnect: (() => void) | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(readonly options: SimLinkOptions) {}

  /** `onData`: bytes from the kiosk; `onConnect`: a (re)connected kiosk side, e.g. to send HELLO. */
  async start(onData: (bytes: Uint8Array) => void, onConnect: () => void = () => undefined): Promise<void> {
    this.#onData = onData;
    this.#onConnect = onConnect;
    await this.replug();
  }

  async replug(): Promise<void> {
    const o = this.options;
    if (o.kind === 'pty') {
      this.#pty ??= new PtyPair(o.name);
      await this.#pty.start();
      this.kioskPath = this.#pty.kioskPath;
      const port = new SerialTransport({ path: this.#pty.simPath, baudRate: o.baudRate ?? 115200 });
      await port.open();
      port.onData((b) => this.#onData?.(b));
      this.#port = port;
      this.#onConnect?.();
    } else if (o.kind === 'tcp') {
      this.kioskPath = `tcp://127.0.0.1:${o.port}`;
      const server = net.createServer((socket) => {
        this.#socket?.destroy();
        this.#socket = socket;
        socket.setNoDelay(true);
        socket.on('data', (b) => this.#onData?.(b));
        socket.on('error', () => undefined);
        this.#onConnect?.();
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(o.port, '127.0.0.1', () => resolve());
      });
      this.#server = server;
    } else {
      if (!this.hostTransport) {
        const [host, device] = createMockPair(o.name ?? 'sim');
        this.hostTransport = host;
        this.#device = device;
        device.onData((b) => this.#onData?.(b));
      }
      this.hostTransport.present = true;
      await this.#device!.open();
      this.kioskPath = this.hostTransport.name;
      // The mock host opens later (the driver's turn); greet once it has.
      setImmediate(() => this.#onConnect?.());
    }
  }

  get connected(): boolean {
    if (this.options.kind === 'pty') return !!this.#port?.isOpen;
    if (this.options.kind === 'tcp') return !!this.#socket && !this.#socket.destroyed;
    return !!this.#device?.isOpen && !!this.hostTransport?.isOpen;
  }

  /** Queued writes, paced at the baud rate when one is set. Dropped silently when nobody is connected. */
  write(bytes: Uint8Array): Promise<void> {
    const run = this.#writing.then(() => this.#paced(bytes));
    this.#writing = run.catch(() => undefined);
    return run;
  }

  async #paced(bytes: Uint8Array): Promise<void> {
    const baud = this.options.baudRate;
    if (!baud) return this.#raw(bytes);
    const bytesPerMs = baud / 10 / 1000;
    const start = performance.now();
    let sent = 0;
    while (sent < bytes.length) {
      const due = Math.min(bytes.length, Math.floor((performance.now() - start) * bytesPerMs) + 1);
      if (due > sent) {
        await this.#raw(bytes.subarray(sent, due));
        sent = due;
      }
      if (sent < bytes.length) await new Promise((r) => setTimeout(r, 1));
    }
  }

  async #raw(bytes: Uint8Array): Promise<void> {
    if (this.options.kind === 'tcp') {
      const s = this.#socket;
      if (s && !s.destroyed) await new Promise<void>((r) => s.write(bytes, () => r()));
      return;
    }
    const port = this.options.kind === 'pty' ? this.#port : this.#device;
    if (port?.isOpen) await port.write(bytes).catch(() => undefined);
  }

  /** The device vanishes: pty gone (socat killed), TCP peer reset, or mock closed with an error. */
  async unplug(): Promise<void> {
    if (this.options.kind === 'pty') {
      await this.#port?.close();
      this.#port = undefined;
      await this.#pty?.stop();
    } else if (this.options.kind === 'tcp') {
      this.#socket?.destroy();
      this.#socket = undefined;
      await new Promise<void>((r) => (this.#server ? this.#server.close(() => r()) : r()));
      this.#server = undefined;
    } else {
      if (this.hostTransport) this.hostTransport.present = false;
      this.hostTransport?.drop();
      await this.#device?.close();
    }
  }

  async stop(): Promise<void> {
    await this.unplug();
    await this.#pty?.dispose();
  }
}
