/**
 * What every screen module provides, and the countdown they share. A screen is mounted when its
 * screenKey (view-model.ts) changes and updated in place otherwise.
 */
import type { ActionResult, KioskApi, KioskView, SessionView } from '../src/shared/kiosk-api.js';
import { el, setText } from './dom.js';
import { t } from './i18n.js';
import { countdownSeconds } from './view-model.js';

export interface ScreenContext {
  readonly api: KioskApi;
  /** performance.now() when the view being shown arrived (the countdown is measured from it). */
  receivedAt(): number;
  /** Sends an intent; on refusal or a lost connection shows a quiet note and resolves false. */
  act(call: () => Promise<ActionResult>): Promise<boolean>;
}

export interface MountedScreen {
  readonly root: HTMLElement;
  update(view: KioskView): void;
  dispose(): void;
}

export type ScreenFactory = (view: KioskView, ctx: ScreenContext) => MountedScreen;

/**
 * A visible countdown to `session.deadline`. It ticks four times a second but only writes the DOM when the
 * number changes, which keeps weak kiosk GPUs idle.
 */
export function createCountdown(
  ctx: ScreenContext,
  view: KioskView,
): {
  root: HTMLElement;
  update(view: KioskView): void;
  dispose(): void;
} {
  const value = el('span', { className: 'countdown-value' });
  const root = el('p', { className: 'countdown', attrs: { role: 'timer', 'aria-live': 'off' } }, [value]);
  let session: SessionView | null = view.session;
  let viewNow = view.now;
  const tick = (): void => {
    if (session === null) return setText(value, '');
    const seconds = countdownSeconds(session.deadline, viewNow, performance.now() - ctx.receivedAt());
    setText(value, t('rate.countdown', { seconds }));
  };
  tick();
  const timer = window.setInterval(tick, 250);
  return {
    root,
    update(next) {
      session = next.session;
      viewNow = next.now;
      tick();
    },
    dispose() {
      window.clearInterval(timer);
    },
  };
}
