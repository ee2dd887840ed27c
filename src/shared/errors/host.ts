import { defineCodes } from './types.js';

/** Band E8: the hosts (Electron, browser), the KioskApi transport and start-up. */
export const HOST_ERRORS = defineCodes({
  badRequest: {
    code: 'E8001',
    name: 'api.bad-request',
    help: 'A KioskApi call had an unknown method or invalid parameters; nothing changed.',
  },
  forbiddenSender: {
    code: 'E8002',
    name: 'api.forbidden-sender',
    help: 'A KioskApi call came from a frame, origin or socket that is not the kiosk page; refused.',
  },
  startupFailed: {
    code: 'E8003',
    name: 'host.startup-failed',
    help: 'The kiosk could not start; the cause code is printed beside this one.',
  },
  rendererGone: {
    code: 'E8004',
    name: 'host.renderer-gone',
    help: 'The kiosk page crashed and was reloaded.',
  },
  dataDir: {
    code: 'E8005',
    name: 'host.data-dir',
    help: 'The data directory could not be created or written.',
  },
  systemPackages: {
    code: 'E8006',
    name: 'host.system-packages',
    help: 'Debian packages the kiosk needs are missing; run the apt-get line printed beside this code.',
  },
});
