/**
 * Crash-safe replacement of a small file: write a temporary file in the same directory, fsync it, rename it
 * over the target, then fsync the directory. A reader sees either the old bytes or the new ones, never a
 * mix, and a failed write leaves the old file untouched (the previous configuration stays in force).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HOST_ERRORS, KioskError } from '../shared/errors/index.js';

export function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o600): void {
  const dir = path.dirname(target);
  const temp = path.join(
    dir,
    `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    const fd = fs.openSync(temp, 'wx', mode);
    try {
      fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new KioskError(HOST_ERRORS.dataDir, `Could not write ${path.basename(target)}.`, undefined, {
      cause: error,
    });
  }
  syncDirectory(dir);
}

/** Makes the rename durable. Windows cannot open a directory for fsync; there the rename is the best we have. */
function syncDirectory(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the data itself is already synced.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
