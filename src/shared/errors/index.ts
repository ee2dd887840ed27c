import { CONFIG_ERRORS } from './config.js';
import { PAD_ERRORS, READER_ERRORS } from './devices.js';
import { HOST_ERRORS } from './host.js';
import { LINK_ERRORS } from './link.js';
import { SESSION_ERRORS } from './session.js';
import { STORE_ERRORS } from './store.js';
import { SYNC_ERRORS } from './sync.js';
import type { ErrorCodeInfo } from './types.js';

export {
  CONFIG_ERRORS,
  PAD_ERRORS,
  READER_ERRORS,
  HOST_ERRORS,
  LINK_ERRORS,
  SESSION_ERRORS,
  STORE_ERRORS,
  SYNC_ERRORS,
};
export type { ErrorCodeInfo } from './types.js';
export { KioskError, isKioskError } from './kiosk-error.js';

/** Every code the kiosk can report, in band order (the README table and the diagnostics links use it). */
export const ALL_ERROR_CODES: readonly ErrorCodeInfo[] = [
  CONFIG_ERRORS,
  STORE_ERRORS,
  LINK_ERRORS,
  PAD_ERRORS,
  READER_ERRORS,
  SYNC_ERRORS,
  SESSION_ERRORS,
  HOST_ERRORS,
].flatMap((band) => Object.values(band) as ErrorCodeInfo[]);

export function errorInfoByCode(code: string): ErrorCodeInfo | undefined {
  return ALL_ERROR_CODES.find((info) => info.code === code);
}
