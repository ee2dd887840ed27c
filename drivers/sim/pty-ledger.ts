/**
 * Demo mode's record of the socat processes and temp folders its simulators own (issue 18 item 7): a crash
 * or SIGKILL of the kiosk leaves socat running (it is reparented, not killed) and its `hcp-sim-*` folder
 * behind. Every PtyPair start/stop/dispose is written to a small JSON file in the data directory, and the
 * next demo start reaps what a previous run left: a pid is killed only when /proc/<pid>/cmdline shows it
 * is socat serving that very folder (pids are reused), and a folder is removed only when it is one of ours
 * (`hcp-sim-*` directly in the temp directory), so a tampered file cannot make the kiosk kill or delete
 * anything else.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PtyLedgerEntry {
  /** socat's pid while it runs, null after an unplug (stop) until the next start. */
  pid: number | null;
  /** The PtyPair's temp folder. */
  dir: string;
}

let ledgerFile: string | null = null;

/** Demo mode turns the record on for this process (null turns it off). */
export function recordPtysIn(file: string | null): void {
  ledgerFile = file;
}

export function readLedger(file: string): PtyLedgerEntry[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is PtyLedgerEntry =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as PtyLedgerEntry).dir === 'string' &&
        ((e as PtyLedgerEntry).pid === null || Number.isInteger((e as PtyLedgerEntry).pid)),
    );
  } catch {
    return [];
  }
}

function writeLedger(file: string, entries: PtyLedgerEntry[]): void {
  if (entries.length === 0) {
    fs.rmSync(file, { force: true });
    return;
  }
  // Temp file + rename: a SIGKILL between the two leaves the old record, never half of one.
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(entries)}\n`, { mode: 0o600 });
  fs.renameSync(temp, file);
}

/** PtyPair calls this on start (pid), stop (pid null) and dispose (remove). */
export function notePty(dir: string, pid: number | null | 'gone'): void {
  const file = ledgerFile;
  if (file === null) return;
  const others = readLedger(file).filter((e) => e.dir !== dir);
  writeLedger(file, pid === 'gone' ? others : [...others, { dir, pid }]);
}

/** True when the folder is one a PtyPair makes: `hcp-sim-*` directly in the temp directory. */
export function isOurPtyDir(dir: string): boolean {
  const resolved = path.resolve(dir);
  return (
    path.dirname(resolved) === path.resolve(os.tmpdir()) && path.basename(resolved).startsWith('hcp-sim-')
  );
}

/** True when `pid` is a socat serving `dir` (its cmdline names a link inside it). */
export function isOurSocat(pid: number, dir: string): boolean {
  let argv: string[];
  try {
    argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return false;
  }
  return path.basename(argv[0] ?? '') === 'socat' && argv.some((arg) => arg.includes(`link=${dir}/`));
}

/** Waits until `pid` no longer is that socat: exited, or a zombie (empty cmdline) nobody has reaped yet. */
async function waitGone(pid: number, dir: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isOurSocat(pid, dir)) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

export interface ReapReport {
  killed: number[];
  removed: string[];
  /** What could not be cleaned, one line each (logged with E8062). */
  problems: string[];
}

/** Kills leftover socats and removes leftover folders recorded in `file`, then clears the record. */
export async function reapLeftoverPtys(file: string): Promise<ReapReport> {
  const report: ReapReport = { killed: [], removed: [], problems: [] };
  const kept: PtyLedgerEntry[] = [];
  for (const entry of readLedger(file)) {
    if (!isOurPtyDir(entry.dir)) {
      report.problems.push(`not a simulator folder, left alone: ${entry.dir}`);
      continue;
    }
    let alive = false;
    if (entry.pid !== null && isOurSocat(entry.pid, entry.dir)) {
      try {
        process.kill(entry.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      if (await waitGone(entry.pid, entry.dir, 2_000)) report.killed.push(entry.pid);
      else {
        alive = true;
        report.problems.push(`socat ${entry.pid} did not exit`);
      }
    }
    if (alive) {
      kept.push(entry);
      continue;
    }
    try {
      fs.rmSync(entry.dir, { recursive: true, force: true });
      report.removed.push(entry.dir);
    } catch (error) {
      kept.push(entry);
      report.problems.push(`cannot remove ${entry.dir}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  writeLedger(file, kept);
  return report;
}
