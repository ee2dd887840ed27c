import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger, exportLogs, redactLine, RotatingLogFile } from '../../src/ops/log-file.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-logs-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const ID = '460100199001011234';

describe('the rotating JSON log file', () => {
  it('writes one redacted JSON object per line with the injected time', () => {
    const file = new RotatingLogFile({ dir });
    const log = createFileLogger(file, { now: () => Date.UTC(2025, 5, 2, 2, 0) });
    log({ level: 'info', code: 'I1000', msg: `citizen ${ID} phone 13812345678` });
    const [line] = fs.readFileSync(path.join(dir, 'hcp-kiosk.log'), 'utf8').trim().split('\n');
    const entry = JSON.parse(line ?? '') as Record<string, unknown>;
    expect(entry).toEqual({
      time: '2025-06-02T02:00:00.000Z',
      level: 'info',
      code: 'I1000',
      msg: 'citizen 4601**********1234 phone 138****5678',
    });
  });

  it('rotates at the size cap and never keeps more than maxFiles files', () => {
    const file = new RotatingLogFile({ dir, maxBytes: 2048, maxFiles: 3 });
    for (let i = 0; i < 500; i++) file.write(JSON.stringify({ i, msg: 'x'.repeat(40) }));
    const names = fs.readdirSync(dir).sort();
    expect(names).toEqual(['hcp-kiosk.log', 'hcp-kiosk.log.1', 'hcp-kiosk.log.2']);
    for (const name of names) expect(fs.statSync(path.join(dir, name)).size).toBeLessThanOrEqual(2048);
    const newest = fs.readFileSync(path.join(dir, 'hcp-kiosk.log'), 'utf8').trim().split('\n').at(-1);
    expect(JSON.parse(newest ?? '')).toMatchObject({ i: 499 });
  });

  it('continues the existing file after a restart and cuts a single oversized line', () => {
    new RotatingLogFile({ dir, maxBytes: 1024 }).write('first');
    const again = new RotatingLogFile({ dir, maxBytes: 1024 });
    again.write('second');
    expect(fs.readFileSync(again.pathOf(0), 'utf8')).toBe('first\nsecond\n');
    again.write('好'.repeat(2000));
    expect(fs.statSync(again.pathOf(0)).size).toBeLessThanOrEqual(1024);
    expect(fs.readFileSync(again.pathOf(0), 'utf8')).toMatch(/好…\[truncated\]\n$/);
    expect(fs.readFileSync(again.pathOf(1), 'utf8')).toBe('first\nsecond\n');
  });

  it('exports every log, oldest first, redacting lines an older version wrote unredacted', async () => {
    const file = new RotatingLogFile({ dir: path.join(dir, 'logs'), maxBytes: 1024, maxFiles: 3 });
    fs.writeFileSync(file.pathOf(1), `{"msg":"old ${ID}"}\n`);
    file.write('{"msg":"new"}');
    const exported = await exportLogs(path.join(dir, 'usb'), file);
    expect(exported.map((e) => path.basename(e.file))).toEqual(['hcp-kiosk.log.1', 'hcp-kiosk.log']);
    expect(fs.readFileSync(path.join(dir, 'usb', 'hcp-kiosk.log.1'), 'utf8')).toBe(
      '{"msg":"old 4601**********1234"}\n',
    );
    expect(exported[1]).toMatchObject({ lines: 1 });
  });

  it('masks ID numbers and mobile numbers but not other long numbers', () => {
    expect(redactLine(`${ID} 1381234567 19912345678 12345678901`)).toBe(
      '4601**********1234 1381234567 199****5678 12345678901',
    );
  });
});
