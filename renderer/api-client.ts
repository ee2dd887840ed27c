/**
 * Where the renderer gets its KioskApi. In Electron the preload exposes it as `window.kiosk`; in the
 * browser host the page talks to a loopback WebSocket (`/api`), proving itself with the per-start secret
 * from the URL fragment as the first message. The socket reconnects with backoff and refetches the view.
 */
import type {
  ActionResult,
  AdminDiagnosticsResult,
  AdminEditConfigResult,
  AdminExportResult,
  AdminFirstRunResult,
  AdminStorageCheckResult,
  KioskApi,
  KioskApiMethod,
  KioskView,
  WireMessage,
  WireRequest,
} from '../src/shared/kiosk-api.js';
import { apiSocketUrl, backoffDelay, parseSecret } from './wire.js';

export interface KioskClient {
  readonly api: KioskApi;
  onView(listener: (view: KioskView) => void): void;
  /** false while the transport is down (the page shows a quiet 正在重新连接). */
  onConnection(listener: (connected: boolean) => void): void;
}

/**
 * The preload's shape. KioskApi fixes the calls; how views are pushed over IPC is not in the shared
 * contract yet, so `onView` is optional and the client polls getView when it is missing.
 */
type PreloadBridge = KioskApi & { onView?: (listener: (view: KioskView) => void) => unknown };

const CALL_TIMEOUT_MS = 10_000;

export function createKioskClient(win: Window & { kiosk?: PreloadBridge }): KioskClient {
  if (win.kiosk !== undefined) return preloadClient(win.kiosk);
  const secret = parseSecret(win.location.hash);
  if (secret === null) throw new Error('no kiosk bridge and no secret in the page URL');
  return new SocketClient(apiSocketUrl(win.location.host), secret);
}

function preloadClient(bridge: PreloadBridge): KioskClient {
  return {
    api: bridge,
    onView(listener) {
      if (bridge.onView !== undefined) bridge.onView(listener);
      else window.setInterval(() => void bridge.getView().then(listener), 500);
      void bridge.getView().then(listener);
    },
    onConnection() {
      // IPC does not drop while the page lives.
    },
  };
}

/** A refusal from the host (it carries a stable code), as opposed to a transport failure. */
class WireError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: number;
}

class SocketClient implements KioskClient {
  readonly api: KioskApi;
  private socket: WebSocket | null = null;
  private nextId = 1;
  private attempt = 0;
  private authenticated = false;
  private readonly pending = new Map<number, Pending>();
  private readonly viewListeners: ((view: KioskView) => void)[] = [];
  private readonly connectionListeners: ((connected: boolean) => void)[] = [];

  constructor(
    private readonly url: string,
    private readonly secret: string,
  ) {
    const call = <T>(method: KioskApiMethod, ...params: unknown[]): Promise<T> =>
      this.call(method, params) as Promise<T>;
    const action = <T = ActionResult>(method: KioskApiMethod, ...params: unknown[]): Promise<T> =>
      this.call(method, params).then(
        (value) => value as T,
        (error: unknown) => {
          // A refusal from the host carries a code; a transport failure is rethrown for the caller.
          if (error instanceof WireError)
            return { ok: false, code: error.code, message: error.message } as unknown as T;
          throw error;
        },
      );
    this.api = {
      getView: () => call<KioskView>('getView'),
      rate: (sessionId, level) => action('rate', sessionId, level),
      submitReasons: (sessionId, codes, text) => action('submitReasons', sessionId, codes, text),
      changeLevel: (sessionId) => action('changeLevel', sessionId),
      setLanguage: (language) => action('setLanguage', language),
      setLargeType: (on) => action('setLargeType', on),
      padKey: (code) => action('padKey', code),
      reportCspViolation: (directive, blockedOrigin) =>
        action('reportCspViolation', directive, blockedOrigin),
      adminOpen: () => action('adminOpen'),
      adminEnter: (pin) => action('adminEnter', pin),
      adminSetPin: (pin) => action('adminSetPin', pin),
      adminExit: () => action('adminExit'),
      adminTouch: () => action('adminTouch'),
      adminDiagnostics: () => action<AdminDiagnosticsResult>('adminDiagnostics'),
      adminSyncNow: () => action('adminSyncNow'),
      adminResend: (seq) => action('adminResend', seq),
      adminKeyTest: (on) => action('adminKeyTest', on),
      adminLedTest: () => action('adminLedTest'),
      adminBuzzerTest: () => action('adminBuzzerTest'),
      adminStorageCheck: () => action<AdminStorageCheckResult>('adminStorageCheck'),
      adminExportLogs: (path) => action<AdminExportResult>('adminExportLogs', path),
      adminEditConfig: (patch) => action<AdminEditConfigResult>('adminEditConfig', patch),
      adminFirstRun: (form) => action<AdminFirstRunResult>('adminFirstRun', form),
    };
    this.connect();
  }

  onView(listener: (view: KioskView) => void): void {
    this.viewListeners.push(listener);
  }

  onConnection(listener: (connected: boolean) => void): void {
    this.connectionListeners.push(listener);
  }

  private connect(): void {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.addEventListener('open', () => socket.send(JSON.stringify({ hello: this.secret })));
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.authenticated = false;
      for (const listener of this.connectionListeners) listener(false);
      for (const [id, entry] of this.pending) {
        window.clearTimeout(entry.timer);
        entry.reject(new Error('connection lost'));
        this.pending.delete(id);
      }
      window.setTimeout(() => this.connect(), backoffDelay(this.attempt++, Math.random()));
    });
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: WireMessage;
    try {
      message = JSON.parse(data) as WireMessage;
    } catch {
      return;
    }
    if ('event' in message) {
      if (message.event !== 'view') return;
      if (!this.authenticated) {
        // The host pushes a view only after accepting the secret: the link is up again.
        this.authenticated = true;
        this.attempt = 0;
        for (const listener of this.connectionListeners) listener(true);
        // Refetch as well, in case a view changed between the push and our listeners.
        void this.call('getView', []).then(
          (view) => this.emit(view as KioskView),
          () => undefined,
        );
      }
      this.emit(message.data);
      return;
    }
    const entry = this.pending.get(message.id);
    if (entry === undefined) return;
    this.pending.delete(message.id);
    window.clearTimeout(entry.timer);
    if ('error' in message) entry.reject(new WireError(message.error.code, message.error.message));
    else entry.resolve(message.result);
  }

  private emit(view: KioskView): void {
    for (const listener of this.viewListeners) listener(view);
  }

  private call(method: KioskApiMethod, params: unknown[]): Promise<unknown> {
    const socket = this.socket;
    if (socket === null || !this.authenticated || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new Error('not connected'));
    }
    const id = this.nextId++;
    const request: WireRequest = { id, method, params };
    return new Promise((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('no answer'));
      }, CALL_TIMEOUT_MS);
      this.pending.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify(request));
    });
  }
}
