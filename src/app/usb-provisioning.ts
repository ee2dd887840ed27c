/**
 * Provisioning from a USB stick (README "Configuration and provisioning"): while in setup mode the kiosk
 * looks every few seconds for `hcp-provision.json` at the top of anything mounted under /media or /mnt
 * (udisks mounts at /media/<user>/<label>, plain mounts at /mnt/<x>), and applies each file it finds once
 * per version (path, size, mtime) through the one provisioning validator. A refused file is reported to
 * the screen and not retried until it changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ApplyOutcome } from '../config/index.js';

export const USB_PROVISIONING_FILE = 'hcp-provision.json';
export const USB_ROOTS = ['/media', '/mnt'] as const;

/** Candidate files: `<root>/<file>`, `<root>/<a>/<file>` and `<root>/<a>/<b>/<file>`. */
export function findProvisioningFiles(roots: readonly string[], fileName = USB_PROVISIONING_FILE): string[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number): void => {
    const candidate = path.join(dir, fileName);
    try {
      if (fs.statSync(candidate).isFile()) found.push(candidate);
    } catch {
      // not here
    }
    if (depth === 0) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) visit(path.join(dir, entry.name), depth - 1);
  };
  for (const root of roots) visit(root, 2);
  return found.sort();
}

export interface UsbWatcher {
  /** One scan now (the timer calls it too). */
  scan(): void;
  stop(): void;
}

export function watchUsbProvisioning(options: {
  roots: readonly string[];
  intervalMs: number;
  apply(file: string): ApplyOutcome;
  onOutcome(file: string, outcome: ApplyOutcome): void;
}): UsbWatcher {
  const tried = new Map<string, string>();
  let done = false;
  const scan = (): void => {
    if (done) return;
    for (const file of findProvisioningFiles(options.roots)) {
      let version: string;
      try {
        const st = fs.statSync(file);
        version = `${st.size}:${st.mtimeMs}`;
      } catch {
        continue;
      }
      if (tried.get(file) === version) continue;
      tried.set(file, version);
      const outcome = options.apply(file);
      options.onOutcome(file, outcome);
      if (outcome.ok) {
        done = true;
        return;
      }
    }
  };
  const timer = setInterval(scan, options.intervalMs);
  timer.unref();
  return {
    scan,
    stop() {
      done = true;
      clearInterval(timer);
    },
  };
}
