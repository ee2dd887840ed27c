/** A province simulator on loopback plus a national-template/1 adapter pointed at it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createNationalTemplateAdapter,
  type NationalTemplateOptions,
} from '../../../src/sync/province/national-template/adapter.js';
import type { ProvinceAdapter } from '../../../src/sync/province/adapter.js';
import {
  startProvinceServer,
  type ProvinceServer,
  type ProvinceServerOptions,
} from '../../../dev-tools/province-sim/server.js';
import { APP_MARK, APP_WORD, PROVINCE_KEYS } from './fixtures.js';

// Tests run from the repository root (package.json scripts, vitest).
const tlsDir = join(process.cwd(), 'dev-tools/province-sim/tls');
export const TEST_TLS = {
  key: readFileSync(join(tlsDir, 'server.key'), 'utf8'),
  cert: readFileSync(join(tlsDir, 'server.pem'), 'utf8'),
  ca: readFileSync(join(tlsDir, 'ca.pem'), 'utf8'),
};

export interface Harness {
  server: ProvinceServer;
  adapter: ProvinceAdapter;
  close(): Promise<void>;
}

export async function startHarness(
  adapterOptions: Partial<NationalTemplateOptions> = {},
  serverOptions: Partial<ProvinceServerOptions> = {},
): Promise<Harness> {
  const server = await startProvinceServer({
    dbPath: ':memory:',
    privateKey: PROVINCE_KEYS.privateKey,
    appMark: APP_MARK,
    appWord: APP_WORD,
    ...serverOptions,
  });
  const adapter = createNationalTemplateAdapter({
    baseUrl: server.url,
    appMark: APP_MARK,
    appWord: APP_WORD,
    publicKey: PROVINCE_KEYS.publicKey,
    deviceId: 'HK-0001',
    timeoutMs: 1_000,
    ...adapterOptions,
  });
  return {
    server,
    adapter,
    async close() {
      adapter.close();
      await server.close();
    },
  };
}
