/**
 * The technician's diagnostics (window-link.md `GET /v1/diagnostics`, and the diagnostics screen): devices,
 * sync, chain, storage, versions. Built from live sources on each call; never carries a secret (the config
 * goes through `redactConfig`) nor an unmasked identity (devices and sync report codes and counts only).
 */
import fs from 'node:fs';
import { redactConfig, type KioskConfig } from '../config/schema.js';
import type { KioskStore } from '../store/index.js';
import { errorInfoByCode, STORE_ERRORS } from '../shared/errors/index.js';

export interface DiagnosticsSources {
  config: () => KioskConfig;
  store: KioskStore;
  version: string;
  startedAt: number;
  now: () => number;
  devices: () => unknown[];
  sync: () => Record<string, unknown>;
  /** Integrity problems found at start or now (integrityProblems); shown as `integrity`. */
  integrity?: () => IntegrityProblem[];
}

/** One integrity problem for the technician: its code (README help says what to do) and what it is about. */
export interface IntegrityProblem {
  code: string;
  detail: Record<string, unknown>;
}

/**
 * What degrades health besides sync (issue 18 items 1, 2, 6): the PII key lost (E2301: restore pii.key), what
 * the store's open-time checks found (E2230, E2231), and a clock behind the newest rating (E2232). Pure.
 */
export function integrityProblems(input: {
  piiKeyLost: boolean;
  store: Pick<KioskStore, 'findings' | 'newestRatingAt'>;
  now: number;
}): IntegrityProblem[] {
  const problems: IntegrityProblem[] = [];
  if (input.piiKeyLost)
    problems.push({ code: STORE_ERRORS.piiKeyMissing.code, detail: { restore: 'pii.key', then: 'restart' } });
  for (const finding of input.store.findings()) problems.push(finding);
  const newest = input.store.newestRatingAt();
  if (newest !== null && input.now < newest)
    problems.push({
      code: STORE_ERRORS.clockBack.code,
      detail: { newestRatingAt: new Date(newest).toISOString(), behindMs: newest - input.now },
    });
  return problems;
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
    integrity: sources.integrity?.() ?? [],
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
