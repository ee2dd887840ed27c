/**
 * The one sink for errors thrown by event listeners (driver events, kiosk views, window-link events) and by
 * background tasks nobody awaits (issue 15 item 7). Such an error used to go to `console.error` with its
 * message and stack, past the redacting logger, where a message may carry anything. Here it becomes one
 * log line with a stable code (E8051 / E8052), the error's own code or class name, and no message.
 *
 * Process-wide on purpose: drivers' emitters are created far from the composition root, and the process has
 * one log. Until the root installs its logger the sink writes the same line to stderr.
 */
import { HOST_ERRORS } from './errors/host.js';
import type { ErrorCodeInfo } from './errors/types.js';

// A type alias, not an interface, so it fits the logger's entry (which has an index signature).
export type ListenerErrorLine = {
  level: 'error';
  code: string;
  msg: string;
};

type Sink = (line: ListenerErrorLine) => void;

const toStderr: Sink = (line) => {
  try {
    process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...line })}\n`);
  } catch {
    // Nothing is left to report to.
  }
};

let sink: Sink = toStderr;
let reported = 0;

/** The composition root routes these lines to its logger; `null` goes back to stderr (tests). */
export function setListenerErrorSink(next: Sink | null): void {
  sink = next ?? toStderr;
}

/** How many listener errors and unhandled rejections were reported since start (diagnostics). */
export function listenerErrorCount(): number {
  return reported;
}

/** What may be logged of an unknown error: its code (E…, SQLITE_…, ENOSPC) or its class name, never the text. */
export function errorCause(error: unknown): string {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  if (error instanceof Error) return error.constructor.name;
  return typeof error;
}

function report(info: ErrorCodeInfo, where: string, error: unknown): void {
  reported += 1;
  try {
    sink({ level: 'error', code: info.code, msg: `${where} (cause ${errorCause(error)})` });
  } catch {
    // A logger that throws must not turn one failure into two.
  }
}

/** An event listener threw: `where` names the event, e.g. `pad rating listener`. Never throws. */
export function reportListenerError(where: string, error: unknown): void {
  report(HOST_ERRORS.listenerFailed, where, error);
}

/** A promise nobody handled was rejected (process `unhandledRejection`). Never throws. */
export function reportUnhandledRejection(error: unknown): void {
  report(HOST_ERRORS.unhandledRejection, 'unhandled rejection', error);
}
