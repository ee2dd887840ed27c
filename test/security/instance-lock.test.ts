/**
 * Threat (issue 18 item 5): a second kiosk started on the same data directory (a second browser host, a
 * second Electron profile) runs beside the first, each with its own chain cache and outbox worker, so two
 * ratings get the same seq and records are sent twice. Defence: src/host/instance-lock.ts, taken by
 * src/app/core-factory.ts for every host: `kiosk.lock` with pid + process start time, E8070 for the second,
 * a lock left by a killed process taken over.
 * Attack: two real kiosk processes on one data directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runKioskExpectingFailure, startKiosk, type KioskProcess } from '../support/kiosk-process.js';
import { startSecurityKiosk, type SecurityKiosk } from '../support/security/kiosk.js';

let sec: SecurityKiosk | null = null;
const extra: KioskProcess[] = [];
afterAll(async () => {
  for (const k of extra) await k.kill().catch(() => undefined);
  await sec?.dispose();
});

describe('one kiosk per data directory', () => {
  it('a second kiosk on the same data directory refuses with E8070 and changes nothing; after SIGKILL of the first, the next start takes the stale lock', async () => {
    sec = await startSecurityKiosk({}, { prefix: 'hcp-sec-lock-' });
    const lockFile = path.join(sec.dataDir, 'kiosk.lock');
    const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { pid: number; startTicks: number | null };
    expect(lock.pid).toBe(sec.kiosk.child.pid);

    const second = await runKioskExpectingFailure(sec.dataDir);
    expect(second.code).not.toBe(0);
    expect(second.output).toContain('E8070');
    expect(second.output).toContain(`pid ${lock.pid}`);
    expect(fs.readFileSync(lockFile, 'utf8')).toBe(JSON.stringify(lock));
    // It stopped before opening the store or any port.
    expect(second.output).not.toContain('kiosk ready');
    expect(second.output).not.toContain('window link listening');

    await sec.kiosk.kill(); // SIGKILL: the lock file stays behind
    expect(fs.existsSync(lockFile)).toBe(true);
    const next = await startKiosk(sec.dataDir, ['--demo-config', path.join(sec.dataDir, 'demo-config.json')]);
    extra.push(next);
    const taken = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { pid: number };
    expect(taken.pid).toBe(next.child.pid);
    await next.stop();
    expect(fs.existsSync(lockFile)).toBe(false); // released on a clean stop
  }, 120_000);
});
