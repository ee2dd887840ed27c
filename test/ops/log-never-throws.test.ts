/**
 * Logging never throws into its caller (issue 15 item 7): a full disk made the log file's append throw
 * inside a request handler. And errors thrown by event listeners go through one coded, redacting sink,
 * never console.error with their message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, droppedLogLines } from '../../src/app/logger.js';
import { createFileLogger, RotatingLogFile } from '../../src/ops/log-file.js';
import { TypedEmitter } from '../../drivers/events.js';
import { setListenerErrorSink, type ListenerErrorLine } from '../../src/shared/listener-errors.js';
import { HOST_ERRORS } from '../../src/shared/errors/index.js';

const dirs: string[] = [];
afterEach(() => {
  setListenerErrorSink(null);
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('logging on a disk that cannot take a line', () => {
  it('drops and counts the line the log file refuses with ENOSPC, still mirrors it, and does not throw', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-log-full-'));
    dirs.push(dir);
    // /dev/full answers every write with ENOSPC: the log file is on a disk that is full.
    fs.symlinkSync('/dev/full', path.join(dir, 'hcp-kiosk.log'));
    const mirrored: string[] = [];
    const log = createFileLogger(new RotatingLogFile({ dir }), { mirror: (line) => mirrored.push(line) });
    const before = droppedLogLines();
    expect(() =>
      log({ level: 'warn', code: 'E3999', msg: 'internal error (cause SqliteError)' }),
    ).not.toThrow();
    expect(() => log({ level: 'info', msg: 'second line' })).not.toThrow();
    expect(droppedLogLines() - before).toBe(2);
    expect(mirrored).toHaveLength(2);
    expect(mirrored[0]).toContain('E3999');
  });

  it('a stderr logger whose write throws (EPIPE) neither throws nor stops counting', () => {
    const log = createLogger(() => {
      throw Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    });
    const before = droppedLogLines();
    expect(() => log({ level: 'error', msg: 'x' })).not.toThrow();
    expect(droppedLogLines() - before).toBe(1);
  });
});

class Emitter extends TypedEmitter<{ card: { certKey: string } }> {
  fire(certKey: string): boolean {
    return this.emit('card', { certKey });
  }
}

describe('errors thrown by event listeners', () => {
  it('go to the one sink as a coded line naming the event and the cause, without the error message, and the other listeners still run', () => {
    const lines: ListenerErrorLine[] = [];
    setListenerErrorSink((line) => lines.push(line));
    const emitter = new Emitter();
    const seen: string[] = [];
    emitter.on('card', ({ certKey }) => {
      throw new RangeError(`bad card ${certKey}`);
    });
    emitter.on('card', ({ certKey }) => seen.push(certKey));
    expect(emitter.fire('46010019900101123X')).toBe(false);
    expect(seen).toEqual(['46010019900101123X']);
    expect(lines).toEqual([
      { level: 'error', code: HOST_ERRORS.listenerFailed.code, msg: 'listener for card (cause RangeError)' },
    ]);
    expect(JSON.stringify(lines)).not.toContain('4601001990');
  });
});
