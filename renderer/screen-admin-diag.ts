/**
 * The technician's diagnostics screen: devices, key/LED/buzzer test, ID reader test (masked only), sync
 * with dead letters and resend, storage (on-demand database check), versions, log export, and every error
 * code shown with its name and README anchor (the kiosk has no browser: the anchor is text to look up).
 *
 * Diagnostics are fetched with `adminDiagnostics()` every 2 s while the screen is shown; the key test comes
 * with the view (the core pushes a view for every KEY_EVENT while it is on). Server strings go in through
 * textContent only. A section is rebuilt only when its data changed, so buttons keep focus between refreshes.
 *
 * This file composes the cards (screen-admin-keys, -devices, -sync, -storage, -export, -info,
 * -settings, -firstrun.ts; shared pieces in admin-card.ts and screen-admin-form.ts) and owns the header, the refresh loop, the idle countdown and the keep-alive.
 */
import type { AdminDiagnostics, KioskView } from '../src/shared/kiosk-api.js';
import { refusedText, type DiagCard, type DiagCardContext } from './admin-card.js';
import { formatDuration } from './admin-format.js';
import { el, setText } from './dom.js';
import { t } from './i18n.js';
import type { MountedScreen, ScreenContext } from './screen.js';
import { createDevicesCard, createReaderCard } from './screen-admin-devices.js';
import { createExportCard } from './screen-admin-export.js';
import { createFirstRunCard } from './screen-admin-firstrun.js';
import { createCodesCard, createVersionsCard } from './screen-admin-info.js';
import { createKeysCard } from './screen-admin-keys.js';
import { createSettingsCard } from './screen-admin-settings.js';
import { createStorageCard } from './screen-admin-storage.js';
import { createSyncCard } from './screen-admin-sync.js';

export const DIAGNOSTICS_REFRESH_MS = 2000;
const TOUCH_THROTTLE_MS = 5000;

export function mountAdminDiagnostics(view: KioskView, ctx: ScreenContext): MountedScreen {
  let current = view;
  let diag: AdminDiagnostics | null = null;
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

  const cardContext: DiagCardContext = {
    ctx,
    refresh: () => refresh(),
    refusedText: (code) => refusedText(code, diag?.codes ?? []),
  };
  const devices = createDevicesCard();
  const keys = createKeysCard(view, ctx);
  const reader = createReaderCard();
  const sync = createSyncCard(cardContext);
  const storage = createStorageCard(cardContext);
  const exporter = createExportCard(cardContext);
  const versions = createVersionsCard();
  const codes = createCodesCard();
  // 首次设置 only on an unprovisioned demo device; 设置 explains it there. Chosen once per mount, so the
  // issued tokens stay on screen until the admin screens close.
  const firstRun = view.demo && !view.admin?.settings ? createFirstRunCard(cardContext) : null;
  const settings = createSettingsCard(view, cardContext);
  /** The cards drawn from the diagnostics answer, in the order they are rendered. */
  const diagCards: DiagCard[] = [devices, reader, sync, storage, versions, exporter, codes];

  // ── refresh loop and idle countdown ───────────────────────────────────────────────────────────────
  let inFlight = false;
  async function refresh(): Promise<void> {
    if (disposed || inFlight) return;
    inFlight = true;
    try {
      const result = await ctx.api.adminDiagnostics();
      if (!disposed && result.ok) {
        diag = result.diagnostics;
        for (const card of diagCards) card.render(diag);
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
    firstRun,
    settings,
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

  keys.update(current);
  renderIdle();
  void refresh();
  const refreshTimer = window.setInterval(() => void refresh(), DIAGNOSTICS_REFRESH_MS);
  const idleTimer = window.setInterval(renderIdle, 1000);

  return {
    root,
    update(next) {
      current = next;
      keys.update(next);
      renderIdle();
    },
    dispose() {
      disposed = true;
      window.clearInterval(refreshTimer);
      window.clearInterval(idleTimer);
    },
  };
}
