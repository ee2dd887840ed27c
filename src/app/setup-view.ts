/**
 * The KioskApi of setup mode: the renderer shows the 设备待配置 screen (view `screen: 'setup'`) and may
 * switch its language; every other call is refused with E8060, since nothing can be rated or administered
 * before the device knows its hall, window and province (window-link.md "Setup, demo and tests" r2).
 */
import type { KioskApiProvider } from '../host/provider.js';
import { HOST_ERRORS } from '../shared/errors/index.js';
import {
  KIOSK_API_METHODS,
  LANGUAGES,
  type KioskApi,
  type KioskView,
  type Language,
  type SetupView,
} from '../shared/kiosk-api.js';

/** The whole view of setup mode; `window` is empty (no hall yet) and nothing is online. */
export function buildSetupView(
  setup: SetupView,
  language: Language,
  version: number,
  now: number,
): KioskView {
  return {
    version,
    now,
    screen: 'setup',
    demo: false,
    online: false,
    language,
    defaultLanguage: 'zh-CN',
    languages: [...LANGUAGES],
    largeType: false,
    window: { hallName: '', windowNo: '', departmentName: '' },
    clerk: null,
    calledTicket: null,
    pauseMessage: null,
    session: null,
    thanksUntil: null,
    admin: null,
    setup,
  };
}

export interface SetupProvider extends KioskApiProvider {
  /** Changes what the screen shows (a refused provisioning file) and pushes the new view. */
  update(patch: Partial<SetupView>): void;
  view(): KioskView;
}

export function createSetupProvider(initial: SetupView, now: () => number = Date.now): SetupProvider {
  let setup = initial;
  let language: Language = 'zh-CN';
  let version = 1;
  const listeners = new Set<(view: KioskView) => void>();
  const view = () => buildSetupView(setup, language, version, now());
  const push = () => {
    version += 1;
    const next = view();
    for (const listener of listeners) listener(next);
  };
  const refusal = {
    ok: false as const,
    code: HOST_ERRORS.setupMode.code,
    message: HOST_ERRORS.setupMode.help,
  };
  const refuse = () => Promise.resolve(refusal);
  const api = Object.fromEntries(KIOSK_API_METHODS.map((method) => [method, refuse])) as unknown as KioskApi;
  api.getView = () => Promise.resolve(view());
  api.setLanguage = (next) => {
    if (next !== language) {
      language = next;
      push();
    }
    return Promise.resolve({ ok: true });
  };
  return {
    api,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    update(patch) {
      setup = { ...setup, ...patch };
      push();
    },
    view,
  };
}
