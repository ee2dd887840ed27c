/**
 * In-memory transport pair for unit tests and the simulators' mock mode: bytes written on one end arrive
 * on the other asynchronously (like a real port), `unplug()` closes both ends with an error.
 */
import { TransportBase, TransportClosedError, type TransportDescription } from './transport.js';

export class MockTransport extends TransportBase {
  peer: MockTransport | undefined;
  /** When false, `open()` fails (the device is "unplugged"). */
  present = true;
  readonly written: Uint8Array[] = [];

  constructor(readonly name = 'mock') {
    super();
  }

  async open(): Promise<void> {
    if (!this.present) throw new Error(`${this.name}: no such device`);
    this.markOpen();
  }

  async close(): Promise<void> {
    this.emitClose();
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.opened) throw new TransportClosedError(this.name);
    const copy = Uint8Array.from(bytes);
    this.written.push(copy);
    const peer = this.peer;
    setImmediate(() => peer?.receive(copy));
  }

  /** Delivers bytes as if they came from the wire. */
  receive(bytes: Uint8Array): void {
    this.emitData(bytes);
  }

  /** Simulates a lost link: the end closes with an error. */
  drop(reason = 'device unplugged'): void {
    this.emitClose(new Error(reason));
  }

  describe(): TransportDescription {
    return { transport: 'mock', path: this.name };
  }
}

/** Two connected ends: `[host, device]`. */
export function createMockPair(name = 'mock'): [MockTransport, MockTransport] {
  const a = new MockTransport(`${name}:host`);
  const b = new MockTransport(`${name}:device`);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
