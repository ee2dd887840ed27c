/**
 * Composition root: opens everything in order (data dir → configuration → PII key → store with chain
 * verification → catalogue → kiosk core → window link → sync → devices) and closes it in reverse. Any
 * failure stops start-up with a coded KioskError and leaves files as they were. Runs under plain Node
 * (browser host) and inside Electron's main process alike.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KioskConfig } from '../config/schema.js';
import {
  chooseSecretBox,
  configPaths,
  createAuditTrail,
  createAdminPinGuard,
  createConfigService,
  hashPin,
  linkProvisioner,
  loadConfig,
  type SafeStorageModule,
} from '../config/index.js';
import { deriveKey, loadPiiKeyFile } from '../crypto/keyfile.js';
import { acquireInstanceLock } from '../host/instance-lock.js';
import { holdsSealedIdentities } from '../store/sealed-identities.js';
import { loadOrCreateDeviceKey, type DeviceKey } from '../crypto/device-key.js';
import { startLinkServer, type LinkServer } from '../link/index.js';
import { CONFIG_ERRORS, HOST_ERRORS, KioskError, STORE_ERRORS } from '../shared/errors/index.js';
import { openStore, type KioskStore } from '../store/index.js';
import { demoConfig, loadOrCreateDemoSecrets, prepareDemoSimulators } from './demo.js';
import { KioskCore } from './kiosk-core.js';
import { createLogger, droppedLogLines, type Logger } from './logger.js';
import { installProcessGuards } from './process-guards.js';
import { listenerErrorCount } from '../shared/listener-errors.js';
import { dataPaths, type DataPaths } from './paths.js';
import { startSyncServices, type SyncServices } from './sync-wiring.js';
import { startDemoProvince, type DemoProvince } from './demo-province.js';
import { startDevices, type DeviceServices } from './device-wiring.js';
import { KIOSK_VERSION } from './version.js';
import { buildDiagnostics, integrityProblems } from './diagnostics.js';
import { createAdminService, quickCheck } from './admin-service.js';
import { exportLogs, RotatingLogFile } from '../ops/log-file.js';

export interface CoreOptions {
  dataDir: string;
  /** Overrides the link port (tests and demo use 0 = any free port). */
  linkPort?: number | null;
  now?: () => number;
  log?: Logger;
  /** Demo mode only: configuration overrides (validated by the same schema). */
  demoOverrides?: Record<string, unknown>;
  /** Electron's safeStorage (after app.ready): secrets are then sealed by the OS keyring, else a 0600 key file. */
  safeStorage?: SafeStorageModule | null;
  /** Start simulated devices in demo mode (default true). */
  demoDevices?: boolean;
  /**
   * Unprovisioned: demo mode when true (`--demo`, window-link.md "Setup, demo and tests" r2); otherwise
   * this refuses with E8060 and the host runs setup mode instead (setup-mode.ts).
   */
  demo?: boolean;
}

export interface RunningCore {
  core: KioskCore;
  config: KioskConfig;
  demo: boolean;
  paths: DataPaths;
  store: KioskStore;
  link: LinkServer;
  sync: SyncServices;
  devices: DeviceServices;
  province: DemoProvince | null;
  /** The device's SM2 key pair (made at the first start; records will be signed with it). */
  deviceKey: DeviceKey;
  startedAt: number;
  readyAt: number;
  stop(): Promise<void>;
}

function ensureDataDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new KioskError(HOST_ERRORS.dataDir, undefined, { dir }, { cause: error });
  }
}

/**
 * The mode choice (window-link.md "Setup, demo and tests" r2): a data dir with a configuration runs
 * provisioned; without one the host runs setup mode, or demo mode when asked (`--demo`).
 */
export function isProvisioned(dataDir: string): boolean {
  return fs.existsSync(configPaths(dataDir).config);
}

export async function createKioskCore(options: CoreOptions): Promise<RunningCore> {
  const startedAt = Date.now();
  const now = options.now ?? Date.now;
  const log = options.log ?? createLogger();
  // Listener errors and unhandled rejections go to this logger (redacted, coded) and never end the process.
  installProcessGuards(log);
  const paths = dataPaths(options.dataDir);
  ensureDataDir(paths.dir);
  // One kiosk per data directory, whichever host starts it (issue 18 item 5): E8070 for the second.
  const instanceLock = acquireInstanceLock(paths.dir);

  const cpaths = configPaths(paths.dir);
  const secretBox = chooseSecretBox({
    keyFilePath: cpaths.secretKey,
    safeStorage: options.safeStorage ?? null,
  });
  const loaded = loadConfig(cpaths, secretBox);
  // An unprovisioned device without --demo is an installed one: setup mode, never the demo's test servers.
  if (!loaded.provisioned && options.demo !== true)
    throw new KioskError(
      HOST_ERRORS.setupMode,
      'This device is not provisioned: it runs in setup mode (or pass --demo for demo mode).',
    );
  const deviceKey = loadOrCreateDeviceKey(paths.deviceKey, secretBox);
  if (loaded.provisioned && loaded.migrated)
    log({ level: 'info', msg: 'config.json had secrets in clear: rewritten sealed' });
  const cleanups: Array<() => Promise<void> | void> = [() => instanceLock.release()];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log({ level: 'warn', code: (error as { code?: string }).code, msg: 'error while stopping' });
      }
    }
  };

  try {
    let config: KioskConfig;
    let province: DemoProvince | null = null;
    if (loaded.provisioned) {
      config = loaded.config;
    } else {
      // Reaps what a crashed demo run left (socat, temp folders) before anything new starts.
      if (options.demoDevices !== false) await prepareDemoSimulators(paths.demoSimulators, log);
      const secrets = loadOrCreateDemoSecrets(paths.demoSecrets);
      province = await startDemoProvince({ dbPath: paths.provinceSimDb, secrets, log });
      cleanups.push(() => province?.close());
      config = demoConfig(secrets, province.url, `127.0.0.1:${options.linkPort ?? 0}`, options.demoOverrides);
    }
    if (options.linkPort !== undefined && options.linkPort !== null) {
      config = {
        ...config,
        link: { ...config.link, listen: `${config.link.listen.split(':')[0]}:${options.linkPort}` },
      };
    }

    // A missing pii.key while identities sealed with it exist is E2301, never a silently new key (issue 18
    // item 1): the kiosk keeps rating with a key held in memory only, and tells the technician to restore it.
    const pii = loadPiiKeyFile(paths.piiKey, () => holdsSealedIdentities(paths.database));
    const piiKey = pii.key;
    if (pii.kind === 'lost')
      log({ level: 'error', code: STORE_ERRORS.piiKeyMissing.code, msg: STORE_ERRORS.piiKeyMissing.help });
    const store = openStore({
      path: paths.database,
      piiKey,
      // The rollback mark is sealed with a key derived from the device's sealed key (issue 18 item 2).
      rollbackKey: deriveKey(deviceKey.privateKey(), 'hcp-kiosk rollback-mark v1'),
    });
    for (const finding of store.findings())
      log({ level: 'error', code: finding.code, msg: `store check at open: ${finding.code}` });
    const integrity = () => integrityProblems({ piiKeyLost: pii.kind === 'lost', store, now: now() });
    cleanups.push(() => store.close());
    // domain-rules §2 r2: sessions a stop left open (shut-down, crash, power cut) close as unrated at their own
    // open time, before the default job (startSyncServices) looks for unrated services to default.
    const leftOpen = store.closeLeftOpenSessions();
    if (leftOpen > 0) {
      log({ level: 'info', msg: `${leftOpen} session(s) left open by the last stop closed as unrated` });
      store.audit({
        at: now(),
        actor: 'kiosk',
        action: 'sessions.closed-at-start',
        detail: { count: leftOpen },
      });
    }
    // Idle maintenance (time index, high-water mark, WAL checkpoint) runs here, between ratings, never
    // inside a commit (see openStore).
    // Once now as well: its checkpoint thread starts before anyone presses (starting a thread takes the main
    // thread ~20 ms), and keeps the WAL short from the first second of a backlog drain (checkpointer.ts).
    void store.maintain();
    const maintenanceTimer = setInterval(() => void store.maintain(), 5_000);
    maintenanceTimer.unref();
    cleanups.push(() => clearInterval(maintenanceTimer));
    const chain = store.chainStatus();
    if (!chain.ok)
      log({
        level: 'error',
        code: chain.code ?? undefined,
        msg: `hash chain broken at seq ${chain.brokenAt}`,
      });

    const sync = startSyncServices({ config, store, now, log, version: KIOSK_VERSION, piiKey });
    cleanups.push(() => sync.stop());

    const audit = createAuditTrail(store, now);
    let core: KioskCore | null = null;
    const configService = createConfigService({
      paths: cpaths,
      secretBox,
      audit,
      onChange: (change) => {
        // Staff, opening hours, UI and admin settings apply at once; anything else needs a restart.
        if (!change.restartRequired) core?.applyLiveConfig(change.config);
        else
          log({
            level: 'warn',
            msg: `configuration changed (${change.changed.length} fields): restart required`,
          });
      },
    });

    let devices: DeviceServices | null = null;
    const diagnostics = () =>
      buildDiagnostics({
        config: () => core?.currentConfig() ?? config,
        store,
        version: KIOSK_VERSION,
        startedAt,
        now,
        devices: () => devices?.snapshot() ?? [],
        integrity,
        sync: () => ({
          ...sync.diagnostics(),
          cspViolations: core?.cspViolationCount() ?? 0,
          // issue 15 item 7: failures that are survived, so a technician can see them.
          failures: {
            ratingCommits: core?.commitFailureCount() ?? 0,
            logLinesDropped: droppedLogLines(),
            listenerErrors: listenerErrorCount(),
          },
        }),
      });
    // Admin screens (admin-service.ts). Demo: the config service refuses admin edits on an unprovisioned
    // device, so a PIN set there is kept in memory only (asked again after a restart).
    let demoPinHash: string | undefined;
    const exportsDir = path.join(paths.dir, 'exports');
    fs.mkdirSync(exportsDir, { recursive: true, mode: 0o700 });
    const pinHashNow = () => core?.currentConfig().admin.pinHash ?? demoPinHash;
    const admin = createAdminService({
      pinGuard: createAdminPinGuard({ statePath: cpaths.pinState, pinHash: pinHashNow, audit, now }),
      pinHash: pinHashNow,
      pinInMemory: !loaded.provisioned,
      hashPin: (pin) => hashPin(pin),
      storePinHash: (hash) => {
        if (!loaded.provisioned) {
          demoPinHash = hash;
          return { ok: true };
        }
        const outcome = configService.applyAdminEdit({ admin: { pinHash: hash } }, 'admin-screen');
        return outcome.ok
          ? { ok: true }
          : { ok: false, code: CONFIG_ERRORS.invalid.code, message: 'the PIN could not be stored' };
      },
      diagnostics,
      sync,
      pad: {
        hello: () => devices?.padTest?.hello() ?? null,
        setLed: async (led) => devices?.padTest?.setLed(led),
        buzzer: async (b) => devices?.padTest?.buzzer(b),
      },
      storageCheck: () => ({ quickCheck: quickCheck(store.path), chain: store.verifyChain(now()) }),
      exportLogs: (dir) => exportLogs(dir, new RotatingLogFile({ dir: path.join(paths.dir, 'logs') })),
      exportRoots: ['/media', '/mnt', exportsDir],
      audit,
      config: configService,
      log,
      now,
    });
    core = new KioskCore({
      config,
      demo: !loaded.provisioned,
      version: KIOSK_VERSION,
      store,
      catalogue: sync.catalogue,
      now,
      log,
      commitRating: sync.commitRating,
      projectNoFor: sync.projectNoFor,
      pad: { arm: (...a) => devices?.pad?.arm(...a), disarm: (...a) => devices?.pad?.disarm(...a) },
      online: () => sync.online(),
      syncNow: () => sync.syncNow(),
      diagnostics,
      health: () => ({
        status: sync.healthy() && integrity().length === 0 ? 'ok' : 'degraded',
      }),
      provision: linkProvisioner(configService),
      audit,
      admin,
    });
    cleanups.push(() => core.stop());

    const [host, portText] = config.link.listen.split(':') as [string, string];
    const link = await startLinkServer({
      host,
      port: Number(portText),
      linkToken: config.link.linkToken,
      adminToken: config.link.adminToken,
      backend: core,
      now,
      log: (entry) => log({ ...entry }),
    });
    cleanups.push(() => link.close());

    devices = await startDevices({
      config,
      core,
      demo: !loaded.provisioned && options.demoDevices !== false,
      log,
    });
    cleanups.push(() => devices?.stop());

    const readyAt = Date.now();
    log({
      level: 'info',
      msg: `kiosk ready in ${readyAt - startedAt} ms (${loaded.provisioned ? 'provisioned' : 'demo mode'})`,
    });
    return {
      core,
      config,
      demo: !loaded.provisioned,
      paths,
      store,
      link,
      sync,
      devices,
      province,
      deviceKey,
      startedAt,
      readyAt,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
