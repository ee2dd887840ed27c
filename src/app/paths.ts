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
  };
}
