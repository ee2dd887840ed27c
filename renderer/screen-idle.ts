/**
 * Idle: who serves at this window (clerk card with 星级), the ticket being served, and the notice that
 * ratings are real-name and how the data is protected (domain-rules §5).
 */
import type { ClerkCard, KioskView } from '../src/shared/kiosk-api.js';
import { el } from './dom.js';
import { t } from './i18n.js';
import type { MountedScreen } from './screen.js';
import { safePhotoSrc, starCount, starSlots } from './view-model.js';

function stars(value: number | null): HTMLElement {
  const slots = starSlots(value);
  const count = starCount(value);
  if (slots === null || count === null)
    return el('p', { className: 'stars stars-none', text: t('idle.starsNone') });
  const row = el('p', {
    className: 'stars',
    attrs: { role: 'img', 'aria-label': t('idle.stars', { count }) },
  });
  for (const filled of slots) {
    row.append(el('span', { className: filled ? 'star star-on' : 'star', text: filled ? '★' : '☆' }));
  }
  return row;
}

function clerkCard(clerk: ClerkCard | null): HTMLElement {
  if (clerk === null)
    return el('section', { className: 'clerk clerk-none' }, [el('p', { text: t('idle.noClerk') })]);
  const photo = safePhotoSrc(clerk.photo);
  return el('section', { className: 'clerk' }, [
    photo === null
      ? el('div', { className: 'clerk-photo clerk-photo-none', attrs: { 'aria-hidden': 'true' } })
      : el('img', { className: 'clerk-photo', attrs: { src: photo, alt: t('idle.photoAlt') } }),
    el('div', { className: 'clerk-text' }, [
      el('p', { className: 'clerk-name', text: clerk.name, attrs: { 'data-testid': 'clerk-name' } }),
      clerk.title === null ? null : el('p', { className: 'clerk-title', text: clerk.title }),
      el('p', { className: 'clerk-staff', text: t('idle.staffNo', { staffId: clerk.staffId }) }),
      stars(clerk.stars),
    ]),
  ]);
}

function content(view: KioskView): HTMLElement[] {
  const ticket = view.calledTicket;
  return [
    el('div', { className: 'idle-main' }, [
      clerkCard(view.clerk),
      el('section', { className: 'ticket' }, [
        el('p', { className: 'ticket-label', text: ticket === null ? t('idle.noTicket') : t('idle.ticket') }),
        ticket === null ? null : el('p', { className: 'ticket-no', text: ticket }),
        el('p', { className: 'invite', text: t('idle.invite') }),
      ]),
    ]),
    el('aside', { className: 'privacy' }, [
      el('h2', { className: 'privacy-title', text: t('privacy.title') }),
      el('p', { className: 'privacy-body', text: t('privacy.body') }),
    ]),
  ];
}

export function mountIdle(view: KioskView): MountedScreen {
  const root = el(
    'main',
    { className: 'screen screen-idle', attrs: { 'data-screen': 'idle' } },
    content(view),
  );
  return {
    root,
    // Idle holds no input state, so rebuilding its few nodes is simpler than patching them.
    update(next) {
      root.replaceChildren(...content(next));
    },
    dispose() {},
  };
}
