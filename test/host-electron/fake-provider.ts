import { vi } from 'vitest';
import type { KioskApiProvider } from '../../src/host/provider.js';
import type { KioskView } from '../../src/shared/kiosk-api.js';

export function sampleView(version = 1): KioskView {
  return {
    version,
    now: 1_700_000_000_000,
    screen: 'idle',
    demo: true,
    online: true,
    language: 'zh-CN',
    defaultLanguage: 'zh-CN',
    languages: ['zh-CN', 'en'],
    largeType: false,
    window: { hallName: '海口市政务服务中心', windowNo: '12', departmentName: '市场监管局' },
    clerk: null,
    calledTicket: null,
    pauseMessage: null,
    session: null,
    thanksUntil: null,
  };
}

/** A provider whose API methods are spies and whose views the test pushes by hand. */
export function createFakeProvider() {
  const listeners = new Set<(view: KioskView) => void>();
  const ok = async () => ({ ok: true as const });
  const refused = async () => ({ ok: false as const, code: 'E8007', message: 'no admin session' });
  const api = {
    getView: vi.fn(async () => sampleView()),
    rate: vi.fn(ok),
    submitReasons: vi.fn(ok),
    changeLevel: vi.fn(ok),
    setLanguage: vi.fn(ok),
    setLargeType: vi.fn(ok),
    padKey: vi.fn(ok),
    reportCspViolation: vi.fn(ok),
    adminOpen: vi.fn(refused),
    adminEnter: vi.fn(refused),
    adminSetPin: vi.fn(refused),
    adminExit: vi.fn(refused),
    adminTouch: vi.fn(refused),
    adminDiagnostics: vi.fn(refused),
    adminSyncNow: vi.fn(refused),
    adminResend: vi.fn(refused),
    adminKeyTest: vi.fn(refused),
    adminLedTest: vi.fn(refused),
    adminBuzzerTest: vi.fn(refused),
    adminStorageCheck: vi.fn(refused),
    adminExportLogs: vi.fn(refused),
    adminEditConfig: vi.fn(refused),
    adminFirstRun: vi.fn(refused),
  };
  const provider: KioskApiProvider = {
    api,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const calls = () => Object.values(api).reduce((sum, fn) => sum + fn.mock.calls.length, 0);
  return { provider, api, calls, push: (view: KioskView) => listeners.forEach((l) => l(view)), listeners };
}
