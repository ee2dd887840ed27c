/**
 * Setup mode (window-link.md "Setup, demo and tests" r2): what an installed device runs before its first
 * provisioning. It makes the device key (src/crypto/device-key.ts) and a setup admin token, shows 设备待配置
 * with the device id and key fingerprint, and serves only `GET /v1/health` and `POST /v1/admin/provision`
 * on the window-link port (503 E8060 for every other call). A signed provisioning file also comes from a USB
 * stick (usb-provisioning.ts). No store, no province, no simulators, nothing from test/ or dev-tools/:
 * it runs from a packaged build and never needs socat.
 *
 * `provisioned` resolves once a file was accepted and stored; the host then starts the provisioned kiosk
 * (in place under the browser host, by relaunch under Electron). The provisioning itself is not in the
 * audit table, which lives in the store that setup mode does not open; it is logged (field count, source).
 */
import {
  chooseSecretBox,
  configPaths,
  createConfigService,
  linkProvisioner,
  NO_AUDIT,
  type ApplyOutcome,
  type SafeStorageModule,
} from '../config/index.js';
import { loadOrCreateDeviceKey, type DeviceKey } from '../crypto/device-key.js';
import { startLinkServer, type LinkServer } from '../link/index.js';
import type { LinkBackend } from '../link/types.js';
import { HOST_ERRORS, KioskError } from '../shared/errors/index.js';
import { setupDeviceId } from './device-identity.js';
import { createLogger, type Logger } from './logger.js';
import { dataPaths, type DataPaths } from './paths.js';
import { createSetupProvider, type SetupProvider } from './setup-view.js';
import { loadOrCreateSetupToken, removeSetupToken } from './setup-token.js';
import { USB_PROVISIONING_FILE, USB_ROOTS, watchUsbProvisioning } from './usb-provisioning.js';
import { KIOSK_VERSION } from './version.js';
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';

/** The only calls served in setup mode (route names of src/link/routes.ts). */
export const SETUP_CALLS: ReadonlySet<string> = new Set(['GET /v1/health', 'POST /v1/admin/provision']);

/** The provisioned default (README "Configuration"): reachable from the hall network for the admin route. */
export const SETUP_LISTEN = { host: '0.0.0.0', port: 7420 } as const;

export interface SetupOptions {
  dataDir: string;
  safeStorage?: SafeStorageModule | null;
  /** Window-link address for the provisioning route (default 0.0.0.0:7420; tests use 127.0.0.1:0). */
  linkHost?: string;
  linkPort?: number | null;
  log?: Logger;
  now?: () => number;
  /** Where USB sticks are mounted (default /media and /mnt). */
  usbRoots?: readonly string[];
  usbScanMs?: number;
  /** systemd's machine id (the setup device id is derived from it); for tests. */
  machineIdFile?: string;
}

export interface RunningSetup {
  provider: SetupProvider;
  link: LinkServer;
  paths: DataPaths;
  deviceId: string;
  deviceKey: DeviceKey;
  /** The setup admin token; `created` true only on the start that made it (print it then, once). */
  adminToken: { token: string; created: boolean; file: string };
  /** Resolves once a provisioning file has been accepted and stored. */
  provisioned: Promise<void>;
  stop(): Promise<void>;
}

function notServed(): never {
  throw new KioskError(HOST_ERRORS.setupMode);
}

/** The window-link backend of setup mode: health and provisioning; the rest is never routed here. */
function setupBackend(provision: LinkBackend['provision']): LinkBackend {
  return {
    staffSignIn: notServed,
    staffSignOut: notServed,
    setWindowStatus: notServed,
    serviceCalled: notServed,
    serviceCompleted: notServed,
    serviceState: notServed,
    subscribe: () => () => undefined,
    // Not in service yet: a monitor must not count an unprovisioned device as a working one.
    health: () => ({ status: 'degraded', version: KIOSK_VERSION }),
    diagnostics: notServed,
    ratingsSummary: notServed,
    syncNow: notServed,
    provision,
  };
}

function refusalOf(outcome: ApplyOutcome): { reason: string; fields: string[] } | null {
  if (outcome.ok) return null;
  return {
    reason: outcome.reason,
    fields: outcome.reason === 'invalid-config' ? outcome.errors.map((e) => e.path) : [],
  };
}

export async function startSetupMode(options: SetupOptions): Promise<RunningSetup> {
  const log = options.log ?? createLogger();
  const paths = dataPaths(options.dataDir);
  try {
    fs.mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
    fs.accessSync(paths.dir, fs.constants.W_OK);
  } catch (error) {
    throw new KioskError(HOST_ERRORS.dataDir, undefined, { dir: paths.dir }, { cause: error });
  }
  const cpaths = configPaths(paths.dir);
  const secretBox = chooseSecretBox({
    keyFilePath: cpaths.secretKey,
    safeStorage: options.safeStorage ?? null,
  });
  const deviceKey = loadOrCreateDeviceKey(paths.deviceKey, secretBox);
  if (deviceKey.created) log({ level: 'info', msg: `device key made: fingerprint ${deviceKey.fingerprint}` });
  const deviceId = setupDeviceId({
    publicKey: deviceKey.publicKey,
    ...(options.machineIdFile ? { machineIdFile: options.machineIdFile } : {}),
  });
  const adminToken = loadOrCreateSetupToken(paths.setupAdminToken);

  let markProvisioned: () => void = () => undefined;
  const provisioned = new Promise<void>((resolve) => (markProvisioned = resolve));
  const configService = createConfigService({
    paths: cpaths,
    secretBox,
    audit: NO_AUDIT,
    onChange: (change) => {
      log({
        level: 'info',
        msg: `provisioned (${change.source}, ${change.changed.length} fields): leaving setup mode`,
      });
      removeSetupToken(paths.setupAdminToken);
      markProvisioned();
    },
  });

  const host = options.linkHost ?? SETUP_LISTEN.host;
  const port = options.linkPort ?? SETUP_LISTEN.port;
  const provider = createSetupProvider(
    {
      deviceId,
      fingerprint: deviceKey.fingerprint,
      provisionAddress: `${host}:${port}`,
      usbFileName: USB_PROVISIONING_FILE,
      adminTokenFile: paths.setupAdminToken,
      lastRefusal: null,
    },
    options.now,
  );
  const provisionByLink = linkProvisioner(configService);
  const link = await startLinkServer({
    host,
    port,
    // No link call is served in setup mode; the link token only satisfies the server's contract.
    linkToken: randomBytes(32).toString('base64url'),
    adminToken: adminToken.token,
    backend: setupBackend((file, remote) => {
      const result = provisionByLink(file, remote);
      if (!result.applied)
        provider.update({
          lastRefusal: {
            reason: result.error,
            fields: result.error === 'invalid-config' ? result.fields.map((f) => f.path) : [],
          },
        });
      return result;
    }),
    ...(options.now ? { now: options.now } : {}),
    log: (entry) => log({ ...entry }),
    onlyCalls: { names: SETUP_CALLS, refusal: HOST_ERRORS.setupMode },
  });
  provider.update({ provisionAddress: link.url.replace(/^http:\/\//, '') });

  const usb = watchUsbProvisioning({
    roots: options.usbRoots ?? USB_ROOTS,
    intervalMs: options.usbScanMs ?? 3_000,
    apply: (file) => configService.applyProvisioningFile(file, 'usb'),
    onOutcome: (file, outcome) => {
      const refusal = refusalOf(outcome);
      if (refusal) {
        log({
          level: 'warn',
          code: HOST_ERRORS.setupMode.code,
          msg: `USB provisioning file refused: ${refusal.reason}`,
        });
        provider.update({ lastRefusal: refusal });
      } else log({ level: 'info', msg: `USB provisioning file applied: ${file}` });
    },
  });
  usb.scan();
  log({
    level: 'info',
    msg: `setup mode: device ${deviceId}, key ${deviceKey.fingerprint}, provisioning on ${link.url}`,
  });

  return {
    provider,
    link,
    paths,
    deviceId,
    deviceKey,
    adminToken: { ...adminToken, file: paths.setupAdminToken },
    provisioned,
    async stop() {
      usb.stop();
      await link.close();
    },
  };
}

/**
 * The console text of setup mode. The admin token appears only on the start that made it (stdout, the
 * local console or journald; never the log file, whose lines are exported); later starts name its file.
 */
export function setupBanner(setup: RunningSetup, uiUrl: string | null): string {
  const token = setup.adminToken.created
    ? `${setup.adminToken.token}\n               (shown this once; also in ${setup.adminToken.file})`
    : `in ${setup.adminToken.file}`;
  return [
    '设备待配置 setup mode',
    `  device id:   ${setup.deviceId}`,
    `  key:         ${setup.deviceKey.fingerprint}`,
    `  provision:   POST ${setup.link.url}/v1/admin/provision with the admin token, or a USB stick holding ${USB_PROVISIONING_FILE}`,
    `  admin token: ${token}`,
    ...(uiUrl ? [`  UI:          ${uiUrl}`] : []),
    '',
  ].join('\n');
}
