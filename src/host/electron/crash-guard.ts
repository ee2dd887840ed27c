/**
 * What to do when the kiosk page's renderer dies. A reload fixes a one-off crash (OOM, GPU reset), but a
 * page that dies every time it loads would flash forever in front of citizens. So: reload at most
 * `maxReloads` times within `windowMs` (3 in 5 minutes); one more crash in that window shows the static
 * 暂停服务 page (build/paused.html, packaged as dist/renderer/paused.html and served on app://kiosk/ under
 * the same CSP: no script, no inline style) and raises a diagnostics flag. After `autoResumeMs` without a
 * crash the guard tries the app once more, so an unattended device recovers from a passing cause.
 *
 * The decision (`createCrashGuard`) is pure, with an injected clock; `attachCrashGuard` wires it to a
 * window. The wiring replaces window.ts's unconditional reload (see the report for the main.ts change).
 */
import type { BrowserWindow, RenderProcessGoneDetails } from 'electron';
import { HOST_ERRORS } from '../../shared/errors/index.js';
import { APP_ORIGIN } from './app-protocol.js';
import { consoleLog, type HostLog } from './electron-module.js';

export const PAUSED_URL = `${APP_ORIGIN}/paused.html`;

export interface CrashGuardOptions {
  /** Reloads allowed within `windowMs` (default 3). */
  maxReloads?: number;
  /** The sliding window (default 5 minutes). */
  windowMs?: number;
  /** Quiet time after which a paused kiosk tries the app again (default 30 minutes; 0 = never). */
  autoResumeMs?: number;
  now?: () => number;
}

export type CrashDecision = 'reload' | 'pause' | 'repaint-paused';

export interface CrashDiagnostics {
  /** True while the 暂停服务 page is shown: the diagnostics screen and logs report it. */
  readonly paused: boolean;
  readonly pausedSince: number | null;
  /** Renderer deaths since start. */
  readonly rendererGone: number;
  /** Reloads in the current window. */
  readonly recentReloads: number;
  readonly lastReason: string | null;
  readonly lastGoneAt: number | null;
}

export interface CrashGuard {
  /** Records one renderer death and says what to do about it. */
  onRendererGone(reason: string): CrashDecision;
  /** 'resume' when a paused kiosk has been quiet for autoResumeMs (the caller then loads the app). */
  tick(): 'resume' | 'none';
  /** Leaves the paused state by hand (diagnostics screen) and forgets recent crashes. */
  resume(): void;
  diagnostics(): CrashDiagnostics;
}

export function createCrashGuard(options: CrashGuardOptions = {}): CrashGuard {
  const maxReloads = options.maxReloads ?? 3;
  const windowMs = options.windowMs ?? 5 * 60_000;
  const autoResumeMs = options.autoResumeMs ?? 30 * 60_000;
  const now = options.now ?? Date.now;
  let reloads: number[] = [];
  let pausedSince: number | null = null;
  let rendererGone = 0;
  let lastReason: string | null = null;
  let lastGoneAt: number | null = null;

  const prune = (at: number): void => {
    reloads = reloads.filter((time) => at - time < windowMs);
  };

  return {
    onRendererGone(reason) {
      const at = now();
      rendererGone += 1;
      lastReason = reason;
      lastGoneAt = at;
      if (pausedSince !== null) return 'repaint-paused';
      prune(at);
      if (reloads.length >= maxReloads) {
        pausedSince = at;
        return 'pause';
      }
      reloads.push(at);
      return 'reload';
    },
    tick() {
      if (pausedSince === null || autoResumeMs <= 0) return 'none';
      const quietSince = Math.max(pausedSince, lastGoneAt ?? pausedSince);
      if (now() - quietSince < autoResumeMs) return 'none';
      this.resume();
      return 'resume';
    },
    resume() {
      pausedSince = null;
      reloads = [];
    },
    diagnostics() {
      prune(now());
      return {
        paused: pausedSince !== null,
        pausedSince,
        rendererGone,
        recentReloads: reloads.length,
        lastReason,
        lastGoneAt,
      };
    },
  };
}

export interface AttachCrashGuardOptions {
  guard: CrashGuard;
  /** The app page to go back to on resume (normally APP_URL). */
  appUrl: string;
  pausedUrl?: string;
  log?: HostLog;
  /** Told when the kiosk pauses or resumes (diagnostics, status to the window link). */
  onStateChange?: (diagnostics: CrashDiagnostics) => void;
  /** Auto-resume check interval (default one minute); the timer is unref'd. */
  tickMs?: number;
  setInterval?: (callback: () => void, ms: number) => { unref?(): unknown };
  clearInterval?: (handle: never) => void;
}

type GuardedWindow = Pick<BrowserWindow, 'isDestroyed' | 'loadURL'> & {
  readonly webContents: Pick<BrowserWindow['webContents'], 'on' | 'reload' | 'removeListener'>;
};

/** Wires the guard to the kiosk window; returns the function that detaches it. */
export function attachCrashGuard(window: GuardedWindow, options: AttachCrashGuardOptions): () => void {
  const log = options.log ?? consoleLog;
  const pausedUrl = options.pausedUrl ?? PAUSED_URL;
  const { guard } = options;
  const load = (url: string): void => {
    if (window.isDestroyed()) return;
    window.loadURL(url).catch((error: unknown) => log.error(`could not load ${url}: ${String(error)}`));
  };
  const listener = (_event: unknown, details: RenderProcessGoneDetails): void => {
    const decision = guard.onRendererGone(details.reason);
    const code = HOST_ERRORS.rendererGone.code;
    const what = `renderer gone (${details.reason}, exit ${details.exitCode})`;
    if (decision === 'reload') {
      log.error(`[${code}] ${what}; reloading`);
      if (!window.isDestroyed()) window.webContents.reload();
    } else if (decision === 'pause') {
      log.error(`[${code}] ${what}; too many crashes, showing 暂停服务`);
      load(pausedUrl);
      options.onStateChange?.(guard.diagnostics());
    } else {
      log.error(`[${code}] ${what} while paused; showing 暂停服务 again`);
      load(pausedUrl);
    }
  };
  window.webContents.on('render-process-gone', listener);
  const setTimer = options.setInterval ?? ((callback, ms) => setInterval(callback, ms));
  const clearTimer = options.clearInterval ?? ((handle) => clearInterval(handle));
  const timer = setTimer(() => {
    if (guard.tick() === 'resume') {
      log.info('no renderer crash for a while; trying the kiosk page again');
      load(options.appUrl);
      options.onStateChange?.(guard.diagnostics());
    }
  }, options.tickMs ?? 60_000);
  timer.unref?.();
  return () => {
    clearTimer(timer as never);
    window.webContents.removeListener('render-process-gone', listener);
  };
}
