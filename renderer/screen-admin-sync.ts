/**
 * The sync card of the diagnostics screen: state, outbox depth, last error, clock offset, catalogue
 * version, and the dead letters (records the province rejected), each with a resend button, plus sync now.
 */
import type { AdminDiagnostics } from '../src/shared/kiosk-api.js';
import { SYNC_ERRORS } from '../src/shared/errors/index.js';
import { codeLine, fill, line, section, type DiagCard, type DiagCardContext } from './admin-card.js';
import { formatTime } from './admin-format.js';
import { el } from './dom.js';
import { t } from './i18n.js';

function deadLetterItems(d: AdminDiagnostics, card: DiagCardContext): HTMLElement[] {
  const { ctx, refresh } = card;
  const known = d.codes;
  return d.outbox.deadLetters.map((letter) => {
    const resend = el('button', {
      className: 'admin-action admin-small-button',
      text: t('admin.sync.resend'),
      attrs: {
        type: 'button',
        'aria-label': t('admin.sync.resendLabel', { seq: letter.seq }),
        'data-testid': `resend-${letter.seq}`,
      },
    });
    resend.addEventListener('click', () => {
      resend.disabled = true;
      void ctx.act(() => ctx.api.adminResend(letter.seq)).then(() => refresh());
    });
    return el('li', { className: 'admin-dead', attrs: { 'data-testid': `dead-${letter.seq}` } }, [
      el('div', { className: 'admin-dead-text' }, [
        line(
          `${t('admin.sync.deadItem', { seq: letter.seq })} · ${formatTime(letter.at)}`,
          'admin-line admin-small',
        ),
        // The kiosk's code for a rejected record (with its README entry), then the province's own code.
        codeLine(SYNC_ERRORS.rejected.code, known),
        line(
          t('admin.sync.provinceCode', { code: letter.code, message: letter.message }),
          'admin-line admin-small admin-mono',
        ),
      ]),
      resend,
    ]);
  });
}

export function createSyncCard(card: DiagCardContext): DiagCard {
  const { ctx, refresh } = card;
  const sync = section('admin.section.sync', 'sync');
  return {
    root: sync.root,
    render(d) {
      const known = d.codes;
      fill(sync, [d.sync, d.outbox, d.catalogue.version, known], () => {
        const syncNow = el('button', {
          className: 'admin-action',
          text: t('admin.sync.now'),
          attrs: { type: 'button', 'data-testid': 'sync-now' },
        });
        syncNow.addEventListener('click', () => {
          void ctx.act(() => ctx.api.adminSyncNow()).then(() => refresh());
        });
        const dead = deadLetterItems(d, card);
        return [
          line(t('admin.sync.state', { state: d.sync.state })),
          line(t('admin.sync.depth', { count: d.outbox.depth, delivered: d.outbox.delivered })),
          d.outbox.oldestUnsentAt === null
            ? null
            : line(t('admin.sync.oldest', { time: formatTime(d.outbox.oldestUnsentAt) })),
          d.sync.lastError === null
            ? line(t('admin.sync.noError'), 'admin-line admin-muted')
            : el('div', { className: 'admin-error' }, [
                line(
                  `${t('admin.sync.lastError')} ${formatTime(d.sync.lastError.at)}`,
                  'admin-line admin-small',
                ),
                codeLine(d.sync.lastError.code, known),
              ]),
          line(
            d.sync.clockOffsetMs === null
              ? t('admin.sync.clockUnknown')
              : t('admin.sync.clock', { seconds: (d.sync.clockOffsetMs / 1000).toFixed(1) }),
          ),
          line(t('admin.sync.catalogue', { version: d.catalogue.version })),
          line(
            d.outbox.deadLetters.length === 0
              ? t('admin.sync.noDead')
              : t('admin.sync.dead', { count: d.outbox.deadLetters.length }),
            'admin-line admin-strong',
          ),
          dead.length === 0 ? null : el('ul', { className: 'admin-dead-list' }, dead),
          el('div', { className: 'admin-buttons' }, [syncNow]),
        ];
      });
    },
  };
}
