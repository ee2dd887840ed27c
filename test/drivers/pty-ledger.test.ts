import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  isOurPtyDir,
  isOurSocat,
  readLedger,
  reapLeftoverPtys,
  recordPtysIn,
} from '../../drivers/sim/pty-ledger.js';
import { PtyPair } from '../../drivers/sim/pty.js';

describe.skipIf(process.platform !== 'linux')('the demo simulators’ record of socat processes', () => {
  const cleanups: Array<() => void | Promise<void>> = [];
  afterEach(async () => {
    recordPtysIn(null);
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const ledgerDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-ledger-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return path.join(dir, 'demo-simulators.json');
  };

  it('records a pty pair from its start to its disposal, and reaps one whose owner died', async () => {
    const file = ledgerDir();
    recordPtysIn(file);
    const pair = new PtyPair('ledger');
    cleanups.push(() => pair.dispose());
    await pair.start();
    const [entry] = readLedger(file);
    expect(entry?.dir).toBe(pair.dir);
    expect(isOurSocat(entry!.pid!, pair.dir)).toBe(true);

    // As after a SIGKILL of the owner: the record is all the next start has.
    recordPtysIn(null);
    const report = await reapLeftoverPtys(file);
    expect(report).toEqual({ killed: [entry!.pid], removed: [pair.dir], problems: [] });
    expect(isOurSocat(entry!.pid!, pair.dir)).toBe(false);
    expect(fs.existsSync(pair.dir)).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('leaves the record empty after a clean dispose', async () => {
    const file = ledgerDir();
    recordPtysIn(file);
    const pair = new PtyPair('ledger');
    await pair.start();
    await pair.dispose();
    expect(readLedger(file)).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('never kills a process that is not our socat, nor removes a folder that is not a simulator’s', async () => {
    const file = ledgerDir();
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    cleanups.push(() => void sleeper.kill('SIGKILL'));
    const foreign = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-not-sim-'));
    cleanups.push(() => fs.rmSync(foreign, { recursive: true, force: true }));
    const ours = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-sim-reused-'));
    fs.writeFileSync(
      file,
      JSON.stringify([
        { pid: sleeper.pid, dir: ours },
        { pid: process.pid, dir: foreign },
        { pid: null, dir: '/etc' },
      ]),
    );
    const report = await reapLeftoverPtys(file);
    // The sleeper's pid is in the record, but it is no socat serving that folder: left running.
    expect(report.killed).toEqual([]);
    expect(sleeper.exitCode).toBeNull();
    expect(() => process.kill(sleeper.pid!, 0)).not.toThrow();
    expect(report.removed).toEqual([ours]);
    expect(fs.existsSync(foreign)).toBe(true);
    expect(fs.existsSync('/etc')).toBe(true);
    expect(report.problems).toHaveLength(2);
    expect(isOurPtyDir(foreign)).toBe(false);
    expect(isOurPtyDir(path.join(os.tmpdir(), 'hcp-sim-x', '..', '..', 'etc'))).toBe(false);
  });
});
