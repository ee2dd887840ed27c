import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditTrail } from '../../src/config/audit.js';
import { loadConfig } from '../../src/config/config-store.js';
import { createConfigService, linkProvisioner, type ConfigService } from '../../src/config/provisioning.js';
import { createKeyFileBox } from '../../src/config/secret-store.js';
import type { ProvisionResult } from '../../src/link/index.js';
import {
  configWith,
  containsSecret,
  newProvisioningKey,
  RecordingAudit,
  signed,
  tempDataDir,
  type ProvisioningKey,
} from '../config/helpers.js';
import {
  ADMIN_TOKEN,
  LINK_TOKEN,
  post,
  RecordingBackend,
  startHarness,
  type Harness,
  type Reply,
} from './harness.js';

class ProvisioningBackend extends RecordingBackend {
  constructor(private readonly provisioner: (file: unknown, remote: string) => ProvisionResult) {
    super();
  }
  provision(file: unknown, remote: string): ProvisionResult {
    this.calls.push({ method: 'provision', args: [remote] });
    return this.provisioner(file, remote);
  }
}

const PATH = '/v1/admin/provision';
const JPEG =
  'data:image/jpeg;base64,' +
  Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(150_000, 1)]).toString('base64');

let data: ReturnType<typeof tempDataDir>;
let service: ConfigService;
let audit: RecordingAudit;
let h: Harness;
let key: ProvisioningKey;
const replies: Reply[] = [];

beforeEach(async () => {
  data = tempDataDir();
  audit = new RecordingAudit();
  service = createConfigService({
    paths: data.paths,
    secretBox: createKeyFileBox(data.paths.secretKey),
    audit: createAuditTrail(audit),
  });
  key = newProvisioningKey();
  h = await startHarness({ backend: new ProvisioningBackend(linkProvisioner(service)) });
});
afterEach(async () => {
  await h.server.close();
  data.cleanup();
});

async function provision(body: unknown, token: string | null = ADMIN_TOKEN): Promise<Reply> {
  const reply = await post(h, PATH, body, { token });
  replies.push(reply);
  return reply;
}

describe('POST /v1/admin/provision', () => {
  it('applies a signed file and answers 200 with applied and restartRequired', async () => {
    const reply = await provision(signed(configWith(key, 1), key));
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ applied: true, restartRequired: true });
    expect(loadConfig(data.paths, createKeyFileBox(data.paths.secretKey)).provisioned).toBe(true);
    expect(audit.entries.at(-1)).toMatchObject({ actor: 'link-admin@127.0.0.1', action: 'config.change' });
  });

  it('answers restartRequired false for a roster-only update', async () => {
    await provision(signed(configWith(key, 1), key));
    const reply = await provision(
      signed(configWith(key, 2, { staff: [{ staffId: 'S9', name: '赵敏' }] }), key),
    );
    expect(reply.json).toEqual({ applied: true, restartRequired: false });
  });

  it('refuses an invalid configuration with 400 invalid-config and field-level errors', async () => {
    const reply = await provision(signed(configWith(key, 1, { deviceId: '' }), key));
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({
      error: 'invalid-config',
      fields: [{ path: 'config.deviceId', message: expect.any(String) }],
    });
  });

  it('refuses a wrongly signed file with 403 bad-signature and keeps the stored file byte-identical', async () => {
    await provision(signed(configWith(key, 1), key));
    const before = fs.readFileSync(data.paths.config);
    const reply = await provision(signed(configWith(key, 2), newProvisioningKey()));
    expect(reply.status).toBe(403);
    expect(reply.json).toEqual({ error: 'bad-signature' });
    expect(fs.readFileSync(data.paths.config).equals(before)).toBe(true);
  });

  it('needs the admin token: none or the link token is 401 and reaches nothing', async () => {
    for (const token of [null, LINK_TOKEN]) {
      const reply = await provision(signed(configWith(key, 1), key), token);
      expect(reply.status).toBe(401);
    }
    expect(h.backend.calls.filter((c) => c.method === 'provision')).toEqual([]);
  });

  it("a body that is not a provisioning envelope is the link's usual 400 invalid-body with the field", async () => {
    const reply = await provision({ config: 'x', signature: 'y' });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ error: 'invalid-body', field: 'config' });
    expect(h.backend.calls.filter((c) => c.method === 'provision')).toEqual([]);
  });

  it('takes a roster with photos beyond 256 KiB, and refuses bodies over 16 MiB with 413', async () => {
    const staff = Array.from({ length: 6 }, (_, i) => ({ staffId: `S${i}`, name: '职员', photo: JPEG }));
    const big = signed(configWith(key, 1, { staff }), key);
    expect(JSON.stringify(big).length).toBeGreaterThan(256 * 1024);
    expect((await provision(big)).json).toEqual({ applied: true, restartRequired: true });
    const huge = await provision({ config: { pad: 'x'.repeat(16 * 1024 * 1024) }, signature: 'x' });
    expect(huge.status).toBe(413);
  });

  it('answers 404 when the core offers no provisioning', async () => {
    await h.server.close();
    h = await startHarness();
    const reply = await provision(signed(configWith(key, 1), key));
    expect(reply.status).toBe(404);
  });

  it('no answer, log line or audit row carries a secret', async () => {
    await provision(signed(configWith(key, 1), key));
    await provision(signed(configWith(key, 2, { link: { listen: 'bad', linkToken: 'short' } }), key));
    await provision(signed(configWith(key, 3), newProvisioningKey()));
    for (const reply of replies) expect(containsSecret(reply.text)).toBeNull();
    expect(containsSecret(JSON.stringify(h.logs))).toBeNull();
    expect(containsSecret(JSON.stringify(audit.entries))).toBeNull();
    expect(containsSecret(fs.readFileSync(data.paths.config))).toBeNull();
  });
});
