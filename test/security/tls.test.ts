/**
 * Threat: a machine on the hall LAN (or a hijacked route) poses as the provincial 好差评 system and collects
 * the ratings with the citizens' ID numbers and names.
 * Defences: src/sync/province/national-template/adapter.ts (TLS verification always on, never
 * rejectUnauthorized: false; a provisioned `province.caBundle` is the trust store; https required except for
 * loopback http), src/config/schema.ts (caBundle).
 * Attack: the real kiosk with a provisioned CA bundle talks to a province test server (TLS) that presents
 * first a self-signed certificate, then a certificate for another host name signed by a CA in the bundle:
 * the server receives no request at all and the outbox stays pending. Then the right certificate: delivered.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkCall } from '../support/kiosk-process.js';
import type { ProvinceServer } from '../../dev-tools/province-sim/server.js';
import { makeTestCerts, type Pem, type TestCerts } from '../support/security/certs.js';
import {
  adminGet,
  ApiClient,
  holdPort,
  type PortHold,
  startProvince,
  startSecurityKiosk,
  until,
  type SecurityKiosk,
} from '../support/security/kiosk.js';
import { ROOT } from '../support/kiosk-process.js';
import { rel, sourceFiles, stripComments } from '../support/security/static-scan.js';

let certs: TestCerts;
let sec: SecurityKiosk;
let port: number;
let held: PortHold;
let province: ProvinceServer | null = null;

async function serve(tls: Pem): Promise<ProvinceServer> {
  await province?.close();
  await held.release();
  province = await startProvince(sec.dataDir, sec.secrets, { port, tls });
  return province;
}

const outbox = async () =>
  ((await adminGet(sec.info, '/v1/diagnostics')).json as { outbox: { depth: number; delivered: number } })
    .outbox;

beforeAll(async () => {
  certs = makeTestCerts();
  held = await holdPort();
  port = held.port;
  sec = await startSecurityKiosk(
    {
      province: {
        baseUrl: `https://127.0.0.1:${port}`,
        caBundle: certs.fixtureCa + certs.otherCa,
        timeoutMs: 2000,
      },
    },
    { prefix: 'hcp-sec-tls-' },
  );
  const done = await linkCall(sec.info, 'POST', '/v1/service/completed', {
    ticketNo: 'S001',
    citizen: { certType: 'id-card', certKey: '460100199001011230', userName: '张三' },
  });
  const api = await ApiClient.connect(sec.info.uiUrl);
  expect(await api.call('rate', [(done.json as { sessionId: string }).sessionId, 'satisfied'])).toMatchObject(
    {
      result: { ok: true },
    },
  );
  api.close();
}, 60_000);

afterAll(async () => {
  await sec?.dispose();
  await province?.close();
  await held?.release();
  if (certs) fs.rmSync(certs.dir, { recursive: true, force: true });
});

/** Asks for a sync and waits until the worker has tried and failed (its lastError is stamped after `since`). */
async function attempt(): Promise<void> {
  const since = Date.now();
  await linkCall(sec.info, 'POST', '/v1/sync/now', {}, sec.info.adminToken);
  await until(
    'a failed delivery attempt',
    async () => {
      const { sync } = (await adminGet(sec.info, '/v1/diagnostics')).json as {
        sync: { lastError: { at: number } | null };
      };
      return sync.lastError !== null && sync.lastError.at >= since;
    },
    15_000,
  );
}

describe('TLS to the province', () => {
  it('a province server with a self-signed certificate gets no request and no record; the outbox stays pending', async () => {
    const server = await serve(certs.selfSigned);
    await attempt();
    expect(server.stats.requests).toEqual([]);
    expect(server.records()).toEqual([]);
    expect(await outbox()).toMatchObject({ depth: 1, delivered: 0 });
    const sync = (
      (await adminGet(sec.info, '/v1/diagnostics')).json as { sync: { lastError: { code: string } | null } }
    ).sync;
    expect(sync.lastError).not.toBeNull();
  }, 30_000);

  it('a province server whose certificate names another host gets no request and no record, even when its CA is trusted', async () => {
    const server = await serve(certs.wrongHost);
    await attempt();
    expect(server.stats.requests).toEqual([]);
    expect(server.records()).toEqual([]);
    expect(await outbox()).toMatchObject({ depth: 1, delivered: 0 });
  }, 30_000);

  it('the province server with a certificate from the provisioned CA bundle receives the record', async () => {
    const server = await serve(certs.good);
    await linkCall(sec.info, 'POST', '/v1/sync/now', {}, sec.info.adminToken);
    await until('the record at the province', () => server.records().length === 1, 15_000);
    // The province checked the full number on arrival; its test server keeps only the masked form.
    expect(server.records()[0]?.record.certKey).toBe('4601**********1230');
    await until('the outbox drained', async () => (await outbox()).depth === 0, 10_000);
  }, 30_000);

  it('no code turns certificate checks off', () => {
    const offenders = sourceFiles('src', 'drivers').filter((file) =>
      /rejectUnauthorized\s*:\s*false|NODE_TLS_REJECT_UNAUTHORIZED|checkServerIdentity\s*:|ignore-certificate-errors|setCertificateVerifyProc|certificate-error/.test(
        stripComments(fs.readFileSync(file, 'utf8')),
      ),
    );
    expect(offenders.map(rel)).toEqual([]);
    expect(
      fs.readFileSync(path.join(ROOT, 'src/sync/province/national-template/adapter.ts'), 'utf8'),
    ).toMatch(/ca: options\.caBundle/);
  });
});
