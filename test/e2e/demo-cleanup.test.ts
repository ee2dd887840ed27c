/**
 * Issue 18 item 7: a demo kiosk cleans up after itself, also after SIGKILL. Its simulators' socat
 * processes and temp folders are recorded in the data dir and reaped at the next start; a clean stop
 * leaves nothing. Real kiosk processes, real socat.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isOurSocat, readLedger, type PtyLedgerEntry } from '../../drivers/sim/pty-ledger.js';
import { makeDataDir, startKiosk, type KioskProcess } from '../support/kiosk-process.js';
import { until } from '../support/polling.js';

describe('demo mode after a crash', () => {
  const dataDir = makeDataDir('hcp-demo-reap-');
  const ledgerFile = path.join(dataDir, 'demo-simulators.json');
  const kiosks: KioskProcess[] = [];
  afterAll(async () => {
    for (const kiosk of kiosks)
      if (kiosk.child.exitCode === null && kiosk.child.signalCode === null) await kiosk.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const runningSocats = (): PtyLedgerEntry[] =>
    readLedger(ledgerFile).filter((e) => e.pid !== null && isOurSocat(e.pid, e.dir));

  it('reaps the socat processes and temp folders a SIGKILLed run left, and a clean stop leaves none', async () => {
    const first = await startKiosk(dataDir);
    kiosks.push(first);
    const left = await until('both simulators recorded', () => {
      const entries = runningSocats();
      return entries.length === 2 ? entries : null;
    });
    await first.kill();
    // SIGKILL gives the kiosk no chance: its two socats and their folders are still there.
    expect(
      runningSocats()
        .map((e) => e.pid)
        .sort(),
    ).toEqual(left.map((e) => e.pid).sort());
    for (const entry of left) expect(fs.existsSync(entry.dir)).toBe(true);

    const second = await startKiosk(dataDir);
    kiosks.push(second);
    for (const entry of left) {
      expect(isOurSocat(entry.pid!, entry.dir), `socat ${entry.pid}`).toBe(false);
      expect(fs.existsSync(entry.dir), entry.dir).toBe(false);
    }
    const now = runningSocats();
    expect(now).toHaveLength(2);
    expect(now.map((e) => e.dir)).not.toEqual(expect.arrayContaining(left.map((e) => e.dir)));

    expect(await second.stop()).toBe(0);
    for (const entry of now) {
      expect(isOurSocat(entry.pid!, entry.dir)).toBe(false);
      expect(fs.existsSync(entry.dir)).toBe(false);
    }
    expect(fs.existsSync(ledgerFile)).toBe(false);
  }, 90_000);
});
