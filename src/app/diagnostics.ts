/**
 * The technician's diagnostics (window-link.md `GET /v1/diagnostics`, and the diagnostics screen): devices,
 * sync, chain, storage, versions. Built from live sources on each call; never carries a secret (the config
 * goes through `redactConfig`) nor an unmasked identity (devices and sync report codes and counts only).
 */
import fs from 'node:fs';
import { redactConfig, type KioskConfig } from '../config/schema.js';
import type { KioskStore } from '../store/index.js';
import { errorInfoByCode } from '../shared/errors/index.js';

export interface DiagnosticsSources {
  config: () => KioskConfig;
  store: KioskStore;
  version: string;
  startedAt: number;
  now: () => number;
  devices: () => unknown[];
  sync: () => Record<string, unknown>;
}

function fileSize(file: string): number | null {
  try {
    return fs.statSync(file).size;
  } catch {
    return null;
  }
}

function freeBytes(dir: string): number | null {
  try {
    const stats = fs.statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/** Every error code in the answer, with its README anchor, so the screen can link each one. */
function codesIn(value: unknown, found = new Set<string>()): Set<string> {
  if (typeof value === 'string' && /^E\d{4}$/.test(value)) found.add(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) codesIn(v, found);
  return found;
}

export function buildDiagnostics(sources: DiagnosticsSources): Record<string, unknown> {
  const { store } = sources;
  const dbDir = store.path.slice(0, store.path.lastIndexOf('/')) || '.';
  const body: Record<string, unknown> = {
    version: sources.version,
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    uptimeSec: Math.round((sources.now() - sources.startedAt) / 1000),
    devices: sources.devices(),
    ...sources.sync(),
    chain: store.chainStatus(),
    storage: {
      databaseBytes: fileSize(store.path),
      walBytes: fileSize(`${store.path}-wal`),
      freeBytes: freeBytes(dbDir),
      counts: store.counts(),
    },
    config: redactConfig(sources.config()),
  };
  body.codes = [...codesIn(body)].sort().map((code) => ({
    code,
    name: errorInfoByCode(code)?.name ?? null,
    readme: `README.md#${code.toLowerCase()}`,
  }));
  return body;
}
