/**
 * The storage card of the diagnostics screen: record chain, database and free space, and the on-demand
 * database check. The check button and its result are kept across refreshes (only the lines around them
 * are rebuilt), so a running check keeps its disabled button and a finished one keeps its answer.
 */
import { fill, line, section, type DiagCard, type DiagCardContext, codeLine } from './admin-card.js';
import { formatBytes } from './admin-format.js';
import { el, setText } from './dom.js';
import { t } from './i18n.js';

export function createStorageCard(card: DiagCardContext): DiagCard {
  const { ctx, refresh, refusedText } = card;
  const storage = section('admin.section.storage', 'storage');
  let storageResult: { ok: boolean; text: string } | null = null;

  const checkButton = el('button', {
    className: 'admin-action',
    text: t('admin.storage.check'),
    attrs: { type: 'button', 'data-testid': 'storage-check' },
  });
  const checkOut = el('p', {
    className: 'admin-line',
    attrs: { role: 'status', 'data-testid': 'storage-result' },
  });
  const renderStorageResult = (): void => {
    checkOut.hidden = storageResult === null;
    setText(checkOut, storageResult?.text ?? '');
    checkOut.classList.toggle('admin-bad', storageResult?.ok === false);
  };
  checkButton.addEventListener('click', () => {
    checkButton.disabled = true;
    void ctx.api
      .adminStorageCheck()
      .then(
        (result) => {
          if (result.ok) {
            const fine = result.quickCheck.length === 1 && result.quickCheck[0] === 'ok';
            storageResult = {
              ok: fine,
              text: fine
                ? t('admin.storage.checkOk')
                : t('admin.storage.checkFailed', { detail: result.quickCheck.slice(0, 3).join('; ') }),
            };
          } else storageResult = { ok: false, text: refusedText(result.code) };
        },
        () => (storageResult = { ok: false, text: t('app.reconnecting') }),
      )
      .finally(() => {
        checkButton.disabled = false;
        renderStorageResult();
        void refresh();
      });
  });

  return {
    root: storage.root,
    render(d) {
      const known = d.codes;
      fill(storage, [d.chain, d.storage, known], () => [
        d.chain.ok
          ? line(t('admin.storage.chainOk', { seq: d.chain.lastSeq }))
          : el('div', { className: 'admin-error' }, [
              line(t('admin.storage.chainBroken', { seq: d.chain.brokenAt ?? '?' }), 'admin-line admin-bad'),
              d.chain.code === null ? null : codeLine(d.chain.code, known),
            ]),
        line(
          t('admin.storage.db', {
            size: formatBytes(d.storage.databaseBytes),
            wal: formatBytes(d.storage.walBytes),
          }),
        ),
        line(t('admin.storage.free', { size: formatBytes(d.storage.freeBytes) })),
        el('div', { className: 'admin-buttons' }, [checkButton]),
        checkOut,
      ]);
      renderStorageResult();
    },
  };
}
