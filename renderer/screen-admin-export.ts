/**
 * The log export card of the diagnostics screen: a folder field (prefilled once with a dated folder under
 * the last allowed root), the export button and its answer. The main process validates the folder; the
 * allowed roots are shown as a hint only.
 */
import { section, type DiagCard, type DiagCardContext } from './admin-card.js';
import { defaultExportDir, formatBytes } from './admin-format.js';
import { el, setText } from './dom.js';
import { t } from './i18n.js';

export function createExportCard(card: DiagCardContext): DiagCard {
  const { ctx, refusedText } = card;
  const exporter = section('admin.section.export', 'export');
  let exportResult: string | null = null;

  const exportInput = el('input', {
    className: 'admin-input',
    attrs: {
      type: 'text',
      id: 'admin-export-path',
      spellcheck: 'false',
      autocomplete: 'off',
      'data-testid': 'export-path',
    },
  });
  const exportLabel = el('label', {
    className: 'admin-label',
    text: t('admin.export.label'),
    attrs: { for: 'admin-export-path' },
  });
  const exportButton = el('button', {
    className: 'admin-action',
    text: t('admin.export.button'),
    attrs: { type: 'button', 'data-testid': 'export-logs' },
  });
  const exportHint = el('p', { className: 'admin-line admin-muted' });
  const exportOut = el('p', {
    className: 'admin-line',
    attrs: { role: 'status', 'data-testid': 'export-result' },
  });
  exportButton.addEventListener('click', () => {
    exportButton.disabled = true;
    void ctx.api
      .adminExportLogs(exportInput.value.trim())
      .then(
        (result) => {
          exportResult = result.ok
            ? t('admin.export.done', { files: result.files, size: formatBytes(result.bytes) })
            : refusedText(result.code);
        },
        () => (exportResult = t('app.reconnecting')),
      )
      .finally(() => {
        exportButton.disabled = false;
        exportOut.hidden = exportResult === null;
        setText(exportOut, exportResult ?? '');
      });
  });
  exportOut.hidden = true;
  exporter.body.append(
    exportLabel,
    el('div', { className: 'admin-export-row' }, [exportInput, exportButton]),
    exportHint,
    exportOut,
  );

  return {
    root: exporter.root,
    render(d) {
      setText(exportHint, t('admin.export.hint', { roots: d.exportRoots.join(', ') }));
      // Prefilled only while empty: never overwrite what the technician typed.
      if (exportInput.value === '' && d.exportRoots.length > 0) {
        const root = d.exportRoots[d.exportRoots.length - 1] ?? '';
        exportInput.value = defaultExportDir(root, d.now);
      }
    },
  };
}
