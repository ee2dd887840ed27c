/**
 * The renderer: shows the latest KioskView and nothing else. Views older than the one shown are ignored;
 * the screen is rebuilt only when its identity (screenKey) changes, so countdowns, chosen reasons and typed
 * text survive the frequent views in between.
 */
import type { ActionResult, KioskApi, KioskView, Screen } from '../src/shared/kiosk-api.js';
import { SESSION_ERRORS } from '../src/shared/errors/index.js';
import { PromptPlayer } from './audio.js';
import { createChrome, type Chrome } from './chrome.js';
import { el } from './dom.js';
import { setI18nLanguage, t } from './i18n.js';
import type { MountedScreen, ScreenContext, ScreenFactory } from './screen.js';
import { installAdminCorner } from './admin-corner.js';
import { mountAdmin } from './screen-admin.js';
import { mountIdle } from './screen-idle.js';
import { mountClosed, mountPaused, mountThanks } from './screen-message.js';
import { mountRate } from './screen-rate.js';
import { mountReasons } from './screen-reasons.js';
import { mountSetup } from './screen-setup.js';
import {
  audioSettings,
  effectiveScreen,
  isStale,
  promptFor,
  screenKey,
  shownState,
  type ShownState,
} from './view-model.js';

const FACTORIES: Record<Screen, ScreenFactory> = {
  idle: mountIdle,
  rate: mountRate,
  reasons: mountReasons,
  thanks: mountThanks,
  paused: mountPaused,
  closed: mountClosed,
  admin: mountAdmin,
  setup: mountSetup,
};

/** How long after a session's deadline the renderer asks the core for the view again. */
const DEADLINE_GRACE_MS = 400;
const SAVE_FAILED_CODE = SESSION_ERRORS.commitFailed.code;

export class KioskRenderer {
  private shown: KioskView | null = null;
  private receivedAt = 0;
  private mounted: MountedScreen | null = null;
  private mountedKey = '';
  private mountedScreen: Screen | null = null;
  private readonly chrome: Chrome;
  private readonly stage: HTMLElement;
  private readonly ctx: ScreenContext;
  private queue: Promise<void> = Promise.resolve();
  private readonly prompts = new PromptPlayer();
  private lastShown: ShownState | null = null;
  private deadlineTimer = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: KioskApi,
  ) {
    this.ctx = { api, receivedAt: () => this.receivedAt, act: (call) => this.act(call) };
    this.chrome = createChrome(api, (call) => this.act(call));
    this.stage = el('div', { className: 'stage' });
    root.replaceChildren(this.chrome.top, this.stage, this.chrome.bottom);
    // The hidden corner long-press opens the admin screens; a refusal (a citizen is rating) stays silent.
    installAdminCorner(document, {
      enabled: () => this.mountedScreen !== 'admin',
      open: () => void api.adminOpen().catch(() => undefined),
    });
  }

  /** Views are applied strictly in arrival order (a language switch awaits i18next before rendering). */
  show(view: KioskView): Promise<void> {
    this.queue = this.queue.then(() => this.apply(view)).catch((error: unknown) => console.error(error));
    return this.queue;
  }

  setConnected(connected: boolean): void {
    this.chrome.setConnected(connected);
  }

  private async apply(view: KioskView): Promise<void> {
    if (isStale(view, this.shown)) return;
    this.shown = view;
    this.receivedAt = performance.now();
    await setI18nLanguage(view.language);
    const html = document.documentElement;
    html.lang = view.language;
    html.classList.toggle('large-type', view.largeType);

    this.chrome.update(view);
    this.playPrompt(view);
    this.watchDeadline(view);
    const key = screenKey(view);
    const screen = effectiveScreen(view);
    if (this.mounted !== null && key === this.mountedKey) {
      this.mounted.update(view);
      return;
    }
    this.mounted?.dispose();
    this.mounted = FACTORIES[screen](view, this.ctx);
    this.mountedKey = key;
    this.stage.replaceChildren(this.mounted.root);
    this.root.dataset['screen'] = screen;
    if (screen !== this.mountedScreen) {
      this.mountedScreen = screen;
      const version = view.version;
      // Marked in the next animation frame, after this DOM update, so tests and bench/ can read paint time.
      // One entry per name is kept: a kiosk runs for months and the timeline would otherwise grow forever.
      requestAnimationFrame(() => {
        performance.clearMarks(`screen:${screen}`);
        performance.mark(`screen:${screen}`, { detail: { version } });
      });
    }
  }

  /**
   * Asks the core again shortly after the session's deadline. The core pushes a view when a session times
   * out, but should that push ever be missing, the citizen would face buttons that can only be refused;
   * getView() then brings the true screen (idle after a timeout).
   */
  private watchDeadline(view: KioskView): void {
    window.clearTimeout(this.deadlineTimer);
    const session = view.session;
    if (session === null) return;
    const left = Math.max(0, session.deadline - view.now);
    this.deadlineTimer = window.setTimeout(() => {
      void this.api.getView().then(
        (next) => this.show(next),
        () => undefined,
      );
    }, left + DEADLINE_GRACE_MS);
  }

  private playPrompt(view: KioskView): void {
    const next = shownState(view);
    const prompt = promptFor(this.lastShown, next);
    this.lastShown = next;
    const audio = audioSettings(view);
    if (prompt !== null && audio.enabled) this.prompts.play(prompt, audio.volume);
  }

  private async act(call: () => Promise<ActionResult>): Promise<boolean> {
    try {
      const result = await call();
      if (result.ok) return true;
      // E7050: the press was not saved and the session is still open; the citizen is asked to press again.
      this.chrome.notice(
        result.code === SAVE_FAILED_CODE
          ? t('rate.saveFailed', { code: result.code })
          : t('app.actionFailed', { code: result.code }),
      );
    } catch (error) {
      // The Electron preload rejects refused calls as `Error('E8001: …')` (contextBridge keeps only the
      // message); anything without a code is a lost transport.
      const code = /^(E\d{4}):/.exec(error instanceof Error ? error.message : '')?.[1];
      this.chrome.notice(code === undefined ? t('app.reconnecting') : t('app.actionFailed', { code }));
    }
    return false;
  }
}
