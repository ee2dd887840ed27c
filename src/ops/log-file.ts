/**
 * Structured JSON logs on disk with rotation and a hard size cap, for devices that run for years on a
 * small eMMC: `hcp-kiosk.log` grows to `maxBytes`, then becomes `hcp-kiosk.log.1` (older ones shift up to
 * `.log.<maxFiles-1>`, the oldest is deleted), so the logs never take more than about maxBytes × maxFiles.
 * Writes are synchronous appends: a device that loses power at night keeps every line written before.
 *
 * PII: every line goes through `redactLine` (app/logger.ts's `redact` for ID numbers, plus mobile
 * numbers) when written and again when exported, so logs written by an older version are cleaned too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { logLine, redact, writeOrCount, type LogEntry, type Logger } from '../app/logger.js';

/** Mainland mobile numbers (11 digits starting 1[3-9]) → 138****1234. Proposed for app/logger.ts. */
const MOBILE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;

export function redactLine(text: string): string {
  return redact(text).replace(MOBILE, '$1****$2');
}

export interface RotatingLogOptions {
  dir: string;
  /** File name of the current log (default hcp-kiosk.log). */
  baseName?: string;
  /** Size at which the current file is rotated (default 1 MiB). */
  maxBytes?: number;
  /** Files kept, the current one included (default 5). */
  maxFiles?: number;
}

export class RotatingLogFile {
  readonly dir: string;
  readonly baseName: string;
  readonly maxBytes: number;
  readonly maxFiles: number;
  private size: number;

  constructor(options: RotatingLogOptions) {
    this.dir = options.dir;
    this.baseName = options.baseName ?? 'hcp-kiosk.log';
    this.maxBytes = Math.max(1024, options.maxBytes ?? 1024 * 1024);
    this.maxFiles = Math.max(1, options.maxFiles ?? 5);
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o750 });
    this.size = fileSize(this.pathOf(0));
  }

  /** The current file (index 0) or a rotated one (1 … maxFiles-1). */
  pathOf(index: number): string {
    const current = path.join(this.dir, this.baseName);
    return index === 0 ? current : `${current}.${index}`;
  }

  /** Existing log files, newest first. */
  files(): string[] {
    const result: string[] = [];
    for (let index = 0; index < this.maxFiles; index++) {
      if (fs.existsSync(this.pathOf(index))) result.push(this.pathOf(index));
    }
    return result;
  }

  /**
   * Appends one line (a newline is added). Rotates first when the line would pass maxBytes. Throws what the
   * file system throws (ENOSPC, EROFS): `createFileLogger` counts it, so no caller ever sees it.
   */
  write(line: string): void {
    const bytes = Buffer.from(`${redactLine(line.replace(/\n/g, '\\n'))}\n`, 'utf8');
    if (this.size > 0 && this.size + bytes.length > this.maxBytes) this.rotate();
    // A single line longer than the cap is cut, so one runaway message cannot defeat the cap.
    const body = bytes.length > this.maxBytes ? truncateLine(bytes, this.maxBytes) : bytes;
    try {
      fs.appendFileSync(this.pathOf(0), body, { mode: 0o640 });
    } catch (error) {
      // A failed append may still have written part of the line: read the size again rather than guess.
      this.size = fileSize(this.pathOf(0));
      throw error;
    }
    this.size += body.length;
  }

  rotate(): void {
    if (this.maxFiles === 1) {
      fs.rmSync(this.pathOf(0), { force: true });
    } else {
      fs.rmSync(this.pathOf(this.maxFiles - 1), { force: true });
      for (let index = this.maxFiles - 2; index >= 0; index--) {
        const from = this.pathOf(index);
        if (fs.existsSync(from)) fs.renameSync(from, this.pathOf(index + 1));
      }
    }
    this.size = 0;
  }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function truncateLine(bytes: Buffer, maxBytes: number): Buffer {
  const marker = Buffer.from('…[truncated]\n', 'utf8');
  let end = Math.max(0, maxBytes - marker.length);
  // Do not cut a UTF-8 sequence in half.
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return Buffer.concat([bytes.subarray(0, end), marker]);
}

export interface FileLoggerOptions {
  now?: () => number;
  /** Also write each line here (stderr by default in production; tests pass nothing). */
  mirror?: (line: string) => void;
}

/**
 * A `Logger` (app/logger.ts's entry shape) that writes JSON lines to a rotating file. It never throws: a
 * line the file cannot take (disk full, read-only) is counted as dropped (app/logger.ts) and still goes
 * to the mirror, so journald keeps it; a failing mirror is counted the same way.
 */
export function createFileLogger(file: RotatingLogFile, options: FileLoggerOptions = {}): Logger {
  const now = options.now ?? Date.now;
  return (entry: LogEntry) => {
    let line: string;
    try {
      line = redactLine(logLine(new Date(now()).toISOString(), entry));
    } catch {
      line = JSON.stringify({ level: entry.level, code: entry.code, msg: 'unserialisable log entry' });
    }
    writeOrCount(() => file.write(line));
    const mirror = options.mirror;
    if (mirror) writeOrCount(() => mirror(line));
  };
}

export interface ExportedLog {
  file: string;
  bytes: number;
  lines: number;
}

/**
 * Copies the current and rotated logs into `targetDir` (a USB stick, for diagnostics), each line
 * redacted again. Returns what was written, oldest file first.
 */
export async function exportLogs(
  targetDir: string,
  source: Pick<RotatingLogFile, 'files'>,
): Promise<ExportedLog[]> {
  await fs.promises.mkdir(targetDir, { recursive: true });
  const exported: ExportedLog[] = [];
  for (const file of source.files().reverse()) {
    let text: string;
    try {
      text = await fs.promises.readFile(file, 'utf8');
    } catch {
      continue; // rotated away meanwhile
    }
    const lines = text.split('\n').filter((line) => line !== '');
    const body = lines.map(redactLine).join('\n') + (lines.length > 0 ? '\n' : '');
    const target = path.join(targetDir, path.basename(file));
    await fs.promises.writeFile(target, body, { mode: 0o640 });
    exported.push({ file: target, bytes: Buffer.byteLength(body), lines: lines.length });
  }
  return exported;
}
