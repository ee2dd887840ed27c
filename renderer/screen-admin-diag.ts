/**
 * The technician's diagnostics screen: devices, key/LED/buzzer test, ID reader test (masked only), sync
 * with dead letters and resend, storage (on-demand database check), versions, log export, and every error
 * code shown with its name and README anchor (the kiosk has no browser: the anchor is text to look up).
 *
 * Diagnostics are fetched with `adminDiagnostics()` every 2 s while the screen is shown; the key test comes
 * with the view (the core pushes a view for every KEY_EVENT while it is on). Server strings go in through
 * textContent only. A section is rebuilt only when its data changed, so buttons keep focus between refreshes.
 */
import type { AdminCodeInfo, AdminDiagnostics, KioskView } from '../src/shared/kiosk-api.js';
import {
  codeInfo,
  defaultExportDir,
  formatBytes,
  formatDuration,
  formatTime,
  secondsSince,
} from './admin-format.js';
import { el, setText } from './dom.js';
import { t, type I18nKey } from './i18n.js';
import { SYNC_ERRORS } from '../src/shared/errors/index.js';
import type { MountedScreen, ScreenContext } from './screen.js';

export const DIAGNOSTICS_REFRESH_MS = 2000;
const TOUCH_THROTTLE_MS = 5000;

interface Section {
  root: HTMLElement;
  body: HTMLElement;
  sig: string;
}

function section(titleKey: I18nKey, name: string): Section {
  const body = el('div', { className: 'admin-card-body' });
  const heading = el('h2', { className: 'admin-card-title', text: t(titleKey) });
  const root = el(
    'section',
    { className: `admin-card admin-${name}`, attrs: { 'data-testid': `admin-${name}` } },
    [heading, body],
  );
  return { root, body, sig: '' };
}

/** Replaces a section's content only when `data` differs from what it shows. */
function fill(s: Section, data: unknown, build: () => Array<Node | null>): void {
  const sig = JSON.stringify(data);
  if (sig === s.sig) return;
  s.sig = sig;
  s.body.replaceChildren(...build().filter((n): n is Node => n !== null));
}

/** `E4004 pad.link-lost · README.md#e4004` as three spans, so the code is readable and the anchor findable. */
function codeLine(code: string, codes: readonly AdminCodeInfo[], className = 'admin-code'): HTMLElement {
  const info = codeInfo(code, codes);
  return el('p', { className, attrs: { 'data-code': info.code } }, [
    el('span', { className: 'admin-code-id', text: info.code }),
    info.name === null ? null : el('span', { className: 'admin-code-name', text: info.name }),
    el('span', { className: 'admin-code-readme', text: t('admin.codes.readme', { anchor: info.readme }) }),
  ]);
}

const line = (text: string, className = 'admin-line'): HTMLElement => el('p', { className, text });

function stateKey(state: string): I18nKey {
  if (state === 'connected') return 'admin.device.connected';
  if (state === 'connecting') return 'admin.device.connecting';
  return 'admin.device.disconnected';
}

export function mountAdminDiagnostics(view: KioskView, ctx: ScreenContext): MountedScreen {
  let current = view;
  let diag: AdminDiagnostics | null = null;
  let storageResult: { ok: boolean; text: string } | null = null;
  let exportResult: string | null = null;
  let lastTouch = 0;
  let disposed = false;

  const idle = el('p', { className: 'admin-idle', attrs: { 'data-testid': 'admin-idle' } });
  const exit = el('button', {
    className: 'admin-exit',
    text: t('admin.exit'),
    attrs: { type: 'button', 'data-testid': 'admin-exit' },
  });
  exit.addEventListener('click', () => void ctx.act(() => ctx.api.adminExit()));
  const head = el('header', { className: 'admin-head' }, [
    el('h1', { className: 'admin-title', text: t('admin.title') }),
    idle,
    exit,
  ]);

  const devices = section('admin.section.devices', 'devices');
  const keys = section('admin.section.keys', 'keys');
  const reader = section('admin.section.reader', 'reader');
  const sync = section('admin.section.sync', 'sync');
  const storage = section('admin.section.storage', 'storage');
  const versions = section('admin.section.versions', 'versions');
  const exporter = section('admin.section.export', 'export');
  const codes = section('admin.section.codes', 'codes');

  // ── key / LED / buzzer test: from the view ───────────────────────────────────────────────────────
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

  // ── storage check and export: local controls that survive refreshes ───────────────────────────────
  const checkButton = el('button', {
    className: 'admin-action',
    text: t('admin.storage.check'),
    attrs: { type: 'button', 'data-testid': 'storage-check' },
  });
  const checkOut = el('p', {
    className: 'admin-line',
    attrs: { role: 'status', 'data-testid': 'storage-result' },
  });
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
  const renderStorageResult = (): void => {
    checkOut.hidden = storageResult === null;
    setText(checkOut, storageResult?.text ?? '');
    checkOut.classList.toggle('admin-bad', storageResult?.ok === false);
  };

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

  const refusedText = (code: string): string => {
    const info = codeInfo(code, diag?.codes ?? []);
    return `${t('admin.refused', { code: info.code, name: info.name ?? '' })} · ${t('admin.codes.readme', { anchor: info.readme })}`;
  };

  // ── sections from the diagnostics answer ─────────────────────────────────────────────────────────
  const render = (d: AdminDiagnostics): void => {
    const known = d.codes;
    fill(
      devices,
      [d.devices.map((x) => ({ ...x, lastFrameAt: secondsSince(x.lastFrameAt, d.now) })), known],
      () =>
        d.devices.length === 0
          ? [line(t('admin.device.none'), 'admin-line admin-muted')]
          : d.devices.map((device) => {
              const since = secondsSince(device.lastFrameAt, d.now);
              const c = device.counters;
              return el(
                'div',
                {
                  className: 'admin-device',
                  attrs: { 'data-testid': `device-${device.kind}`, 'data-state': device.state },
                },
                [
                  el('p', { className: 'admin-device-head' }, [
                    el('span', {
                      className: 'admin-device-name',
                      text: device.kind === 'pad' ? t('admin.device.pad') : t('admin.device.reader'),
                    }),
                    el('span', {
                      className: `admin-badge admin-badge-${device.state === 'connected' ? 'ok' : device.state === 'connecting' ? 'wait' : 'bad'}`,
                      text: t(stateKey(device.state)),
                      attrs: { 'data-testid': `device-${device.kind}-state` },
                    }),
                  ]),
                  line(
                    t('admin.device.link', { transport: device.transport, path: device.path }),
                    'admin-line admin-mono',
                  ),
                  device.model === null && device.firmware === null
                    ? null
                    : line(
                        t('admin.device.model', {
                          model: device.model ?? '?',
                          firmware: device.firmware ?? '?',
                          serial: device.serial ?? '?',
                        }),
                      ),
                  device.kind === 'reader'
                    ? line(
                        device.samId === null
                          ? t('admin.reader.noSam')
                          : t('admin.reader.sam', { samId: device.samId }),
                      )
                    : null,
                  line(
                    t('admin.device.counters', {
                      in: c['framesIn'] ?? 0,
                      out: c['framesOut'] ?? 0,
                      discarded: c['bytesDiscarded'] ?? 0,
                      check: c['checkErrors'] ?? 0,
                      reconnects: c['reconnects'] ?? 0,
                    }),
                    'admin-line admin-small',
                  ),
                  line(
                    since === null
                      ? t('admin.device.noFrame')
                      : t('admin.device.lastFrame', { seconds: since }),
                    'admin-line admin-small',
                  ),
                  device.lastError === null
                    ? line(t('admin.device.noError'), 'admin-line admin-small admin-muted')
                    : codeLine(device.lastError, known),
                ],
              );
            }),
    );

    const readerDevice = d.devices.find((x) => x.kind === 'reader') ?? null;
    fill(reader, [readerDevice?.samId ?? null, d.readerTest], () => [
      line(
        readerDevice?.samId ? t('admin.reader.sam', { samId: readerDevice.samId }) : t('admin.reader.noSam'),
      ),
      d.readerTest === null
        ? line(t('admin.reader.noCard'), 'admin-line admin-muted')
        : el('p', {
            className: 'admin-line admin-card-read',
            text: t('admin.reader.lastCard', { name: d.readerTest.maskedName, id: d.readerTest.maskedId }),
            attrs: { 'data-testid': 'reader-last-card' },
          }),
    ]);

    fill(sync, [d.sync, d.outbox, d.catalogue.version, known], () => {
      const syncNow = el('button', {
        className: 'admin-action',
        text: t('admin.sync.now'),
        attrs: { type: 'button', 'data-testid': 'sync-now' },
      });
      syncNow.addEventListener('click', () => {
        void ctx.act(() => ctx.api.adminSyncNow()).then(() => refresh());
      });
      const dead = d.outbox.deadLetters.map((letter) => {
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

    setText(exportHint, t('admin.export.hint', { roots: d.exportRoots.join(', ') }));
    if (exportInput.value === '' && d.exportRoots.length > 0) {
      const root = d.exportRoots[d.exportRoots.length - 1] ?? '';
      exportInput.value = defaultExportDir(root, d.now);
    }

    fill(codes, known, () =>
      known.length === 0
        ? [line(t('admin.codes.none'), 'admin-line admin-muted')]
        : known.map((info) => codeLine(info.code, known)),
    );
  };

  // ── refresh loop and idle countdown ───────────────────────────────────────────────────────────────
  let inFlight = false;
  async function refresh(): Promise<void> {
    if (disposed || inFlight) return;
    inFlight = true;
    try {
      const result = await ctx.api.adminDiagnostics();
      if (!disposed && result.ok) {
        diag = result.diagnostics;
        render(diag);
      }
    } catch {
      // The transport is down; the chrome shows 正在重新连接 and the next tick tries again.
    } finally {
      inFlight = false;
    }
  }
  const renderIdle = (): void => {
    const deadline = current.admin?.idleDeadline ?? current.now;
    const left = deadline - current.now - (performance.now() - ctx.receivedAt());
    setText(idle, t('admin.idle', { time: formatDuration(left) }));
  };

  const grid = el('div', { className: 'admin-grid' }, [
    devices.root,
    keys.root,
    reader.root,
    sync.root,
    storage.root,
    exporter.root,
    versions.root,
    codes.root,
  ]);
  const root = el(
    'main',
    { className: 'screen screen-admin screen-admin-diag', attrs: { 'data-screen': 'admin' } },
    [head, grid],
  );
  // A touch anywhere on the admin screens is activity (the 2 s refresh is not): throttled keep-alive.
  root.addEventListener('pointerdown', () => {
    const now = performance.now();
    if (now - lastTouch < TOUCH_THROTTLE_MS) return;
    lastTouch = now;
    void ctx.api.adminTouch().catch(() => undefined);
  });

  renderKeys();
  renderIdle();
  void refresh();
  const refreshTimer = window.setInterval(() => void refresh(), DIAGNOSTICS_REFRESH_MS);
  const idleTimer = window.setInterval(renderIdle, 1000);

  return {
    root,
    update(next) {
      current = next;
      renderKeys();
      renderIdle();
    },
    dispose() {
      disposed = true;
      window.clearInterval(refreshTimer);
      window.clearInterval(idleTimer);
    },
  };
}
