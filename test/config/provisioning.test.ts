import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuditTrail } from '../../src/config/audit.js';
import { loadConfig, type ConfigPaths } from '../../src/config/config-store.js';
import {
  createConfigService,
  linkProvisioner,
  signProvisioningConfig,
  validateProvisioningDocument,
  type ConfigChange,
  type ConfigService,
} from '../../src/config/provisioning.js';
import { createKeyFileBox, type SecretBox } from '../../src/config/secret-store.js';
import { verifyPin } from '../../src/config/admin-pin.js';
import {
  ADMIN_TOKEN,
  baseConfig,
  configWith,
  containsSecret,
  LINK_TOKEN,
  newProvisioningKey,
  RecordingAudit,
  signed,
  tempDataDir,
} from './helpers.js';

let data: ReturnType<typeof tempDataDir>;
let paths: ConfigPaths;
let box: SecretBox;
let audit: RecordingAudit;
let changes: ConfigChange[];
let service: ConfigService;
const clock = { now: Date.parse('2024-05-01T09:00:00+08:00') };

beforeEach(() => {
  data = tempDataDir();
  paths = data.paths;
  box = createKeyFileBox(paths.secretKey);
  audit = new RecordingAudit();
  changes = [];
  service = createConfigService({
    paths,
    secretBox: box,
    audit: createAuditTrail(audit, () => clock.now),
    onChange: (change) => changes.push(change),
  });
});
afterEach(() => data.cleanup());

function writeUsbFile(name: string, doc: unknown): string {
  const file = path.join(data.dir, name);
  fs.writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
}

describe('provisioning from a signed file', () => {
  it('a first file signed by the key it carries is trusted, stored and audited', () => {
    const key = newProvisioningKey();
    const outcome = service.applyProvisioningFile(writeUsbFile('p.json', signed(configWith(key, 1), key)));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.keyTrusted).toBe(true);
    expect(outcome.restartRequired).toBe(true);
    const loaded = loadConfig(paths, box);
    expect(loaded.provisioned && loaded.config.admin.provisioningPublicKey).toBe(key.raw);
    expect(loaded.provisioned && loaded.config.link.linkToken).toBe(LINK_TOKEN);
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({
      actor: 'usb',
      action: 'config.change',
      at: clock.now,
      detail: { source: 'provisioning-file', keyTrusted: true, revision: 1 },
    });
    expect(changes).toHaveLength(1);
  });

  it('an SPKI PEM key works as well as a raw base64 key', () => {
    const key = newProvisioningKey();
    const config = configWith(null, 1, { admin: { provisioningPublicKey: key.pem } });
    expect(service.applyProvisioningDocument(signed(config, key), 'test').ok).toBe(true);
  });

  it('a first file without a key is refused with the field that is missing', () => {
    const key = newProvisioningKey();
    const outcome = service.applyProvisioningDocument(signed(configWith(null, 1), key), 'test');
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'invalid-config',
      errors: [{ path: 'config.admin.provisioningPublicKey' }],
    });
    expect(fs.existsSync(paths.config)).toBe(false);
  });

  it('a later file must verify against the stored key, not the key it carries', () => {
    const key = newProvisioningKey();
    const intruder = newProvisioningKey();
    service.applyProvisioningDocument(signed(configWith(key, 1), key), 'test');
    const before = fs.readFileSync(paths.config);
    const outcome = service.applyProvisioningDocument(signed(configWith(intruder, 2), intruder), 'test');
    expect(outcome).toEqual({ ok: false, reason: 'bad-signature' });
    expect(fs.readFileSync(paths.config).equals(before)).toBe(true);
    expect(audit.entries.at(-1)).toMatchObject({
      action: 'config.refused',
      detail: { reason: 'bad-signature' },
    });
  });

  it('a key rotation signed by the old key is accepted and the new key then rules', () => {
    const oldKey = newProvisioningKey();
    const newKey = newProvisioningKey();
    service.applyProvisioningDocument(signed(configWith(oldKey, 1), oldKey), 'test');
    const rotation = service.applyProvisioningDocument(signed(configWith(newKey, 2), oldKey), 'test');
    expect(rotation).toMatchObject({ ok: true, keyRotated: true });
    expect(audit.entries.at(-1)?.detail).toMatchObject({ keyRotated: true });
    expect(service.applyProvisioningDocument(signed(configWith(newKey, 3), oldKey), 'test')).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(service.applyProvisioningDocument(signed(configWith(newKey, 3), newKey), 'test').ok).toBe(true);
  });

  it('a signed file with a revision not above the stored one is refused as stale', () => {
    const key = newProvisioningKey();
    const first = signed(configWith(key, 5), key);
    service.applyProvisioningDocument(first, 'test');
    const before = fs.readFileSync(paths.config);
    const replay = service.applyProvisioningDocument(first, 'test');
    expect(replay).toMatchObject({ ok: false, errors: [{ path: 'config.revision' }] });
    expect(fs.readFileSync(paths.config).equals(before)).toBe(true);
  });

  it('a later file may leave secrets and the key out and keeps the stored ones', () => {
    const key = newProvisioningKey();
    service.applyProvisioningDocument(signed(configWith(key, 1), key), 'test');
    const lean = configWith(null, 2, { hall: { name: '新名称', code: 'HK01', areaCode: '460100000000' } });
    delete (lean.province as Record<string, unknown>).appWord;
    lean.link = { listen: '127.0.0.1:7420' };
    lean.admin = {};
    const outcome = service.applyProvisioningDocument(signed(lean, key), 'test');
    expect(outcome).toMatchObject({ ok: true, changed: ['hall.name', 'revision'], restartRequired: true });
    const loaded = loadConfig(paths, box);
    if (!loaded.provisioned) throw new Error('not provisioned');
    expect(loaded.config.link.adminToken).toBe(ADMIN_TOKEN);
    expect(loaded.config.admin.provisioningPublicKey).toBe(key.raw);
  });

  it('a roster-only change needs no restart', () => {
    const key = newProvisioningKey();
    service.applyProvisioningDocument(signed(configWith(key, 1), key), 'test');
    const next = configWith(key, 2, { staff: [{ staffId: 'S002', name: '李强' }] });
    expect(service.applyProvisioningDocument(signed(next, key), 'test')).toMatchObject({
      ok: true,
      changed: ['revision', 'staff'],
      restartRequired: false,
    });
  });

  it('a malformed but correctly signed file is refused with its field errors and the old file stays byte-identical', () => {
    const key = newProvisioningKey();
    service.applyProvisioningDocument(signed(configWith(key, 1), key), 'test');
    const before = fs.readFileSync(paths.config);
    const bad = configWith(key, 2, { windowNo: 'A 08 !', hall: { name: '', code: 'HK01', areaCode: '46' } });
    const outcome = service.applyProvisioningFile(writeUsbFile('bad.json', signed(bad, key)));
    expect(outcome.ok).toBe(false);
    if (outcome.ok || outcome.reason !== 'invalid-config') throw new Error('expected invalid-config');
    expect(outcome.errors.map((e) => e.path).sort()).toEqual([
      'config.hall.areaCode',
      'config.hall.name',
      'config.windowNo',
    ]);
    expect(fs.readFileSync(paths.config).equals(before)).toBe(true);
    expect(audit.entries.at(-1)).toMatchObject({
      action: 'config.refused',
      detail: { reason: 'invalid-config', fields: expect.arrayContaining(['config.windowNo']) },
    });
  });

  it('a file whose signature covers other content is refused', () => {
    const key = newProvisioningKey();
    const doc = signed(configWith(key, 1), key);
    (doc.config as Record<string, unknown>).windowNo = 'B01';
    expect(service.applyProvisioningDocument(doc, 'test')).toEqual({ ok: false, reason: 'bad-signature' });
    expect(fs.existsSync(paths.config)).toBe(false);
  });

  it('the signature covers the canonical form, so key order and whitespace in the file do not matter', () => {
    const key = newProvisioningKey();
    const config = configWith(key, 1);
    const signature = signProvisioningConfig(config, key.privateKey);
    const reordered = Object.fromEntries(Object.entries(config).reverse());
    const file = writeUsbFile('p.json', JSON.stringify({ signature, config: reordered }, null, 4));
    expect(service.applyProvisioningFile(file).ok).toBe(true);
  });

  it('a missing, non-JSON or wrongly shaped file is refused without touching the stored configuration', () => {
    expect(service.applyProvisioningFile(path.join(data.dir, 'absent.json'))).toMatchObject({
      ok: false,
      reason: 'invalid-config',
    });
    expect(service.applyProvisioningFile(writeUsbFile('x.json', '{nope'))).toMatchObject({ ok: false });
    expect(service.applyProvisioningDocument({ config: [], signature: 3 }, 'test')).toMatchObject({
      errors: [{ path: 'config' }, { path: 'signature' }],
    });
    expect(fs.existsSync(paths.config)).toBe(false);
  });

  it('the pure validator never throws for documents shaped nearly right', () => {
    const key = newProvisioningKey();
    for (const doc of [
      null,
      [],
      { config: {}, signature: '' },
      { config: { admin: { provisioningPublicKey: 'x' } }, signature: 'a'.repeat(86) },
      { config: { admin: { provisioningPublicKey: key.raw } }, signature: 'a'.repeat(86) + '==' },
    ]) {
      expect(validateProvisioningDocument(doc, null).ok).toBe(false);
    }
  });
});

describe('the admin screen edit', () => {
  beforeEach(() => {
    const key = newProvisioningKey();
    service.applyProvisioningDocument(signed(configWith(key, 1), key), 'test');
    audit.entries.length = 0;
  });

  it('a valid merge patch is stored and audited with the changed paths only', () => {
    const newToken = 'fresh_' + 'z'.repeat(44);
    const outcome = service.applyAdminEdit(
      { ui: { largeType: true }, link: { linkToken: newToken } },
      'admin-screen',
    );
    expect(outcome).toMatchObject({
      ok: true,
      changed: ['link.linkToken', 'ui.largeType'],
      restartRequired: true,
    });
    const loaded = loadConfig(paths, box);
    expect(loaded.provisioned && loaded.config.link.linkToken).toBe(newToken);
    expect(audit.entries).toEqual([
      expect.objectContaining({
        actor: 'admin-screen',
        action: 'config.change',
        detail: expect.objectContaining({ changed: ['link.linkToken', 'ui.largeType'] }),
      }),
    ]);
    expect(JSON.stringify(audit.entries)).not.toContain(newToken);
  });

  it('null removes an optional field', () => {
    service.applyAdminEdit({ ui: { qrUrlTemplate: 'https://x.invalid/{projectNo}' } }, 'a');
    const outcome = service.applyAdminEdit({ ui: { qrUrlTemplate: null } }, 'a');
    expect(outcome.ok && outcome.config.ui.qrUrlTemplate).toBeUndefined();
  });

  it('an invalid edit is refused with field-level messages and the stored file is unchanged', () => {
    const before = fs.readFileSync(paths.config);
    const outcome = service.applyAdminEdit(
      { session: { timeoutSec: 5 }, link: { adminToken: 'short' } },
      'a',
    );
    expect(outcome).toMatchObject({ ok: false, reason: 'invalid-config' });
    if (outcome.ok || outcome.reason !== 'invalid-config') return;
    expect(outcome.errors.map((e) => e.path).sort()).toEqual(['link.adminToken', 'session.timeoutSec']);
    expect(outcome.errors.every((e) => typeof e.message === 'string' && e.message.length > 0)).toBe(true);
    expect(fs.readFileSync(paths.config).equals(before)).toBe(true);
  });

  it('the provisioning key and the revision cannot be changed from the admin screen', () => {
    const other = newProvisioningKey();
    const outcome = service.applyAdminEdit(
      { admin: { provisioningPublicKey: other.raw }, revision: 99 },
      'a',
    );
    expect(outcome).toMatchObject({
      ok: false,
      errors: [{ path: 'admin.provisioningPublicKey' }, { path: 'revision' }],
    });
    expect(service.applyAdminEdit({ admin: { provisioningPublicKey: null } }, 'a').ok).toBe(false);
  });

  it('an edit on an unprovisioned device is refused', () => {
    fs.rmSync(paths.config);
    expect(service.applyAdminEdit({ ui: { largeType: true } }, 'a')).toEqual({
      ok: false,
      reason: 'not-provisioned',
    });
  });
});

describe('first-run setup in demo mode', () => {
  it('turns an unprovisioned device into a provisioned one, generating the tokens it was not given', async () => {
    const input = baseConfig();
    input.link = { listen: '0.0.0.0:7420' };
    const outcome = await service.provisionFromDemo(
      { config: input, pin: '135790', scrypt: { ln: 15, r: 8, p: 1 } },
      'first-run',
    );
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.issued.linkToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(outcome.issued.adminToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const loaded = loadConfig(paths, box);
    if (!loaded.provisioned) throw new Error('not provisioned');
    expect(loaded.config.link.linkToken).toBe(outcome.issued.linkToken);
    expect(await verifyPin('135790', loaded.config.admin.pinHash ?? '')).toBe(true);
    expect(audit.entries).toMatchObject([{ action: 'config.change', detail: { source: 'first-run' } }]);
    const file = fs.readFileSync(paths.config);
    expect(
      containsSecret(file, [outcome.issued.linkToken ?? '', outcome.issued.adminToken ?? '']),
    ).toBeNull();
  });

  it('is refused once the device is provisioned, leaving the file as it was', async () => {
    await service.provisionFromDemo({ config: baseConfig() }, 'first-run');
    const before = fs.readFileSync(paths.config);
    const again = await service.provisionFromDemo({ config: baseConfig() }, 'first-run');
    expect(again).toEqual({ ok: false, reason: 'already-provisioned' });
    expect(fs.readFileSync(paths.config).equals(before)).toBe(true);
  });

  it('an incomplete setup is refused with field errors and nothing is written', async () => {
    const outcome = await service.provisionFromDemo(
      { config: { hall: { name: 'x' } }, pin: '12' },
      'first-run',
    );
    expect(outcome).toMatchObject({ ok: false, reason: 'invalid-config', errors: [{ path: 'pin' }] });
    const outcome2 = await service.provisionFromDemo({ config: { hall: { name: 'x' } } }, 'first-run');
    expect(outcome2.ok).toBe(false);
    expect(!outcome2.ok && outcome2.reason === 'invalid-config' && outcome2.errors.length).toBeGreaterThan(3);
    expect(fs.existsSync(paths.config)).toBe(false);
  });

  it('a device set up at first run trusts the first signed file that carries a key', async () => {
    await service.provisionFromDemo({ config: baseConfig() }, 'first-run');
    const key = newProvisioningKey();
    expect(service.applyProvisioningDocument(signed(configWith(key, 1), key), 'x')).toMatchObject({
      ok: true,
      keyTrusted: true,
    });
  });
});

describe('the link provisioner', () => {
  it('maps outcomes to the route answers without any configuration values', () => {
    const provision = linkProvisioner(service);
    const key = newProvisioningKey();
    expect(provision(signed(configWith(key, 1), key), '10.0.0.5')).toEqual({
      applied: true,
      restartRequired: true,
    });
    expect(audit.entries.at(-1)?.actor).toBe('link-admin@10.0.0.5');
    expect(provision(signed(configWith(key, 2), newProvisioningKey()), '10.0.0.5')).toEqual({
      applied: false,
      error: 'bad-signature',
    });
    const refused = provision(signed(configWith(key, 0), key), '10.0.0.5');
    expect(refused).toMatchObject({
      applied: false,
      error: 'invalid-config',
      fields: [{ path: 'config.revision' }],
    });
  });
});
