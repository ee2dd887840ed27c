/**
 * The frame around every screen: hall, department and window; the language switcher and large-type
 * toggle (citizens are often elderly, sometimes foreign); the 演示模式 banner; a quiet offline indicator;
 * and a polite live region for refused actions.
 */
import {
  LANGUAGES,
  type ActionResult,
  type KioskApi,
  type KioskView,
  type Language,
} from '../src/shared/kiosk-api.js';
import { el, setText } from './dom.js';
import { t } from './i18n.js';
import { offeredLanguages } from './view-model.js';

export interface Chrome {
  readonly top: HTMLElement;
  readonly bottom: HTMLElement;
  update(view: KioskView): void;
  setConnected(connected: boolean): void;
  notice(text: string): void;
}

export function createChrome(
  api: KioskApi,
  act: (call: () => Promise<ActionResult>) => Promise<boolean>,
): Chrome {
  const demo = el('p', { className: 'demo-banner', attrs: { 'data-testid': 'demo' } });
  const hall = el('p', { className: 'hall' });
  const windowNo = el('p', { className: 'window-no' });
  const languages = el('div', { className: 'languages', attrs: { role: 'group' } });
  const largeType = el('button', { className: 'tool large-type-toggle', attrs: { type: 'button' } });
  const offline = el('p', { className: 'status offline', attrs: { 'data-testid': 'offline' } });
  const reconnecting = el('p', { className: 'status reconnecting' });
  const toast = el('p', { className: 'toast', attrs: { role: 'status', 'aria-live': 'polite' } });
  // After a card tap that gave no identity (issue 16): large and on every screen, for the citizen.
  const cardNotice = el('p', {
    className: 'card-notice',
    attrs: { role: 'alert', 'data-testid': 'card-notice' },
  });
  let current: KioskView | null = null;
  let connected = true;
  let toastTimer = 0;
  let languageSig = '';

  largeType.addEventListener('click', () => {
    const view = current;
    if (view !== null) void act(() => api.setLargeType(!view.largeType));
  });

  const renderLanguages = (view: KioskView): void => {
    const offered = offeredLanguages(view, LANGUAGES);
    const sig = `${view.language}|${offered.join(',')}`;
    if (sig === languageSig) return;
    languageSig = sig;
    languages.setAttribute('aria-label', t('toolbar.language'));
    languages.replaceChildren(
      ...offered.map((language: Language) => {
        const button = el('button', {
          className: 'tool lang',
          text: t(`language.${language}`),
          attrs: { type: 'button', lang: language, 'aria-pressed': String(language === view.language) },
        });
        button.addEventListener('click', () => {
          if (language !== current?.language) void act(() => api.setLanguage(language));
        });
        return button;
      }),
    );
  };

  const top = el('header', { className: 'top' }, [
    demo,
    el('div', { className: 'top-bar' }, [
      el('div', { className: 'place' }, [hall, windowNo]),
      el('div', { className: 'tools' }, [languages, largeType]),
    ]),
    cardNotice,
  ]);
  const bottom = el('footer', { className: 'bottom' }, [offline, reconnecting, toast]);

  return {
    top,
    bottom,
    update(view) {
      current = view;
      demo.hidden = !view.demo;
      setText(demo, t('app.demo'));
      setText(hall, `${view.window.hallName} · ${view.window.departmentName}`);
      setText(windowNo, t('idle.window', { windowNo: view.window.windowNo }));
      renderLanguages(view);
      setText(largeType, view.largeType ? t('toolbar.largeTypeOn') : t('toolbar.largeType'));
      largeType.setAttribute('aria-pressed', String(view.largeType));
      offline.hidden = view.online;
      setText(offline, t('app.offline'));
      setText(reconnecting, t('app.reconnecting'));
      reconnecting.hidden = connected;
      const notice = view.cardNotice ?? null;
      cardNotice.hidden = notice === null;
      setText(cardNotice, notice === null ? '' : t(`card.${notice.kind}`));
    },
    setConnected(next) {
      connected = next;
      reconnecting.hidden = next;
    },
    notice(text) {
      setText(toast, text);
      window.clearTimeout(toastTimer);
      toastTimer = window.setTimeout(() => setText(toast, ''), 5000);
    },
  };
}
