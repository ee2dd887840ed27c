/**
 * Rate: five large buttons, 非常满意 … 非常不满意 left to right (same order as the pad and keys 1–5), the
 * countdown, the masked citizen once a card was read, and the QR for rating on a phone (domain-rules §8).
 */
import { toCanvas } from 'qrcode';
import type { KioskView } from '../src/shared/kiosk-api.js';
import { LEVEL_KEYS, type LevelKey } from '../src/shared/levels.js';
import { el, setText } from './dom.js';
import { faceIcon } from './face-icon.js';
import { t } from './i18n.js';
import { createCountdown, type MountedScreen, type ScreenContext } from './screen.js';
import { safeQrUrl } from './view-model.js';

export function mountRate(view: KioskView, ctx: ScreenContext): MountedScreen {
  let session = view.session;
  let busy = false;
  const countdown = createCountdown(ctx, view);
  // Real-name (domain-rules §5): until a card is read, a prompt to place it on the reader; then the masked
  // name and number only.
  const citizen = el('p', { className: 'citizen', attrs: { 'data-testid': 'real-name' } });
  const ticket = el('p', { className: 'session-ticket' });
  // A press that could not be saved (E7050, disk full): the session is still open, so ask for another press.
  const saveFailed = el('p', {
    className: 'save-failed',
    attrs: { role: 'alert', 'data-testid': 'save-failed' },
  });
  const qrCanvas = el('canvas', {
    className: 'qr-canvas',
    attrs: { role: 'img', 'aria-label': t('rate.qrAlt') },
  });
  const qr = el('figure', { className: 'qr' }, [qrCanvas, el('figcaption', { text: t('rate.qr') })]);
  let qrDrawn: string | null = null;

  const buttons = LEVEL_KEYS.map((level, index) =>
    el(
      'button',
      {
        className: `level level-${level}`,
        attrs: { type: 'button', 'data-level': level, 'aria-keyshortcuts': String(index + 1) },
      },
      [faceIcon(level), el('span', { className: 'level-text', text: t(`level.${level}`) })],
    ),
  );

  const press = async (level: LevelKey): Promise<void> => {
    if (busy || session === null) return;
    // One press per session (一次一评): lock the buttons until the core answers or moves the screen on.
    busy = true;
    for (const button of buttons) button.disabled = true;
    const sessionId = session.sessionId;
    const ok = await ctx.act(() => ctx.api.rate(sessionId, level));
    if (!ok) {
      busy = false;
      for (const button of buttons) button.disabled = false;
    }
  };
  buttons.forEach((button, index) => {
    const level = LEVEL_KEYS[index]!;
    button.addEventListener('click', () => void press(level));
  });

  const root = el('main', { className: 'screen screen-rate', attrs: { 'data-screen': 'rate' } }, [
    el('header', { className: 'rate-head' }, [
      el('h1', { className: 'screen-title', text: t('rate.title') }),
      el('div', { className: 'rate-meta' }, [ticket, countdown.root]),
    ]),
    saveFailed,
    el('div', { className: 'levels', attrs: { role: 'group', 'aria-label': t('rate.title') } }, buttons),
    el('footer', { className: 'rate-foot' }, [
      el('div', { className: 'rate-foot-text' }, [
        citizen,
        el('p', { className: 'hint', text: t('rate.keysHint') }),
      ]),
      qr,
    ]),
  ]);

  const apply = (next: KioskView): void => {
    session = next.session;
    countdown.update(next);
    setText(ticket, session === null ? '' : t('rate.ticket', { ticketNo: session.ticketNo }));
    const failed = next.saveFailed ?? null;
    saveFailed.hidden = failed === null;
    setText(saveFailed, failed === null ? '' : t('rate.saveFailed', { code: failed.code }));
    if (failed !== null) {
      busy = false;
      for (const button of buttons) button.disabled = false;
    }
    const person = session?.citizen ?? null;
    citizen.classList.toggle('citizen-read', person !== null);
    setText(
      citizen,
      person === null
        ? t('rate.realNameHint')
        : `${t('rate.realNameDone')} · ${t('rate.citizen', { name: person.maskedName, id: person.maskedId })}`,
    );
    const url = safeQrUrl(session?.qrUrl ?? null);
    qr.hidden = url === null;
    if (url !== null && url !== qrDrawn) {
      qrDrawn = url;
      // Drawn once per URL: the QR library is the only canvas work on this screen.
      void toCanvas(qrCanvas, url, { width: 176, margin: 1, errorCorrectionLevel: 'M' }).catch(() => {
        qr.hidden = true;
      });
    }
  };
  apply(view);

  return {
    root,
    update: apply,
    dispose() {
      countdown.dispose();
    },
  };
}
