import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createConfigService,
  validateProvisioningDocument,
  verifyProvisioningSignature,
} from '../../src/config/provisioning.js';
import { loadConfig } from '../../src/config/config-store.js';
import { createKeyFileBox } from '../../src/config/secret-store.js';
import { parseConfig } from '../../src/config/schema.js';
import { configWith, newProvisioningKey, signed, tempDataDir } from './helpers.js';

const key = newProvisioningKey();
const data = tempDataDir();
const box = createKeyFileBox(data.paths.secretKey);
const service = createConfigService({ paths: data.paths, secretBox: box });

beforeAll(() => {
  const first = service.applyProvisioningDocument(signed(configWith(key, 1), key), 'test');
  if (!first.ok) throw new Error('setup failed');
});
afterAll(() => data.cleanup());

/** Documents near the real shape: random configs, real and forged signatures, the valid config mutated. */
const nearDocs = fc.oneof(
  fc.jsonValue(),
  fc.record({ config: fc.jsonValue(), signature: fc.oneof(fc.string(), fc.base64String()) }),
  fc.record({
    config: fc.dictionary(fc.string(), fc.jsonValue()),
    signature: fc.base64String({ minLength: 88, maxLength: 88 }),
  }),
  fc
    .tuple(fc.constantFrom(...Object.keys(configWith(key, 2))), fc.jsonValue(), fc.boolean())
    .map(([field, value, sign]) => {
      const config = { ...configWith(key, 2), [field]: value };
      return sign ? signed(config, key) : signed(config, newProvisioningKey());
    }),
);

describe('the provisioning validator under random input', () => {
  it('never throws and never changes the stored configuration unless the file is valid and signed', () => {
    fc.assert(
      fc.property(nearDocs, (doc) => {
        const before = fs.readFileSync(data.paths.config);
        const stored = loadConfig(data.paths, box);
        const current = stored.provisioned ? stored.config : null;
        const verdict = validateProvisioningDocument(doc, current);
        const outcome = service.applyProvisioningDocument(doc, 'property');
        expect(outcome.ok).toBe(verdict.ok);
        if (!outcome.ok) {
          expect(fs.readFileSync(data.paths.config).equals(before)).toBe(true);
          return;
        }
        // Accepted: it was signed by the trusted key and its config validates.
        const d = doc as { config: unknown; signature: string };
        expect(verifyProvisioningSignature(d.config, d.signature, key.raw)).toBe(true);
        expect(parseConfig(outcome.config).ok).toBe(true);
        expect(outcome.config.revision ?? 0).toBeGreaterThan(current?.revision ?? 0);
        const reloaded = loadConfig(data.paths, box);
        expect(reloaded.provisioned && reloaded.config).toEqual(outcome.config);
      }),
      { numRuns: 300 },
    );
  });

  it('a valid signed file with a higher revision is always accepted', () => {
    let revision = 1000;
    fc.assert(
      fc.property(fc.constantFrom('A01', 'B-2', 'C3'), fc.boolean(), (windowNo, largeType) => {
        revision += 1;
        const config = configWith(key, revision, { windowNo, ui: { largeType } });
        expect(service.applyProvisioningDocument(signed(config, key), 'property').ok).toBe(true);
      }),
      { numRuns: 20 },
    );
  });
});
