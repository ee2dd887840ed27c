/**
 * Loads the provisioned configuration from the data directory. No file means "unprovisioned": the kiosk
 * then runs in demo mode (window-link.md "Demo and tests"). A file that does not validate stops start-up
 * with E1001 and its field errors, so a half-provisioned device never takes ratings under wrong settings.
 */
import fs from 'node:fs';
import { parseConfig, type KioskConfig } from '../config/schema.js';
import { CONFIG_ERRORS, KioskError } from '../shared/errors/index.js';

export type LoadedConfig = { provisioned: true; config: KioskConfig } | { provisioned: false };

export function loadProvisionedConfig(configPath: string): LoadedConfig {
  let text: string;
  try {
    text = fs.readFileSync(configPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { provisioned: false };
    throw new KioskError(CONFIG_ERRORS.unreadable, undefined, { path: configPath }, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KioskError(
      CONFIG_ERRORS.unreadable,
      'The configuration file is not valid JSON.',
      { path: configPath },
      { cause: error },
    );
  }
  const parsed = parseConfig(json);
  if (!parsed.ok) {
    throw new KioskError(CONFIG_ERRORS.invalid, undefined, { errors: parsed.errors });
  }
  return { provisioned: true, config: parsed.config };
}
