/** TCP transport (`tcp://host:port`): serial-over-IP adapters and the simulators' TCP mode. */
import net from 'node:net';
import { TransportBase, TransportClosedError, type TransportDescription } from './transport.js';

export function parseTcpUrl(url: string): { host: string; port: number } {
  const match = /^tcp:\/\/([^\s:/]+):(\d{1,5})$/.exec(url);
  const port = Number(match?.[2]);
  if (!match?.[1] || !Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`bad TCP url ${url}`);
  return { host: match[1], port };
}

export class TcpTransport extends TransportBase {
  #socket: net.Socket | undefined;

  constructor(readonly url: string) {
    super();
  }

  async open(): Promise<void> {
    if (this.opened) return;
    const { host, port } = parseTcpUrl(this.url);
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host, port });
      s.once('connect', () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    });
    socket.setNoDelay(true);
    this.#socket = socket;
    socket.on('data', (chunk) => {
      if (this.#socket === socket) this.emitData(chunk);
    });
    socket.on('error', (error) => {
      if (this.#socket === socket) this.emitError(error);
    });
    socket.on('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.emitClose(new Error('connection closed by peer'));
    });
    this.markOpen();
  }

  async close(): Promise<void> {
    const socket = this.#socket;
    this.#socket = undefined;
    this.emitClose();
    socket?.destroy();
  }

  write(bytes: Uint8Array): Promise<void> {
    const socket = this.#socket;
    if (!socket || !this.opened) return Promise.reject(new TransportClosedError(this.url));
    return new Promise((resolve, reject) =>
      socket.write(bytes, (error) => (error ? reject(error) : resolve())),
    );
  }

  describe(): TransportDescription {
    return { transport: 'tcp', path: this.url };
  }
}
