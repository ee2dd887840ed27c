/**
 * The device id shown on the setup screen, before provisioning gives the device its configured `deviceId`.
 * From systemd's machine id, hashed with an application-specific label as machine-id(5) asks (the raw id
 * must not be shown or sent), so it is stable across restarts and reinstalls of the app on this machine;
 * without a machine id, from the device key. Shown as `hcp-` and 12 hex digits.
 */
import fs from 'node:fs';
import { sm3Hex } from '../crypto/sm3.js';

const LABEL = 'hcp-kiosk setup device id v1';

export function setupDeviceId(options: { publicKey: string; machineIdFile?: string }): string {
  let machineId: string;
  try {
    machineId = fs.readFileSync(options.machineIdFile ?? '/etc/machine-id', 'utf8').trim();
  } catch {
    machineId = '';
  }
  const source = /^[0-9a-f]{32}$/.test(machineId) ? `machine:${machineId}` : `key:${options.publicKey}`;
  return `hcp-${sm3Hex(`${LABEL}\n${source}`).slice(0, 12)}`;
}
