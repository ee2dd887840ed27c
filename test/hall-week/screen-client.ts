/**
 * The touch screen without Chromium: the KioskApi over the browser host's loopback WebSocket, as the page
 * speaks it (src/host/browser/server.ts): the page's Origin, the per-start secret from the URL fragment as
 * the first message, then `{ id, method, params }` calls. Keeps the latest KioskView the kiosk pushed.
 */
import WebSocket from 'ws';
import type { KioskView, WireMessage } from '../../src/shared/kiosk-api.js';
import { until } from '../support/polling.js';

export class ScreenClient {
  view: KioskView | null = null;
  readonly #ws: WebSocket;
  readonly #pending = new Map<number, (message: WireMessage) => void>();
  #nextId = 1;
  closed = false;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as WireMessage & {
        id?: number;
        event?: string;
        data?: unknown;
      };
      if (message.event === 'view') {
        const next = message.data as KioskView;
        if (!this.view || next.version >= this.view.version) this.view = next;
        return;
      }
      if (typeof message.id === 'number') {
        this.#pending.get(message.id)?.(message);
        this.#pending.delete(message.id);
      }
    });
    ws.on('close', () => {
      this.closed = true;
      for (const settle of this.#pending.values())
        settle({ id: -1, error: { code: 'closed', message: 'socket closed' } } as WireMessage);
      this.#pending.clear();
    });
    ws.on('error', () => undefined);
  }

  static async connect(uiUrl: string): Promise<ScreenClient> {
    const url = new URL(uiUrl);
    const secret = url.hash.replace(/^#s=/, '');
    const ws = new WebSocket(`ws://${url.host}/api`, { origin: `http://${url.host}` });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const client = new ScreenClient(ws);
    ws.send(JSON.stringify({ hello: secret }));
    await until('the first view on the screen', () => client.view !== null, 10_000);
    return client;
  }

  /** A KioskApi call; resolves with `result`, or `{ ok: false, code, message }` when the host answered an error. */
  call(method: string, ...params: unknown[]): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, (message) => {
        const m = message as { result?: unknown; error?: { code: string; message: string } };
        resolve(m.error ? { ok: false, ...m.error } : m.result);
      });
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }

  waitFor(what: string, predicate: (view: KioskView) => boolean, timeoutMs = 10_000): Promise<KioskView> {
    return until(what, () => (this.view && predicate(this.view) ? this.view : null), timeoutMs);
  }

  close(): void {
    this.#ws.terminate();
  }
}
