/**
 * A socat pty pair owned by a simulator: `socat pty,raw,echo=0,link=A pty,raw,echo=0,link=B`. The symlinks
 * give stable paths across unplug (kill socat) and replug (start it again), like /dev/serial/by-id.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notePty } from './pty-ledger.js';

export class PtyPair {
  readonly dir: string;
  readonly kioskPath: string;
  readonly simPath: string;
  #proc: ChildProcess | undefined;

  constructor(name = 'dev') {
    this.dir = mkdtempSync(join(tmpdir(), `hcp-sim-${name}-`));
    this.kioskPath = join(this.dir, 'kiosk');
    this.simPath = join(this.dir, 'sim');
    notePty(this.dir, null);
  }

  get running(): boolean {
    return this.#proc !== undefined;
  }

  async start(): Promise<void> {
    if (this.#proc) return;
    const proc = spawn(
      'socat',
      [`pty,raw,echo=0,link=${this.kioskPath}`, `pty,raw,echo=0,link=${this.simPath}`],
      { stdio: 'ignore' },
    );
    this.#proc = proc;
    // Recorded at once, before the ptys appear: a kiosk killed now still has its socat reaped (pty-ledger.ts).
    if (proc.pid !== undefined) notePty(this.dir, proc.pid);
    proc.once('exit', () => {
      if (this.#proc === proc) this.#proc = undefined;
    });
    const deadline = Date.now() + 3000;
    while (!(existsSync(this.kioskPath) && existsSync(this.simPath))) {
      if (Date.now() > deadline || !this.#proc) throw new Error('socat did not create the pty pair');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Kills socat: both ptys vanish (the kiosk side sees an unplug). */
  async stop(): Promise<void> {
    const proc = this.#proc;
    if (!proc) return;
    this.#proc = undefined;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
    notePty(this.dir, null);
    // socat removes its links on exit; wait until it has, so a replug is not confused with the old pair.
    const deadline = Date.now() + 1000;
    while ((existsSync(this.kioskPath) || existsSync(this.simPath)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Stops socat and removes the temporary directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
    notePty(this.dir, 'gone');
  }
}
