/**
 * Demo mode's province: the project's own province test server (dev-tools/province-sim) on loopback, so a
 * newcomer's `npm start` shows ratings arriving (window-link.md "Demo and tests"). Loaded dynamically:
 * a packaged kiosk never loads it, and does not ship it (electron-builder.yml `files:`); asked for there,
 * demo mode stops with E8061 instead of an unexplained module error.
 */
import { loadDevTool } from './demo.js';
import type { DemoSecrets } from './demo.js';
import type { Logger } from './logger.js';

export interface DemoProvince {
  url: string;
  close(): Promise<void>;
  /** Records the province holds, as received (for the demo console and tests). */
  records(): Array<{ record: Record<string, unknown>; receivedAt: number }>;
}

interface ProvinceServerModule {
  startProvinceServer(options: {
    port?: number;
    dbPath: string;
    privateKey: string;
    appMark: string;
    appWord: string;
  }): Promise<{
    url: string;
    close(): Promise<void>;
    records(): Array<{ record: Record<string, unknown>; receivedAt: number }>;
  }>;
}

const SERVER_MODULE = '../../dev-tools/province-sim/server.js';

export async function startDemoProvince(options: {
  dbPath: string;
  secrets: DemoSecrets;
  log: Logger;
}): Promise<DemoProvince> {
  const mod = await loadDevTool<ProvinceServerModule>(SERVER_MODULE, 'the province test server');
  const server = await mod.startProvinceServer({
    port: 0,
    dbPath: options.dbPath,
    privateKey: options.secrets.provincePrivateKey,
    appMark: options.secrets.appMark,
    appWord: options.secrets.appWord,
  });
  options.log({ level: 'info', msg: `demo province test server on ${server.url}` });
  return { url: server.url, close: () => server.close(), records: () => server.records() };
}
