/**
 * Thanks, paused and closed: a title and one line. Thanks is identical for every level, with no
 * level-specific text, colour or sound, because the clerk can see the screen (domain-rules §5).
 */
import type { KioskView } from '../src/shared/kiosk-api.js';
import { el } from './dom.js';
import type { I18nKey } from './i18n.js';
import { t } from './i18n.js';
import type { MountedScreen } from './screen.js';

function mountMessage(name: string, title: I18nKey, body: (view: KioskView) => string) {
  return (view: KioskView): MountedScreen => {
    const line = el('p', { className: 'message-body', text: body(view) });
    const root = el(
      'main',
      { className: `screen screen-message screen-${name}`, attrs: { 'data-screen': name } },
      [el('h1', { className: 'message-title', text: t(title) }), line],
    );
    return {
      root,
      update(next) {
        line.textContent = body(next);
      },
      dispose() {},
    };
  };
}

export const mountThanks = mountMessage('thanks', 'thanks.title', () => t('thanks.body'));
// The clerk's message is plain text from the window system and is only ever set as textContent.
export const mountPaused = mountMessage(
  'paused',
  'paused.title',
  (view) => view.pauseMessage ?? t('paused.body'),
);
export const mountClosed = mountMessage('closed', 'closed.title', () => t('closed.body'));
