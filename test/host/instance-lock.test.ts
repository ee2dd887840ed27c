/** The data directory's instance lock (src/host/instance-lock.ts, issue 18 item 5), in process. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock, processStartTicks } from '../../src/host/instance-lock.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-lock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const lockFile = () => path.join(dir, 'kiosk.lock');

describe('instance lock', () => {
  it('is refused with E8070 while a live process holds it, and taken when that pid now names a later process', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const ticks = processStartTicks(child.pid!);
      fs.writeFileSync(lockFile(), JSON.stringify({ pid: child.pid, startTicks: ticks }));
      expect(() => acquireInstanceLock(dir)).toThrow(expect.objectContaining({ code: 'E8070' }));
      // Same pid, another start time: a pid reused after the holder died.
      fs.writeFileSync(lockFile(), JSON.stringify({ pid: child.pid, startTicks: (ticks ?? 0) + 1 }));
      const lock = acquireInstanceLock(dir);
      expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid });
      lock.release();
      expect(fs.existsSync(lockFile())).toBe(false);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('takes over a lock whose process is gone, and an unreadable lock file', () => {
    fs.writeFileSync(lockFile(), JSON.stringify({ pid: 2 ** 22 + 12345, startTicks: 1 }));
    acquireInstanceLock(dir).release();
    fs.writeFileSync(lockFile(), '{"pi');
    const lock = acquireInstanceLock(dir);
    expect(JSON.parse(fs.readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('is the same lock when this process asks again (setup mode starting the kiosk)', () => {
    const first = acquireInstanceLock(dir);
    const second = acquireInstanceLock(dir);
    second.release();
    first.release();
    expect(fs.existsSync(lockFile())).toBe(false);
  });
});
