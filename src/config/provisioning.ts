/**
 * The three ways a configuration comes in, one validator (`parseConfig`), one writer (`saveConfig`):
 *
 * (a) a signed provisioning file `{ config, signature }` from a USB stick (`applyProvisioningFile`) or
 *     `POST /v1/admin/provision` (`applyProvisioningDocument`, via `linkProvisioner`). `signature` is
 *     Ed25519 over the UTF-8 bytes of `canonicalJson(config)` (canonical-json.ts), base64 (or base64url),
 *     64 bytes. Trust on first use: with no key stored, the file must carry `admin.provisioningPublicKey`
 *     and be signed by it; from then on every file must verify against the stored key, so a new key is
 *     accepted only from a file signed by the old one. A file may leave secrets (and the key) out: the
 *     stored ones are kept. When a configuration is stored, a file's `revision` must be above the stored
 *     one, so an older signed file cannot roll the device back.
 * (b) the admin screen (`applyAdminEdit`): a JSON merge patch (RFC 7386: objects merge, `null` removes,
 *     arrays and scalars replace) over the stored configuration. It cannot change the provisioning key or
 *     the revision (those come signed only).
 * (c) first-run setup on a demo device (`provisionFromDemo`): a complete configuration, refused once the
 *     device is provisioned; link/admin tokens left out are generated and handed back once.
 *
 * Whatever is refused is refused whole with field-level errors, and the stored file is left byte-identical.
 * Accepted configurations are written atomically, secrets sealed. Every outcome is audited: changed field
 * paths (never values) or the refusal reason and failing paths.
 */
import { createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import type { ProvisionResult } from '../link/types.js';
import { hashPin } from './admin-pin.js';
import type { ScryptParams } from './admin-pin.js';
import { NO_AUDIT, type AuditActor, type AuditTrail, type ConfigSource } from './audit.js';
import { canonicalJson } from './canonical-json.js';
import { changedPaths, cloneJson, getPath, isObject, mergePatch, setPath, type Json } from './json-data.js';

import { loadConfig, saveConfig, type ConfigPaths } from './config-store.js';
import {
  ed25519KeyProblem,
  parseConfig,
  SECRET_PATHS,
  type FieldError,
  type KioskConfig,
  type KioskConfigInput,
} from './schema.js';
import type { SecretBox } from './secret-store.js';

/** Largest provisioning file read from a USB stick (a roster of 50 photos fits). */
export const PROVISIONING_FILE_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Fields that a running kiosk can take without a restart (the app re-reads them through `onChange`);
 * a change anywhere else answers `restartRequired: true`.
 */
export const LIVE_CONFIG_PATHS = ['staff', 'openingHours', 'ui', 'admin', 'revision'] as const;

export type Refusal =
  | { ok: false; reason: 'invalid-config'; errors: FieldError[] }
  | { ok: false; reason: 'bad-signature' }
  | { ok: false; reason: 'already-provisioned' }
  | { ok: false; reason: 'not-provisioned' };

export interface Accepted {
  ok: true;
  config: KioskConfig;
  /** Dot paths that changed (arrays by their own path, e.g. `staff`). Never values. */
  changed: string[];
  restartRequired: boolean;
  /** The provisioning key was replaced by one the old key signed. */
  keyRotated: boolean;
  /** A provisioning key was stored for the first time (trust on first use). */
  keyTrusted: boolean;
}

export type ApplyOutcome = Accepted | Refusal;

const invalid = (errors: FieldError[]): Refusal => ({ ok: false, reason: 'invalid-config', errors });

function needsRestart(changed: readonly string[]): boolean {
  return changed.some((p) => !LIVE_CONFIG_PATHS.some((live) => p === live || p.startsWith(`${live}.`)));
}

function publicKeyOf(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----')) return createPublicKey({ key: trimmed, format: 'pem' });
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(trimmed, 'base64').toString('base64url') },
    format: 'jwk',
  });
}

function sameKey(a: string, b: string): boolean {
  const der = (k: string) => publicKeyOf(k).export({ format: 'der', type: 'spki' });
  return der(a).equals(der(b));
}

/** The 64 signature bytes from base64 or base64url text, or null. */
function signatureBytes(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/_-]{86}(==)?$/.test(text.trim())) return null;
  const bytes = Buffer.from(text.trim().replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 64 ? bytes : null;
}

/** True when `signature` is a valid Ed25519 signature by `publicKey` over `canonicalJson(config)`. */
export function verifyProvisioningSignature(config: unknown, signature: string, publicKey: string): boolean {
  const sig = signatureBytes(signature);
  if (!sig || ed25519KeyProblem(publicKey) !== null) return false;
  try {
    return verify(null, Buffer.from(canonicalJson(config), 'utf8'), publicKeyOf(publicKey), sig);
  } catch {
    return false;
  }
}

/** Signs a configuration the way the hall's provisioning tool does (tests and tooling). Base64 signature. */
export function signProvisioningConfig(config: unknown, privateKey: KeyObject | string): string {
  return sign(null, Buffer.from(canonicalJson(config), 'utf8'), privateKey).toString('base64');
}

const prefixed = (errors: FieldError[], prefix: string): FieldError[] =>
  errors.map((e) => ({ path: e.path ? `${prefix}.${e.path}` : prefix, message: e.message }));

function finish(current: KioskConfig | null, config: KioskConfig, extra: Partial<Accepted> = {}): Accepted {
  const changed = current === null ? Object.keys(config).sort() : changedPaths(current, config);
  return {
    ok: true,
    config,
    changed,
    restartRequired: current === null || needsRestart(changed),
    keyRotated: false,
    keyTrusted: false,
    ...extra,
  };
}

/**
 * The provisioning validator, pure: checks the envelope, the signature (trust on first use against
 * `current`), the configuration and the revision. Never throws, whatever `doc` is. Field paths are those
 * of the file (`config.hall.code`, `signature`).
 */
export function validateProvisioningDocument(doc: unknown, current: KioskConfig | null): ApplyOutcome {
  try {
    return validateDocument(doc, current);
  } catch {
    // Defensive: nothing below should throw, but a refusal is the only safe answer if it does.
    return invalid([{ path: '', message: 'not a provisioning file' }]);
  }
}

function validateDocument(doc: unknown, current: KioskConfig | null): ApplyOutcome {
  const envelope: FieldError[] = [];
  if (!isObject(doc)) return invalid([{ path: '', message: 'must be an object { config, signature }' }]);
  if (!isObject(doc.config)) envelope.push({ path: 'config', message: 'must be an object' });
  if (typeof doc.signature !== 'string') envelope.push({ path: 'signature', message: 'must be a string' });
  if (envelope.length > 0) return invalid(envelope);
  const fileConfig = doc.config as Json;
  const signature = doc.signature as string;

  const storedKey = current?.admin.provisioningPublicKey ?? null;
  let trustKey = storedKey;
  if (trustKey === null) {
    const offered = getPath(fileConfig, 'admin.provisioningPublicKey');
    const problem =
      typeof offered === 'string' ? ed25519KeyProblem(offered) : 'required at first provisioning';
    if (problem !== null) return invalid([{ path: 'config.admin.provisioningPublicKey', message: problem }]);
    trustKey = offered as string;
  }
  let canonicalOk = true;
  try {
    canonicalJson(fileConfig);
  } catch {
    canonicalOk = false;
  }
  if (!canonicalOk) return invalid([{ path: 'config', message: 'nested too deeply' }]);
  if (!verifyProvisioningSignature(fileConfig, signature, trustKey))
    return { ok: false, reason: 'bad-signature' };

  // Signed: keep what the file leaves out on purpose (secrets, the key).
  const merged = cloneJson(fileConfig) as Json;
  if (current) {
    for (const secretPath of [...SECRET_PATHS, 'admin.provisioningPublicKey']) {
      const stored = getPath(current, secretPath);
      if (getPath(merged, secretPath) === undefined && stored !== undefined)
        setPath(merged, secretPath, stored);
    }
  }
  const parsed = parseConfig(merged);
  if (!parsed.ok) return invalid(prefixed(parsed.errors, 'config'));
  const config = parsed.config;
  if (current !== null) {
    const storedRevision = current.revision ?? 0;
    if ((config.revision ?? 0) <= storedRevision) {
      return invalid([
        {
          path: 'config.revision',
          message: `must be greater than the stored revision ${storedRevision} (stale or replayed file)`,
        },
      ]);
    }
  }
  const newKey = config.admin.provisioningPublicKey ?? trustKey;
  const keyRotated = storedKey !== null && !sameKey(storedKey, newKey);
  return finish(current, config, { keyRotated, keyTrusted: storedKey === null });
}

/** Fields the admin screen may not change: they come only in a signed provisioning file. */
const SIGNED_ONLY = ['admin.provisioningPublicKey', 'revision'] as const;

/** The admin-edit validator, pure. Field paths are configuration paths (`hall.name`). */
export function validateAdminEdit(partial: unknown, current: KioskConfig | null): ApplyOutcome {
  if (current === null) return { ok: false, reason: 'not-provisioned' };
  if (!isObject(partial)) return invalid([{ path: '', message: 'must be an object' }]);
  const merged = mergePatch(current, partial);
  const errors: FieldError[] = [];
  for (const p of SIGNED_ONLY) {
    // Present in the patch (null = remove) and different from the stored value.
    const asked = getPath(partial, p) !== undefined;
    if (asked && canonicalJson(getPath(merged, p) ?? null) !== canonicalJson(getPath(current, p) ?? null)) {
      errors.push({ path: p, message: 'can be changed only by a signed provisioning file' });
    }
  }
  if (errors.length > 0) return invalid(errors);
  const parsed = parseConfig(merged);
  if (!parsed.ok) return invalid(parsed.errors);
  return finish(current, parsed.config);
}

export interface FirstRunInput {
  /** A complete configuration (hall, department, window, device id, province …). Tokens may be left out. */
  config: KioskConfigInput | Json;
  /** The admin PIN to set (6–12 digits), hashed here. */
  pin?: string;
  /** scrypt parameters for the PIN (tests pass a smaller `ln`; the schema requires ln ≥ 15). */
  scrypt?: ScryptParams;
}

export type FirstRunOutcome =
  | (Accepted & {
      /** Tokens generated because the setup left them out: show them once, then they are gone. */
      issued: { linkToken?: string; adminToken?: string };
    })
  | Refusal;

export interface ConfigChange {
  config: KioskConfig;
  changed: string[];
  restartRequired: boolean;
  source: ConfigSource;
}

export interface ConfigServiceOptions {
  paths: ConfigPaths;
  secretBox: SecretBox;
  /** `createAuditTrail(store)`; provisioning before the store opens may use `NO_AUDIT`. */
  audit?: AuditTrail;
  /** Told after each accepted change has been written (apply live paths, or ask for a restart). */
  onChange?: (change: ConfigChange) => void;
}

export interface ConfigService {
  /** The stored configuration (decrypted), or null when unprovisioned. Throws like `loadConfig`. */
  current(): KioskConfig | null;
  /** A provisioning file on a USB stick (or any path). */
  applyProvisioningFile(filePath: string, actor?: AuditActor): ApplyOutcome;
  /** A provisioning file already parsed (the link route). */
  applyProvisioningDocument(doc: unknown, actor: AuditActor, source?: ConfigSource): ApplyOutcome;
  /** The admin screen's merge patch. */
  applyAdminEdit(partialConfig: unknown, actor: AuditActor): ApplyOutcome;
  /** First-run setup: turns a demo (unprovisioned) device into a provisioned one. */
  provisionFromDemo(input: FirstRunInput, actor: AuditActor): Promise<FirstRunOutcome>;
}

function refusalFields(outcome: Refusal): string[] | undefined {
  return outcome.reason === 'invalid-config' ? outcome.errors.map((e) => e.path) : undefined;
}

export function createConfigService(options: ConfigServiceOptions): ConfigService {
  const audit = options.audit ?? NO_AUDIT;
  const current = (): KioskConfig | null => {
    const loaded = loadConfig(options.paths, options.secretBox);
    return loaded.provisioned ? loaded.config : null;
  };

  const commit = <T extends ApplyOutcome>(outcome: T, source: ConfigSource, actor: AuditActor): T => {
    if (!outcome.ok) {
      const fields = refusalFields(outcome);
      audit.record(actor, {
        type: 'config.refused',
        source,
        reason: outcome.reason === 'not-provisioned' ? 'invalid-config' : outcome.reason,
        ...(fields ? { fields } : {}),
      });
      return outcome;
    }
    saveConfig(options.paths, outcome.config, options.secretBox);
    audit.record(actor, {
      type: 'config.change',
      source,
      changed: outcome.changed,
      ...(outcome.keyRotated ? { keyRotated: true } : {}),
      ...(outcome.keyTrusted ? { keyTrusted: true } : {}),
      revision: outcome.config.revision ?? null,
    });
    options.onChange?.({
      config: outcome.config,
      changed: outcome.changed,
      restartRequired: outcome.restartRequired,
      source,
    });
    return outcome;
  };

  const applyProvisioningDocument: ConfigService['applyProvisioningDocument'] = (
    doc,
    actor,
    source = 'link',
  ) => commit(validateProvisioningDocument(doc, current()), source, actor);

  return {
    current,
    applyProvisioningDocument,
    applyProvisioningFile(filePath, actor = 'usb') {
      let doc: unknown;
      try {
        const stat = fs.statSync(filePath);
        if (!stat.isFile() || stat.size > PROVISIONING_FILE_MAX_BYTES) {
          return commit(
            invalid([{ path: '', message: 'not a provisioning file (missing or over 16 MiB)' }]),
            'provisioning-file',
            actor,
          );
        }
        doc = JSON.parse(fs.readFileSync(filePath, 'utf8'));
      } catch {
        return commit(
          invalid([{ path: '', message: 'the file cannot be read or is not JSON' }]),
          'provisioning-file',
          actor,
        );
      }
      return applyProvisioningDocument(doc, actor, 'provisioning-file');
    },
    applyAdminEdit(partialConfig, actor) {
      return commit(validateAdminEdit(partialConfig, current()), 'admin-screen', actor);
    },
    async provisionFromDemo(input, actor) {
      if (current() !== null) return commit({ ok: false, reason: 'already-provisioned' }, 'first-run', actor);
      const config = cloneJson(isObject(input.config) ? input.config : {}) as Json;
      const issued: { linkToken?: string; adminToken?: string } = {};
      for (const key of ['linkToken', 'adminToken'] as const) {
        if (getPath(config, `link.${key}`) === undefined) {
          issued[key] = randomBytes(32).toString('base64url');
          setPath(config, `link.${key}`, issued[key]);
        }
      }
      if (input.pin !== undefined) {
        try {
          setPath(config, 'admin.pinHash', await hashPin(input.pin, input.scrypt));
        } catch {
          return commit(invalid([{ path: 'pin', message: 'must be 6–12 digits' }]), 'first-run', actor);
        }
      }
      const parsed = parseConfig(config);
      // Checked again after the await: another way in may have provisioned meanwhile.
      if (current() !== null) return commit({ ok: false, reason: 'already-provisioned' }, 'first-run', actor);
      if (!parsed.ok) return commit(invalid(parsed.errors), 'first-run', actor);
      const accepted = commit(
        finish(null, parsed.config, { keyTrusted: parsed.config.admin.provisioningPublicKey !== undefined }),
        'first-run',
        actor,
      );
      return { ...accepted, issued };
    },
  };
}

/**
 * The `LinkBackend.provision` implementation for `POST /v1/admin/provision`: applies the file through
 * `service` with actor `link-admin@<remote>` and maps the outcome to the route's answer.
 */
export function linkProvisioner(service: ConfigService): (file: unknown, remote: string) => ProvisionResult {
  return (file, remote) => {
    const outcome = service.applyProvisioningDocument(file, `link-admin@${remote}`, 'link');
    if (outcome.ok) return { applied: true, restartRequired: outcome.restartRequired };
    if (outcome.reason === 'bad-signature') return { applied: false, error: 'bad-signature' };
    const fields =
      outcome.reason === 'invalid-config' ? outcome.errors : [{ path: '', message: outcome.reason }];
    return { applied: false, error: 'invalid-config', fields };
  };
}
