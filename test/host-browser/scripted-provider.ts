/**
 * A test double for the kiosk core: holds one KioskView, lets a test push new ones, and records every call
 * that reaches the api (so a test can prove that a refused call never did).
 */
import type { ActionResult, KioskApi, KioskView, SessionView } from '../../src/shared/kiosk-api.js';
import type { KioskApiProvider } from '../../src/host/provider.js';
import { adminApi } from '../../src/app/admin-service.js';

export interface RecordedCall {
  method: keyof KioskApi;
  params: unknown[];
}

export class ScriptedProvider implements KioskApiProvider {
  readonly calls: RecordedCall[] = [];
  private view: KioskView;
  private readonly listeners = new Set<(view: KioskView) => void>();
  readonly api: KioskApi;

  constructor(initial: KioskView) {
    this.view = initial;
    const ok = async (method: keyof KioskApi, params: unknown[]): Promise<ActionResult> => {
      this.calls.push({ method, params });
      return { ok: true };
    };
    this.api = {
      getView: async () => {
        this.calls.push({ method: 'getView', params: [] });
        return this.view;
      },
      rate: (...params) => ok('rate', params),
      submitReasons: (...params) => ok('submitReasons', params),
      changeLevel: (...params) => ok('changeLevel', params),
      setLanguage: (...params) => ok('setLanguage', params),
      setLargeType: (...params) => ok('setLargeType', params),
      padKey: (...params) => ok('padKey', params),
      reportCspViolation: (...params) => ok('reportCspViolation', params),
      // No admin service: every admin call is refused with E8007.
      ...adminApi(undefined, () => undefined),
    };
  }

  subscribe(listener: (view: KioskView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Replaces the view (bumping its version) and pushes it, as the core does on every change. */
  push(change: Partial<KioskView>): KioskView {
    this.view = { ...this.view, ...change, version: this.view.version + 1, now: Date.now() };
    for (const listener of this.listeners) listener(this.view);
    return this.view;
  }

  callsOf(method: keyof KioskApi): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.params);
  }
}

export function idleView(change: Partial<KioskView> = {}): KioskView {
  return {
    version: 1,
    now: Date.now(),
    screen: 'idle',
    demo: true,
    online: true,
    language: 'zh-CN',
    defaultLanguage: 'zh-CN',
    languages: ['zh-CN', 'zh-TW', 'en'],
    largeType: false,
    window: { hallName: '海口市政务服务中心', windowNo: '12', departmentName: '市场监督管理局' },
    clerk: { staffId: 'HK0312', name: '王晓梅', title: '综合窗口受理员', photo: null, stars: 4 },
    calledTicket: 'A023',
    pauseMessage: null,
    session: null,
    thanksUntil: null,
    ...change,
  };
}

export function rateSession(change: Partial<SessionView> = {}): SessionView {
  return {
    sessionId: 'sess-0001',
    ticketNo: 'A023',
    deadline: Date.now() + 30_000,
    step: 'rate',
    chosenLevel: null,
    reasons: [],
    textAllowed: false,
    textMax: 150,
    citizen: { maskedName: '张*', maskedId: '4601**********123X' },
    qrUrl: 'https://zwfw.example.gov.cn/hcp/rate?projectNo=HK2024000123',
    ...change,
  };
}

export const SAMPLE_REASONS: SessionView['reasons'] = [
  { code: '501', text: { 'zh-CN': '等候时间过长', 'zh-TW': '等候時間過長', en: 'Waited too long' } },
  { code: '502', text: { 'zh-CN': '办理时间过长', en: 'The service itself took too long' } },
  { code: '521', text: { 'zh-CN': '态度冷淡或不耐烦' } },
];
