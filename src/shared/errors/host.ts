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
  adminNoSession: {
    code: 'E8007',
    name: 'admin.no-session',
    help: 'An admin call came without an active admin session (not entered, exited, or 2 minutes idle); enter the admin PIN again.',
  },
  adminBusy: {
    code: 'E8008',
    name: 'admin.busy',
    help: 'The admin screens cannot open while a citizen is rating; wait for the rating screen to close.',
  },
  adminExportPath: {
    code: 'E8009',
    name: 'admin.export-path',
    help: 'The log export folder must be an absolute path under /media, /mnt or the data directory’s exports/, without `..` or links leading out.',
  },
  adminExportFailed: {
    code: 'E8010',
    name: 'admin.export-failed',
    help: 'The logs could not be written to the chosen folder (stick full, read-only or removed); nothing else changed.',
  },
  adminDeviceUnavailable: {
    code: 'E8011',
    name: 'admin.device-unavailable',
    help: 'The pad test needs a connected RP/1 pad with that capability; check the pad on the diagnostics screen.',
  },
  adminNotDeadLetter: {
    code: 'E8012',
    name: 'admin.not-dead-letter',
    help: 'Only a dead letter can be resent; that record is pending or already delivered.',
  },
  cspViolation: {
    code: 'E8013',
    name: 'host.csp-violation',
    help: 'The kiosk page tried to load or run something its Content-Security-Policy forbids (blocked, counted on diagnostics). Repeated counts mean injected content or a tampered page: report them.',
  },
  logWriteFailed: {
    code: 'E8050',
    name: 'host.log-write-failed',
    help: 'A log line could not be written to the log file (disk full or read-only); it was dropped and counted on diagnostics, and the kiosk went on. Free space on the data disk.',
  },
  listenerFailed: {
    code: 'E8051',
    name: 'host.listener-failed',
    help: 'A part of the kiosk threw while handling an event (device, view or window-link event); the error was logged and the kiosk went on. Report it with the log.',
  },
  unhandledRejection: {
    code: 'E8052',
    name: 'host.unhandled-rejection',
    help: 'A background task failed without handling its error; it was logged and the kiosk kept running. Report it with the log.',
  },
  setupMode: {
    code: 'E8060',
    name: 'host.setup-mode',
    help: 'The device is in setup mode (not yet provisioned): only GET /v1/health and POST /v1/admin/provision are served (503 for the rest). Provision it with a signed file on a USB stick or through the admin route.',
  },
  demoToolsMissing: {
    code: 'E8061',
    name: 'host.demo-tools-missing',
    help: 'Demo mode needs the project’s dev-tools (province test server, device simulators), which a packaged build does not ship; run demo mode from a checkout (`npm start`), or provision the device.',
  },
  demoLeftoverReap: {
    code: 'E8062',
    name: 'host.demo-leftover',
    help: 'A simulator process or temp folder left by an earlier demo run (crash or SIGKILL) could not be removed at start; see the log line for the pid and folder.',
  },
  alreadyRunning: {
    code: 'E8070',
    name: 'host.already-running',
    help: 'Another kiosk process (its pid is in the log line and in kiosk.lock) already runs on this data directory; this one stopped without touching it. Stop the other one first; a lock left by a killed process is taken over by itself.',
  },
});
