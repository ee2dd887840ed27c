import { describe, expect, it } from 'vitest';
import { parseConfig, redactConfig, SECRET_PATHS } from '../../src/config/schema.js';
import { hashPin } from '../../src/config/admin-pin.js';
import { staffCardDigest } from '../../src/config/staff-roster.js';
import { baseConfig, containsSecret, newProvisioningKey, STAFF_CARD_KEY } from './helpers.js';

const JPEG = 'data:image/jpeg;base64,' + Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2]).toString('base64');

describe('the configuration schema additions', () => {
  it('accepts a roster with photos, titles and card digests', () => {
    const parsed = parseConfig({
      ...baseConfig(),
      staff: [
        {
          staffId: 'S001',
          name: '王芳',
          title: '受理员',
          photo: JPEG,
          cardDigest: staffCardDigest(STAFF_CARD_KEY, '11010519491231002X'),
        },
        { staffId: 'S002', name: '李强' },
      ],
    });
    expect(parsed.ok).toBe(true);
  });

  it('refuses duplicate staff ids, duplicate card digests, bad photos and non-hex digests by path', () => {
    const digest = 'a'.repeat(64);
    const parsed = parseConfig({
      ...baseConfig(),
      staff: [
        { staffId: 'S001', name: '王芳', cardDigest: digest },
        { staffId: 'S001', name: '李强', cardDigest: digest, photo: 'data:image/gif;base64,AAAA' },
        { staffId: 'S003', name: '张三', cardDigest: '11010519491231002X' },
      ],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.path).sort()).toEqual([
      'staff.1.cardDigest',
      'staff.1.photo',
      'staff.1.staffId',
      'staff.2.cardDigest',
    ]);
  });

  it('takes an Ed25519 provisioning key as raw base64 or SPKI PEM and refuses anything else', () => {
    const key = newProvisioningKey();
    for (const good of [key.raw, key.pem]) {
      expect(parseConfig({ ...baseConfig(), admin: { provisioningPublicKey: good } }).ok).toBe(true);
    }
    for (const bad of [
      'abc',
      Buffer.alloc(31).toString('base64'),
      '-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----',
    ]) {
      const parsed = parseConfig({ ...baseConfig(), admin: { provisioningPublicKey: bad } });
      expect(!parsed.ok && parsed.errors[0]?.path).toBe('admin.provisioningPublicKey');
    }
  });

  it('accepts a default-strength PIN hash and refuses weaker parameters or other shapes', async () => {
    expect(parseConfig({ ...baseConfig(), admin: { pinHash: await hashPin('246810') } }).ok).toBe(true);
    const weak = await hashPin('246810', { ln: 4, r: 8, p: 1 });
    for (const bad of [weak, 'plain-pin', '$2b$10$abcdefghijklmnopqrstuv']) {
      const parsed = parseConfig({ ...baseConfig(), admin: { pinHash: bad } });
      expect(!parsed.ok && parsed.errors[0]?.path).toBe('admin.pinHash');
    }
  });

  it('redactConfig turns every secret, set or not, into "set" / "not set" and hides card digests', () => {
    const parsed = parseConfig({
      ...baseConfig(),
      staff: [{ staffId: 'S001', name: '王芳', cardDigest: 'b'.repeat(64) }],
    });
    if (!parsed.ok) throw new Error('invalid');
    const redacted = redactConfig(parsed.config) as Record<string, Record<string, unknown>>;
    expect(containsSecret(JSON.stringify(redacted))).toBeNull();
    expect(JSON.stringify(redacted)).not.toContain('b'.repeat(64));
    expect(redacted.admin).toEqual({ pinHash: 'not set', staffCardKey: 'set' });
    expect((redacted.staff as unknown as Record<string, unknown>[])[0]?.cardDigest).toBe('set');
    expect(SECRET_PATHS).toContain('admin.staffCardKey');
  });
});
