/**
 * What the diagnostics screen reads: the redacted `buildDiagnostics` answer projected onto the typed
 * fields the screen shows (anything else never leaves the main process), and the on-demand database check.
 */
import Database from 'better-sqlite3';
import type { AdminDiagnostics } from '../shared/kiosk-api.js';

/** `PRAGMA quick_check` on a separate read-only connection (the store's own one is never blocked long). */
export function quickCheck(databasePath: string): string[] {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('quick_check(20)') as Array<Record<string, unknown>>;
    return rows.map((row) => String(Object.values(row)[0] ?? ''));
  } finally {
    db.close();
  }
}

// ── diagnostics projection: only the fields the screen shows, typed, from the redacted answer ──────────
type Json = Record<string, unknown>;
const obj = (v: unknown): Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export function projectDiagnostics(
  raw: Json,
  now: number,
  readerTest: AdminDiagnostics['readerTest'],
  exportRoots: readonly string[],
): AdminDiagnostics {
  const sync = obj(raw['sync']);
  const syncError = sync['lastError'] === null ? null : obj(sync['lastError']);
  const heartbeat = obj(raw['heartbeat']);
  const outbox = obj(raw['outbox']);
  const catalogue = obj(raw['catalogue']);
  const catalogueError = catalogue['lastError'] === null ? null : obj(catalogue['lastError']);
  const chain = obj(raw['chain']);
  const storage = obj(raw['storage']);
  const devices = Array.isArray(raw['devices']) ? raw['devices'].map(obj) : [];
  const dead = Array.isArray(outbox['deadLetters']) ? outbox['deadLetters'].map(obj) : [];
  const codes = Array.isArray(raw['codes']) ? raw['codes'].map(obj) : [];
  const counters = (v: unknown): Record<string, number> =>
    Object.fromEntries(Object.entries(obj(v)).filter((e): e is [string, number] => num(e[1]) !== null));
  return {
    now,
    version: str(raw['version']) ?? '',
    node: str(raw['node']) ?? '',
    electron: str(raw['electron']),
    uptimeSec: num(raw['uptimeSec']) ?? 0,
    devices: devices.map((d) => ({
      kind: d['kind'] === 'reader' ? 'reader' : 'pad',
      transport: str(d['transport']) ?? '',
      path: str(d['path']) ?? '',
      state: str(d['state']) ?? 'disconnected',
      model: str(d['model']),
      firmware: str(d['firmware']),
      serial: str(d['serial']),
      samId: str(d['samId']),
      counters: counters(d['counters']),
      stateCode: str(d['stateCode']),
      lastError: str(d['lastError']),
      lastErrorAt: num(d['lastErrorAt']),
      lastFrameAt: num(d['lastFrameAt']),
    })),
    sync: {
      state: str(sync['state']) ?? 'off',
      lastError:
        syncError === null || str(syncError['code']) === null
          ? null
          : {
              code: str(syncError['code']) ?? '',
              name: str(syncError['name']) ?? '',
              at: num(syncError['at']) ?? 0,
            },
      lastSuccessAt: num(sync['lastSuccessAt']),
      clockOffsetMs: num(sync['clockOffsetMs']) ?? num(heartbeat['clockOffsetMs']),
    },
    outbox: {
      depth: num(outbox['depth']) ?? 0,
      oldestUnsentAt: num(outbox['oldestUnsentAt']),
      delivered: num(outbox['delivered']) ?? 0,
      deadLetters: dead.map((d) => ({
        seq: num(d['seq']) ?? 0,
        code: str(d['code']) ?? '',
        message: str(d['message']) ?? '',
        at: num(d['at']) ?? 0,
      })),
    },
    catalogue: {
      version: str(catalogue['version']) ?? '',
      source: str(catalogue['source']) ?? '',
      lastError:
        catalogueError === null || str(catalogueError['code']) === null
          ? null
          : { code: str(catalogueError['code']) ?? '', at: num(catalogueError['at']) ?? 0 },
    },
    chain: {
      ok: chain['ok'] === true,
      lastSeq: num(chain['lastSeq']) ?? 0,
      brokenAt: num(chain['brokenAt']),
      code: str(chain['code']),
      verifiedAt: num(chain['verifiedAt']) ?? 0,
    },
    storage: {
      databaseBytes: num(storage['databaseBytes']),
      walBytes: num(storage['walBytes']),
      freeBytes: num(storage['freeBytes']),
    },
    readerTest,
    exportRoots: [...exportRoots],
    codes: codes.map((c) => ({
      code: str(c['code']) ?? '',
      name: str(c['name']),
      readme: str(c['readme']) ?? `README.md#${(str(c['code']) ?? '').toLowerCase()}`,
    })),
  };
}
