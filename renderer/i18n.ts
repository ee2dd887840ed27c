/**
 * All on-screen text goes through `t()` with keys checked at compile time against the zh-CN locale
 * (the reference language); test/renderer/i18n.test.ts checks the other two have exactly the same keys.
 */
import i18next, { type i18n as I18n } from 'i18next';
import type { Language } from '../src/shared/kiosk-api.js';
import zhCN from '../assets/locales/zh-CN.json';
import zhTW from '../assets/locales/zh-TW.json';
import en from '../assets/locales/en.json';

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every message key, e.g. `rate.countdown`. */
export type I18nKey = Leaves<typeof zhCN>;

const instance: I18n = i18next.createInstance();

export async function initI18n(language: Language): Promise<void> {
  await instance.init({
    lng: language,
    fallbackLng: 'zh-CN',
    resources: {
      'zh-CN': { translation: zhCN },
      'zh-TW': { translation: zhTW },
      en: { translation: en },
    },
    // Synchronous: resources are bundled, and the first screen must not wait for a tick.
    initAsync: false,
    // Values are staff names and codes; everything is put on screen with textContent, so HTML escaping here
    // would only show `&lt;` to the citizen.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
}

export async function setI18nLanguage(language: Language): Promise<void> {
  if (instance.language !== language) await instance.changeLanguage(language);
}

export function t(key: I18nKey, vars?: Record<string, string | number>): string {
  return instance.t(key, vars ?? {}) as string;
}
