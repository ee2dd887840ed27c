/**
 * The key / LED / buzzer test card of the diagnostics screen. Unlike the other cards it is drawn from the
 * view, not from the diagnostics answer: the core pushes a view for every KEY_EVENT while the test is on,
 * so pressed keys light up without waiting for the 2 s refresh.
 */
import type { KioskView } from '../src/shared/kiosk-api.js';
import { line, section } from './admin-card.js';
import { el, setText } from './dom.js';
import { t } from './i18n.js';
import type { ScreenContext } from './screen.js';

export interface KeysCard {
  readonly root: HTMLElement;
  update(view: KioskView): void;
}

export function createKeysCard(view: KioskView, ctx: ScreenContext): KeysCard {
  let current = view;
  const keys = section('admin.section.keys', 'keys');
  const keyToggle = el('button', {
    className: 'admin-action',
    attrs: { type: 'button', 'data-testid': 'key-test' },
  });
  const ledButton = el('button', {
    className: 'admin-action',
    text: t('admin.keys.led'),
    attrs: { type: 'button', 'data-testid': 'led-test' },
  });
  const buzzerButton = el('button', {
    className: 'admin-action',
    text: t('admin.keys.buzzer'),
    attrs: { type: 'button', 'data-testid': 'buzzer-test' },
  });
  const keyRow = el('div', { className: 'admin-keyrow', attrs: { 'data-testid': 'key-row' } });
  const keySeen = el('p', { className: 'admin-line' });
  const keyHint = line(t('admin.keys.hint'), 'admin-line admin-muted');
  keyToggle.addEventListener('click', () => {
    const on = current.admin?.keyTest.on === true;
    void ctx.act(() => ctx.api.adminKeyTest(!on));
  });
  ledButton.addEventListener('click', () => void ctx.act(() => ctx.api.adminLedTest()));
  buzzerButton.addEventListener('click', () => void ctx.act(() => ctx.api.adminBuzzerTest()));
  keys.body.append(
    keyRow,
    keySeen,
    keyHint,
    el('div', { className: 'admin-buttons' }, [keyToggle, ledButton, buzzerButton]),
  );

  const renderKeys = (): void => {
    const test = current.admin?.keyTest;
    const on = test?.on === true;
    setText(keyToggle, on ? t('admin.keys.stop') : t('admin.keys.start'));
    keyToggle.setAttribute('aria-pressed', String(on));
    const count = Math.max(1, Math.min(8, test?.keyCount ?? 5));
    const sig = JSON.stringify([on, count, test?.down, test?.seen]);
    if (keyRow.dataset['sig'] === sig) return;
    keyRow.dataset['sig'] = sig;
    const boxes: HTMLElement[] = [];
    for (let n = 1; n <= count; n += 1) {
      const down = on && (test?.down.includes(n) ?? false);
      const seen = on && (test?.seen.includes(n) ?? false);
      boxes.push(
        el('span', {
          className: `admin-key${down ? ' admin-key-down' : ''}${seen ? ' admin-key-seen' : ''}`,
          text: String(n),
          attrs: {
            role: 'img',
            'aria-label': t('admin.keys.key', { n }),
            'data-key': String(n),
            'data-down': String(down),
          },
        }),
      );
    }
    keyRow.replaceChildren(...boxes);
    keyRow.classList.toggle('admin-keyrow-off', !on);
    keyHint.hidden = !on;
    keySeen.hidden = !on;
    setText(keySeen, t('admin.keys.seen', { count: test?.seen.length ?? 0, total: count }));
  };

  return {
    root: keys.root,
    update(next) {
      current = next;
      renderKeys();
    },
  };
}
