/**
 * Unattended updates with electron-updater from a generic HTTPS server set in the configuration
 * (proposed `updates: { url, channel, stagingPercentage }`), in three rules:
 *
 * 1. Staged rollout: a device takes a release only when its stable bucket (0–99, from the device id) is
 *    below `stagingPercentage`; electron-updater also honours a `stagingPercentage` in the server's
 *    latest-linux*.yml on its own.
 * 2. Install only while the hall is closed, and not within `quietMinutes` of opening; with no opening
 *    hours configured, only in the first minutes after start-up (the device boots before the hall opens).
 * 3. Rollback: the installer of each installed version is kept (current and previous). A new version
 *    that fails to reach `healthyAfterMs` of uptime `maxLaunches` times in a row is replaced by the
 *    previous installer. Migrations therefore stay readable by the previous version (README).
 *
 * Every decision is a pure function of (state, clock, config); `createUpdateController` runs them against
 * a mockable slice of electron-updater and an injected installer/state store.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isOpenAt, minutesUntilOpen, type OpeningPeriod } from './opening-hours.js';

export interface UpdatesConfig {
  /** Base URL of the generic update server (https). No URL: updates are off. */
  url?: string;
  channel: string;
  /** 0–100: the share of devices that take new releases. */
  stagingPercentage: number;
}

export interface UpdatePolicy {
  /** No install this close to opening time (default 15 minutes). */
  quietMinutes: number;
  /** With no opening hours: installs only this long after start-up (default 3 minutes). */
  bootWindowMs: number;
  /** Uptime after which a new version counts as healthy (default 10 minutes). */
  healthyAfterMs: number;
  /** Launches of a new version without reaching healthy before it is rolled back (default 3). */
  maxLaunches: number;
}

export const DEFAULT_POLICY: UpdatePolicy = {
  quietMinutes: 15,
  bootWindowMs: 3 * 60_000,
  healthyAfterMs: 10 * 60_000,
  maxLaunches: 3,
};

/** The device's stable rollout bucket, 0–99. */
export function rolloutBucket(deviceId: string): number {
  return createHash('sha256').update(`hcp-kiosk/rollout/${deviceId}`).digest().readUInt32BE(0) % 100;
}

export function inRollout(deviceId: string, stagingPercentage: number): boolean {
  return rolloutBucket(deviceId) < Math.max(0, Math.min(100, stagingPercentage));
}

export interface InstallWindowInput {
  now: number;
  startedAt: number;
  hours: readonly OpeningPeriod[];
  policy?: Partial<UpdatePolicy>;
}

/** Whether an install (which restarts the app) may happen now. */
export function mayInstallNow({ now, startedAt, hours, policy }: InstallWindowInput): boolean {
  const rules = { ...DEFAULT_POLICY, ...policy };
  if (hours.length === 0) return now - startedAt <= rules.bootWindowMs;
  if (isOpenAt(hours, now)) return false;
  const until = minutesUntilOpen(hours, now);
  return until === null || until >= rules.quietMinutes;
}

/** Persisted between runs (dataDir/updates/state.json). */
export interface UpdateState {
  /** Version → installer file kept for it (current and previous only). */
  installers: Record<string, string>;
  /** A version installed but not yet proven healthy. */
  pending?: { version: string; previous: string; launches: number };
  /** Versions rolled back from: never installed again automatically. */
  rejected: string[];
}

export const EMPTY_STATE: UpdateState = { installers: {}, rejected: [] };

export type StartupDecision =
  | { action: 'none' }
  | { action: 'count-launch'; state: UpdateState }
  | { action: 'rollback'; to: string; installer: string; state: UpdateState }
  | { action: 'install-failed'; state: UpdateState };

/** What to do at start-up, given the running version. */
export function decideOnStartup(
  state: UpdateState,
  currentVersion: string,
  policy: Partial<UpdatePolicy> = {},
): StartupDecision {
  const rules = { ...DEFAULT_POLICY, ...policy };
  const pending = state.pending;
  if (!pending) return { action: 'none' };
  if (pending.version !== currentVersion) {
    // The install did not take (or a technician installed something else): forget it.
    const { pending: _dropped, ...rest } = state;
    return { action: 'install-failed', state: { ...rest, rejected: state.rejected } };
  }
  const launches = pending.launches + 1;
  const installer = state.installers[pending.previous];
  if (launches > rules.maxLaunches && installer !== undefined) {
    const { pending: _dropped, ...rest } = state;
    return {
      action: 'rollback',
      to: pending.previous,
      installer,
      state: { ...rest, rejected: [...new Set([...state.rejected, pending.version])] },
    };
  }
  return { action: 'count-launch', state: { ...state, pending: { ...pending, launches } } };
}

/** The state once the running version has been up `healthyAfterMs`: pending cleared, old installers pruned. */
export function confirmHealthy(state: UpdateState, currentVersion: string): UpdateState {
  if (state.pending?.version !== currentVersion) return state;
  const keep = new Set([currentVersion, state.pending.previous]);
  const installers = Object.fromEntries(
    Object.entries(state.installers).filter(([version]) => keep.has(version)),
  );
  return { installers, rejected: state.rejected };
}

/** The slice of electron-updater's AppUpdater used here (autoUpdater satisfies it). */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  channel: string | null;
  setFeedURL(options: { provider: 'generic'; url: string; channel?: string }): void;
  checkForUpdates(): Promise<{ updateInfo: { version: string }; isUpdateAvailable?: boolean } | null>;
  downloadUpdate(): Promise<string[]>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface UpdateStateStore {
  load(): Promise<UpdateState>;
  save(state: UpdateState): Promise<void>;
}

export interface UpdateControllerOptions {
  updater: UpdaterLike;
  config: UpdatesConfig;
  deviceId: string;
  currentVersion: string;
  hours: readonly OpeningPeriod[];
  store: UpdateStateStore;
  /** Keeps a copy of a downloaded installer and returns its path (dataDir/updates/installers/). */
  keepInstaller(version: string, downloadedFile: string): Promise<string>;
  /** Installs a kept installer (the rollback path; the .deb through the root-owned helper). */
  installFile(file: string): Promise<void>;
  now?: () => number;
  policy?: Partial<UpdatePolicy>;
  log?: (message: string) => void;
}

export type TickResult =
  | 'disabled'
  | 'not-in-rollout'
  | 'no-update'
  | 'rejected'
  | 'downloaded'
  | 'waiting-for-closing'
  | 'installing'
  | 'error';

export interface UpdateController {
  /** Start-up: counts the launch of a pending version, or rolls it back. */
  start(): Promise<StartupDecision['action']>;
  /** Call when the app has been up healthyAfterMs. */
  markHealthy(): Promise<void>;
  /** One check/download/install step (call every few hours and at start-up). */
  tick(): Promise<TickResult>;
}

export function createUpdateController(options: UpdateControllerOptions): UpdateController {
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const startedAt = now();
  const { updater, config } = options;
  let downloaded: { version: string; installer: string } | null = null;

  updater.autoDownload = false;
  // Never install behind the kiosk's back on an ordinary quit (which may be in opening hours).
  updater.autoInstallOnAppQuit = false;
  updater.allowDowngrade = false;
  if (config.url) {
    updater.setFeedURL({ provider: 'generic', url: config.url, channel: config.channel });
    updater.channel = config.channel;
  }

  return {
    async start() {
      const decision = decideOnStartup(await options.store.load(), options.currentVersion, options.policy);
      if (decision.action === 'none') return 'none';
      await options.store.save(decision.state);
      if (decision.action === 'rollback') {
        log(`version ${options.currentVersion} failed to stay up; rolling back to ${decision.to}`);
        await options.installFile(decision.installer);
      } else if (decision.action === 'install-failed') {
        log(`the pending update was not installed; running ${options.currentVersion}`);
      }
      return decision.action;
    },
    async markHealthy() {
      const state = await options.store.load();
      const next = confirmHealthy(state, options.currentVersion);
      if (next !== state) {
        await options.store.save(next);
        log(`version ${options.currentVersion} confirmed healthy`);
      }
    },
    async tick() {
      if (!config.url) return 'disabled';
      if (!inRollout(options.deviceId, config.stagingPercentage)) return 'not-in-rollout';
      try {
        if (!downloaded) {
          const result = await updater.checkForUpdates();
          const version = result?.updateInfo.version;
          if (
            !result ||
            result.isUpdateAvailable === false ||
            !version ||
            version === options.currentVersion
          ) {
            return 'no-update';
          }
          const state = await options.store.load();
          if (state.rejected.includes(version)) return 'rejected';
          const [file] = await updater.downloadUpdate();
          if (!file) return 'error';
          const installer = await options.keepInstaller(version, file);
          downloaded = { version, installer };
          log(`update ${version} downloaded`);
        }
        if (!mayInstallNow({ now: now(), startedAt, hours: options.hours, policy: options.policy })) {
          return 'waiting-for-closing';
        }
        const state = await options.store.load();
        await options.store.save({
          ...state,
          installers: { ...state.installers, [downloaded.version]: downloaded.installer },
          pending: { version: downloaded.version, previous: options.currentVersion, launches: 0 },
        });
        log(`installing update ${downloaded.version} (hall closed)`);
        updater.quitAndInstall(true, true);
        return 'installing';
      } catch (error) {
        log(`update step failed: ${String(error)}`);
        return 'error';
      }
    },
  };
}

/** A JSON file store, written atomically (temp file, fsync, rename) so a power cut leaves old or new. */
export function jsonFileStateStore(file: string): UpdateStateStore {
  return {
    async load() {
      try {
        const parsed = JSON.parse(await fs.promises.readFile(file, 'utf8')) as Partial<UpdateState>;
        return {
          installers: parsed.installers ?? {},
          rejected: parsed.rejected ?? [],
          ...(parsed.pending ? { pending: parsed.pending } : {}),
        };
      } catch {
        return { ...EMPTY_STATE, installers: {}, rejected: [] };
      }
    },
    async save(state) {
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      const temp = `${file}.tmp`;
      const handle = await fs.promises.open(temp, 'w', 0o640);
      try {
        await handle.writeFile(JSON.stringify(state, null, 2));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(temp, file);
    },
  };
}
