import os from 'node:os';
import path from 'node:path';

/** Default data directory: `$XDG_DATA_HOME/hcp-kiosk`, else `~/.local/share/hcp-kiosk` (XDG Base Directory spec). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME)
      ? env.XDG_DATA_HOME
      : path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'hcp-kiosk');
}

export interface DataPaths {
  dir: string;
  database: string;
  config: string;
  piiKey: string;
  demoSecrets: string;
  demoInfo: string;
  provinceSimDb: string;
  /** The device's SM2 key pair, private key sealed (src/crypto/device-key.ts). */
  deviceKey: string;
  /** Setup mode: the admin token for `POST /v1/admin/provision`, owner-only, removed once provisioned. */
  setupAdminToken: string;
  /** Demo mode: the simulators' socat pids and temp folders, reaped at the next start after a crash. */
  demoSimulators: string;
}

export function dataPaths(dir: string): DataPaths {
  return {
    dir,
    database: path.join(dir, 'kiosk.sqlite'),
    config: path.join(dir, 'config.json'),
    piiKey: path.join(dir, 'pii.key'),
    demoSecrets: path.join(dir, 'demo-secrets.json'),
    demoInfo: path.join(dir, 'demo.json'),
    provinceSimDb: path.join(dir, 'province-sim.sqlite'),
    deviceKey: path.join(dir, 'device-key.json'),
    setupAdminToken: path.join(dir, 'setup-admin-token'),
    demoSimulators: path.join(dir, 'demo-simulators.json'),
  };
}
