import { defineCodes } from './types.js';

/** Band E1: configuration and provisioning. */
export const CONFIG_ERRORS = defineCodes({
  invalid: {
    code: 'E1001',
    name: 'config.invalid',
    help: 'The configuration failed validation; the field errors say which value to fix. The previous configuration stays in force.',
  },
  unreadable: {
    code: 'E1002',
    name: 'config.unreadable',
    help: 'The configuration file could not be read or is not JSON.',
  },
  badSignature: {
    code: 'E1003',
    name: 'config.bad-signature',
    help: 'The provisioning file is not signed by the hall key set at first provisioning.',
  },
  secretsUnavailable: {
    code: 'E1004',
    name: 'config.secrets-unavailable',
    help: 'The secret store could not be opened (key file missing or unreadable); secrets must be provisioned again.',
  },
  pinLocked: {
    code: 'E1005',
    name: 'config.pin-locked',
    help: 'Too many wrong admin PINs; wait for the lockout to end.',
  },
  pinWrong: {
    code: 'E1006',
    name: 'config.pin-wrong',
    help: 'The admin PIN is wrong; the attempt was audited.',
  },
  pinNotSet: {
    code: 'E1007',
    name: 'config.pin-not-set',
    help: 'No admin PIN is set; on a demo device set one on the admin screen, else provision `admin.pinHash`.',
  },
  pinAlreadySet: {
    code: 'E1008',
    name: 'config.pin-already-set',
    help: 'The admin screen sets a PIN only while none is set; a provisioned PIN changes by provisioning file.',
  },
  notProvisioned: {
    code: 'E1009',
    name: 'config.not-provisioned',
    help: 'A demo (unprovisioned) device has no configuration to edit; provision it through first-run setup on the admin screen or a signed provisioning file.',
  },
  alreadyProvisioned: {
    code: 'E1010',
    name: 'config.already-provisioned',
    help: 'First-run setup is only for demo devices; a provisioned device changes by the admin screen settings or a signed provisioning file.',
  },
  deviceKeyInvalid: {
    code: 'E1050',
    name: 'config.device-key-invalid',
    help: 'The device key file (device-key.json) is unreadable, readable by group or others, or its public key does not match its sealed private key; it is never replaced silently (records are signed with it): restore it from backup, or re-register a new key with the hall.',
  },
  setupTokenFile: {
    code: 'E1051',
    name: 'config.setup-token-file',
    help: 'The setup-mode admin token file (setup-admin-token) could not be written owner-only in the data directory.',
  },
});
