/**
 * Process-wide guards (issue 15 item 7): a promise rejected with nobody to handle it is reported through
 * the one redacting sink (E8052) and the kiosk keeps running, instead of Node ending the process (its
 * default since v15) and taking the window with it. A closed stderr or stdout (EPIPE, journald gone) must
 * not end it either: those writes are the log's mirror, and a lost line is already counted.
 *
 * Idempotent: the composition root calls it at every start (tests start many kiosks in one process).
 */
import {
  reportUnhandledRejection,
  setListenerErrorSink,
  type ListenerErrorLine,
} from '../shared/listener-errors.js';

let installed = false;

export function installProcessGuards(log: (line: ListenerErrorLine) => void): void {
  // The latest kiosk's logger takes the lines (one kiosk per process outside tests).
  setListenerErrorSink(log);
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason) => reportUnhandledRejection(reason));
  process.stderr.on('error', () => undefined);
  process.stdout.on('error', () => undefined);
}
