/**
 * Structured JSON log lines (one object per line on stderr). Entries carry codes and counts, never PII:
 * the `redact` pass below is a last line of defence that masks anything shaped like an ID number.
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

export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Logger {
  return (entry) => {
    write(redact(JSON.stringify({ time: new Date().toISOString(), ...entry })));
  };
}

export const silentLogger: Logger = () => undefined;
