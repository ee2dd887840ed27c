/**
 * Preload for the sandboxed kiosk page. It is a `.cts` file so that tsc (NodeNext) always emits CommonJS
 * (`preload.cjs`) whatever package.json's "type" says: a sandboxed preload cannot use ESM, and its
 * `require` knows only 'electron' (and a few Node built-ins), so this file imports nothing else at run time.
 * The `import type` lines are erased. A test compiles it and asserts that 'electron' is its only require.
 *
 * Checklist #20 "Do not expose Electron APIs to untrusted web content": the page gets `window.kiosk` with
 * exactly the KioskApi functions plus `onView`; never ipcRenderer, never an IPC event object.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRenderer } from 'electron';
import type { KioskApi, KioskApiMethod, KioskView, VIEW_CHANNEL } from '../../shared/kiosk-api.js';

/** What `window.kiosk` is in the Electron host. */
export type KioskBridge = KioskApi & {
  /** Calls `listener` with every view the main process pushes; returns an unsubscribe function. */
  onView(listener: (view: KioskView) => void): () => void;
};

// Repeated here, not imported (see above); the `satisfies` and the `AllListed` check below make tsc fail if
// this list and KioskApi ever disagree, and a test compares it with KIOSK_API_METHODS.
const METHODS = [
  'getView',
  'rate',
  'submitReasons',
  'changeLevel',
  'setLanguage',
  'setLargeType',
  'padKey',
  'reportCspViolation',
  'adminOpen',
  'adminEnter',
  'adminSetPin',
  'adminExit',
  'adminTouch',
  'adminDiagnostics',
  'adminSyncNow',
  'adminResend',
  'adminKeyTest',
  'adminLedTest',
  'adminBuzzerTest',
  'adminStorageCheck',
  'adminExportLogs',
  'adminEditConfig',
  'adminFirstRun',
] as const satisfies readonly KioskApiMethod[];
type AllListed = [Exclude<KioskApiMethod, (typeof METHODS)[number]>] extends [never] ? true : never;
const allListed: AllListed = true;
void allListed;

const CALL_CHANNEL = 'kiosk:call'; // = KIOSK_CALL_CHANNEL in ipc.ts
const VIEW: typeof VIEW_CHANNEL = 'kiosk:view';

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };

/**
 * Builds the bridge object. A refused call (E8001 bad request, E8002 wrong sender, core error) rejects with
 * an Error whose message starts with the code, e.g. `E8001: invalid parameter 1`: contextBridge copies only
 * an Error's message, so the code travels in it.
 */
export function createKioskBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): KioskBridge {
  const bridge: Record<string, unknown> = {};
  for (const method of METHODS) {
    bridge[method] = async (...args: unknown[]): Promise<unknown> => {
      const outcome = (await ipc.invoke(CALL_CHANNEL, method, args)) as Outcome;
      if (outcome.ok) return outcome.value;
      throw new Error(`${outcome.code}: ${outcome.message}`);
    };
  }
  bridge.onView = (listener: (view: KioskView) => void): (() => void) => {
    // The IPC event (which holds `sender`, i.e. ipcRenderer) is dropped here and never reaches the page.
    const relay = (_event: unknown, view: KioskView): void => listener(view);
    ipc.on(VIEW, relay);
    return () => {
      ipc.removeListener(VIEW, relay);
    };
  };
  return Object.freeze(bridge) as unknown as KioskBridge;
}

contextBridge.exposeInMainWorld('kiosk', createKioskBridge(ipcRenderer));
