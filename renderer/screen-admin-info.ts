/**
 * The reference cards of the diagnostics screen: versions (app, runtime, uptime) and every error code the
 * kiosk knows, with its name and README anchor (the kiosk has no browser: the anchor is text to look up).
 */
import { codeLine, fill, line, section, type DiagCard } from './admin-card.js';
import { formatDuration } from './admin-format.js';
import { t } from './i18n.js';

export function createVersionsCard(): DiagCard {
  const versions = section('admin.section.versions', 'versions');
  return {
    root: versions.root,
    render(d) {
      fill(versions, [d.version, d.node, d.electron, d.uptimeSec], () => [
        line(t('admin.versions.app', { version: d.version })),
        line(
          t('admin.versions.runtime', { node: d.node, electron: d.electron ?? '—' }),
          'admin-line admin-small',
        ),
        line(
          t('admin.versions.uptime', { time: formatDuration(d.uptimeSec * 1000) }),
          'admin-line admin-small',
        ),
      ]);
    },
  };
}

export function createCodesCard(): DiagCard {
  const codes = section('admin.section.codes', 'codes');
  return {
    root: codes.root,
    render(d) {
      const known = d.codes;
      fill(codes, known, () =>
        known.length === 0
          ? [line(t('admin.codes.none'), 'admin-line admin-muted')]
          : known.map((info) => codeLine(info.code, known)),
      );
    },
  };
}
