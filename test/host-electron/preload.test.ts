import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { KIOSK_API_METHODS, VIEW_CHANNEL } from '../../src/shared/kiosk-api.js';
import { KIOSK_CALL_CHANNEL } from '../../src/host/electron/ipc.js';

const preloadFile = path.resolve(__dirname, '../../src/host/electron/preload.cts');

/** The preload as tsc emits it (CommonJS), without comments. */
function compiledPreload(): string {
  return ts.transpileModule(fs.readFileSync(preloadFile, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, removeComments: true },
    fileName: 'preload.cts',
  }).outputText;
}

const electron = {
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(),
  on: vi.fn(),
  removeListener: vi.fn(),
};

/**
 * Runs the compiled preload the way a sandboxed renderer does: CommonJS, with a `require` that knows only
 * 'electron' (here a fake), so an accidental import of another module fails the test.
 */
function loadBridge(): Record<string, (...args: unknown[]) => unknown> {
  electron.exposed.clear();
  const fakeElectron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value) },
    ipcRenderer: {
      invoke: electron.invoke,
      on: electron.on,
      removeListener: electron.removeListener,
      send: vi.fn(),
    },
  };
  const sandboxRequire = (id: string): unknown => {
    if (id === 'electron') return fakeElectron;
    throw new Error(`a sandboxed preload cannot require ${id}`);
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', compiledPreload())(sandboxRequire, module, module.exports);
  return electron.exposed.get('kiosk') as Record<string, (...args: unknown[]) => unknown>;
}

describe('the sandboxed preload', () => {
  beforeEach(() => {
    electron.invoke.mockReset();
    electron.on.mockReset();
    electron.removeListener.mockReset();
  });

  it('exposes window.kiosk with exactly the KioskApi functions and onView, and nothing else', () => {
    const bridge = loadBridge();
    expect([...electron.exposed.keys()]).toEqual(['kiosk']);
    expect(Object.keys(bridge).sort()).toEqual([...KIOSK_API_METHODS, 'onView'].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('sends each call as (method, args) on the one invoke channel and unwraps the value', async () => {
    const bridge = loadBridge();
    electron.invoke.mockResolvedValueOnce({ ok: true, value: { ok: true } });
    await expect(bridge.rate!('s-1', 'satisfied')).resolves.toEqual({ ok: true });
    expect(electron.invoke).toHaveBeenCalledWith(KIOSK_CALL_CHANNEL, 'rate', ['s-1', 'satisfied']);
  });

  it('rejects a refused call with an error whose message starts with the code', async () => {
    const bridge = loadBridge();
    electron.invoke.mockResolvedValueOnce({
      ok: false,
      code: 'E8002',
      message: 'caller is not the kiosk page',
    });
    await expect(bridge.getView!()).rejects.toThrow(/^E8002: caller is not the kiosk page$/);
  });

  it('relays pushed views without the IPC event, and unsubscribes', () => {
    const bridge = loadBridge();
    const listener = vi.fn();
    const unsubscribe = bridge.onView!(listener) as () => void;
    const [channel, relay] = electron.on.mock.calls[0] as [string, (...a: unknown[]) => void];
    expect(channel).toBe(VIEW_CHANNEL);
    relay({ sender: 'ipcRenderer' }, { version: 5 });
    expect(listener).toHaveBeenCalledWith({ version: 5 });
    expect(listener.mock.calls[0]).toHaveLength(1);
    unsubscribe();
    expect(electron.removeListener).toHaveBeenCalledWith(VIEW_CHANNEL, relay);
  });

  it('repeats the channel names of ipc.ts and kiosk-api.ts exactly', () => {
    const source = fs.readFileSync(preloadFile, 'utf8');
    expect(source).toContain(`const CALL_CHANNEL = '${KIOSK_CALL_CHANNEL}'`);
    expect(source).toContain(`= '${VIEW_CHANNEL}'`);
  });

  it('compiles to CommonJS whose only require is electron, as a sandboxed preload needs', () => {
    const output = compiledPreload();
    const requires = [...output.matchAll(/require\(["']([^"']+)["']\)/g)].map((match) => match[1]);
    expect(requires).toEqual(['electron']);
    expect(output).not.toMatch(/\bimport\s*\(|\bimport\s+[{*\w]/);
  });
});
