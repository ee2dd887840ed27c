/**
 * One kiosk per data directory, for every host (issue 18 item 5: two browser-host kiosks on one data
 * directory both ran, each with its own chain cache and outbox worker; Electron's requestSingleInstanceLock
 * covers neither the browser host nor a second Electron profile). The lock is the file `kiosk.lock` in the
 * data directory, made with O_EXCL and holding `{ pid, startTicks }`. It is stale, and taken over, when that
 * process no longer runs, or when its pid now belongs to a process that started at another time (a pid
 * reused after SIGKILL and a reboot); the start time is field 22 of /proc/<pid>/stat (Linux; elsewhere the
 * pid alone is checked).
 */
import fs from 'node:fs';
import path from 'node:path';
import { HOST_ERRORS, KioskError } from '../shared/errors/index.js';

export const LOCK_FILE = 'kiosk.lock';

export interface InstanceLock {
  readonly path: string;
  /** Removes the lock if it is still ours (idempotent). */
  release(): void;
}

interface LockContent {
  pid: number;
  /** Process start time in clock ticks since boot, or null where /proc is not available. */
  startTicks: number | null;
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so parse after it. */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isSafeInteger(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockContent | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockContent>;
    if (typeof parsed.pid !== 'number' || !Number.isSafeInteger(parsed.pid) || parsed.pid <= 0) return null;
    return { pid: parsed.pid, startTicks: typeof parsed.startTicks === 'number' ? parsed.startTicks : null };
  } catch {
    return null;
  }
}

/** Whether the holder named in the lock still runs (the same process, not a later one with its pid). */
export function holderRuns(holder: LockContent): boolean {
  if (holder.pid === process.pid) return true;
  if (!isAlive(holder.pid)) return false;
  if (holder.startTicks === null) return true;
  const now = processStartTicks(holder.pid);
  return now === null || now === holder.startTicks;
}

/**
 * Takes the data directory's lock or throws E8070 naming the pid that holds it. A lock whose holder is gone
 * (SIGKILL, power cut) is taken over. An unreadable lock file (a crash while it was being written, which
 * O_EXCL + one small write makes very unlikely) counts as stale.
 */
export function acquireInstanceLock(dataDir: string): InstanceLock {
  const file = path.join(dataDir, LOCK_FILE);
  const mine: LockContent = { pid: process.pid, startTicks: processStartTicks(process.pid) };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      try {
        fs.writeSync(fd, JSON.stringify(mine));
      } finally {
        fs.closeSync(fd);
      }
      return handle(file, mine);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new KioskError(HOST_ERRORS.dataDir, undefined, { dir: dataDir }, { cause: error });
      }
    }
    const holder = readLock(file);
    // This very process already holds it (setup mode starting the kiosk once provisioned): the same lock.
    if (holder && holder.pid === mine.pid && holder.startTicks === mine.startTicks) return handle(file, mine);
    if (holder && holderRuns(holder)) throw alreadyRunning(holder.pid);
    // Stale: moved aside under a name of our own and read again, so a starter racing us for the same stale
    // lock, which has meanwhile made a fresh one, gets its lock back instead of losing it.
    const aside = `${file}.stale-${process.pid}`;
    try {
      fs.renameSync(file, aside);
    } catch {
      continue; // another starter moved it first: try again from the top
    }
    const moved = readLock(aside);
    if (moved && holderRuns(moved)) {
      try {
        fs.linkSync(aside, file);
      } catch {
        // A third starter has a lock there now; it holds.
      }
      fs.rmSync(aside, { force: true });
      throw alreadyRunning(moved.pid);
    }
    fs.rmSync(aside, { force: true });
  }
  throw alreadyRunning(null);
}

function handle(file: string, mine: LockContent): InstanceLock {
  let released = false;
  return {
    path: file,
    release() {
      if (released) return;
      released = true;
      const holder = readLock(file);
      if (holder && holder.pid === mine.pid) fs.rmSync(file, { force: true });
    },
  };
}

function alreadyRunning(pid: number | null): KioskError {
  return new KioskError(
    HOST_ERRORS.alreadyRunning,
    pid === null
      ? 'Another kiosk is starting on this data directory.'
      : `Another kiosk (pid ${pid}) runs on this data directory.`,
    pid === null ? undefined : { pid },
  );
}
