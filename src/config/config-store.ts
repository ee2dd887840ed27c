/**
 * The provisioned configuration on disk: `DATA_DIR/config.json`, the schema's shape with every secret
 * (`SECRET_PATHS`) replaced by a sealed blob (secret-store.ts). Each blob seals `[path, value]`, so a blob
 * copied onto another field fails to open. Writes are atomic (atomic-file.ts). A file written before
 * secrets were sealed (secrets in clear) still loads, and is rewritten sealed at once (`migrated`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_ERRORS, KioskError } from '../shared/errors/index.js';
import { writeFileAtomic } from './atomic-file.js';
import { parseConfig, SECRET_PATHS, type KioskConfig, type SecretPath } from './schema.js';
import { isSealed, type SecretBox } from './secret-store.js';

/** The files of this module in the data directory. */
export interface ConfigPaths {
  dir: string;
  /** The configuration, secrets sealed. */
  config: string;
  /** The 0600 AES key of the key-file secret box (unused while Electron safeStorage seals). */
  secretKey: string;
  /** Admin PIN lockout state (admin-pin.ts), so a restart does not reset a lockout. */
  pinState: string;
}

export function configPaths(dir: string): ConfigPaths {
  return {
    dir,
    config: path.join(dir, 'config.json'),
    secretKey: path.join(dir, 'config.key'),
    pinState: path.join(dir, 'admin-pin-state.json'),
  };
}

export type LoadedConfig =
  | { provisioned: false }
  | {
      provisioned: true;
      config: KioskConfig;
      /** True when the file held secrets in clear and has just been rewritten sealed. */
      migrated: boolean;
    };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function secretAt(root: Json, secretPath: SecretPath): { holder: Json; key: string } | null {
  const [section, key] = secretPath.split('.') as [string, string];
  const holder = root[section];
  return isObject(holder) && Object.prototype.hasOwnProperty.call(holder, key) ? { holder, key } : null;
}

/** A deep copy of `config` ready for disk: secrets sealed, nothing else changed. */
export function sealConfig(config: KioskConfig, box: SecretBox): Json {
  const copy = JSON.parse(JSON.stringify(config)) as Json;
  for (const secretPath of SECRET_PATHS) {
    const at = secretAt(copy, secretPath);
    if (!at) continue;
    const value = at.holder[at.key];
    if (typeof value === 'string') at.holder[at.key] = box.seal(JSON.stringify([secretPath, value]));
  }
  return copy;
}

/** Opens the sealed secrets of a stored object in place. Answers whether any secret was found in clear. */
function unsealInPlace(stored: Json, box: SecretBox): { hadClear: boolean } {
  let hadClear = false;
  for (const secretPath of SECRET_PATHS) {
    const at = secretAt(stored, secretPath);
    if (!at) continue;
    const value = at.holder[at.key];
    if (isSealed(value)) {
      const opened = box.open(value);
      let pair: unknown;
      try {
        pair = JSON.parse(opened);
      } catch {
        pair = null;
      }
      if (!Array.isArray(pair) || pair[0] !== secretPath || typeof pair[1] !== 'string') {
        throw new KioskError(CONFIG_ERRORS.secretsUnavailable, 'A sealed secret belongs to another field.', {
          path: secretPath,
        });
      }
      at.holder[at.key] = pair[1];
    } else if (typeof value === 'string') {
      hadClear = true;
    }
  }
  return { hadClear };
}

export function saveConfig(paths: ConfigPaths, config: KioskConfig, box: SecretBox): void {
  writeFileAtomic(paths.config, JSON.stringify(sealConfig(config, box), null, 2) + '\n', 0o600);
}

/**
 * Loads the provisioned configuration. No file: `{ provisioned: false }` (demo mode). Throws KioskError
 * E1002 (unreadable / not JSON), E1004 (a secret cannot be opened) or E1001 (invalid; `details.errors`
 * holds the field errors).
 */
export function loadConfig(paths: ConfigPaths, box: SecretBox): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(paths.config, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { provisioned: false };
    throw new KioskError(CONFIG_ERRORS.unreadable, undefined, { path: paths.config }, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KioskError(
      CONFIG_ERRORS.unreadable,
      'The configuration file is not valid JSON.',
      { path: paths.config },
      { cause: error },
    );
  }
  if (!isObject(json)) {
    throw new KioskError(CONFIG_ERRORS.invalid, undefined, {
      errors: [{ path: '', message: 'must be a JSON object' }],
    });
  }
  const { hadClear } = unsealInPlace(json, box);
  const parsed = parseConfig(json);
  if (!parsed.ok) {
    // The message names the fields, so a technician reading one log line knows what to add (e.g. the
    // `window.defaultStaff` every window must have since domain-rules §11 ⟨r2⟩).
    const fields = parsed.errors.map((e) => `${e.path || '(file)'}: ${e.message}`).join('; ');
    throw new KioskError(CONFIG_ERRORS.invalid, `${CONFIG_ERRORS.invalid.help} ${fields}`, {
      errors: parsed.errors,
    });
  }
  if (hadClear) saveConfig(paths, parsed.config, box);
  return { provisioned: true, config: parsed.config, migrated: hadClear };
}
