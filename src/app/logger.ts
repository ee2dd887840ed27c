/**
 * Structured JSON log lines (one object per line on stderr). Entries carry codes and counts, never PII:
 * the `redact` pass below is a last line of defence that masks anything shaped like an ID number.
 *
 * Logging never throws into its caller (issue 15 item 7): a full or read-only disk made the log file's
 * append throw inside a request handler, whose catch logged again and whose rejection ended the process. A
 * line that cannot be written is dropped and counted (`droppedLogLines`, shown on diagnostics, E8050).
 */
export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  code?: string;
  msg: string;
  [key: string]: unknown;
}

export type Logger = (entry: LogEntry) => void;

const ID_NUMBER = /\b(\d{4})\d{10}(\d{3}[\dXx])\b/g;

export function redact(text: string): string {
  return text.replace(ID_NUMBER, '$1**********$2');
}

/** Lines no sink could take since the process started: one count per process, as there is one log. */
let dropped = 0;

export function droppedLogLines(): number {
  return dropped;
}

/** Runs one write of a log line; a failure is counted, never thrown (nothing is left to report it to). */
export function writeOrCount(write: () => void): boolean {
  try {
    write();
    return true;
  } catch {
    dropped += 1;
    return false;
  }
}

/** Serialises an entry; an entry that cannot be (a cycle, a BigInt) still gives a line with its code. */
export function logLine(time: string, entry: LogEntry): string {
  try {
    return redact(JSON.stringify({ time, ...entry }));
  } catch {
    return JSON.stringify({ time, level: entry.level, code: entry.code, msg: 'unserialisable log entry' });
  }
}

export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Logger {
  return (entry) => {
    writeOrCount(() => write(logLine(new Date().toISOString(), entry)));
  };
}

export const silentLogger: Logger = () => undefined;
