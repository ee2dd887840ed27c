/**
 * Crash safety of the whole data path: a child kiosk (real store + real sync wiring, see
 * test/support/sync-integration/crash-kiosk.ts) makes ratings continuously and is SIGKILLed at random
 * moments (during commits, during requests, between them), 20 times, restarted each time on the same
 * SQLite file. The province test server keeps running here with a file ledger. Finally the kiosk starts
 * once more and drains: every rating whose commit returned reached the province exactly once, none was
 * lost, and the chain verifies on the kiosk and at the province.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import type { ProvinceServer } from '../../dev-tools/province-sim/server.js';
import {
  ledgerSummary,
  newProvinceKeys,
  PII_KEY,
  startProvince,
  tempDir,
} from '../support/sync-integration/rig.js';

const CHILD = fileURLToPath(new URL('../support/sync-integration/crash-kiosk.ts', import.meta.url));
const KEYS = newProvinceKeys();
const KILLS = 20;

let dir: ReturnType<typeof tempDir>;
let server: ProvinceServer;
let dbPath: string;

beforeAll(async () => {
  dir = tempDir('hcp-crash-');
  dbPath = path.join(dir.dir, 'kiosk.sqlite');
  server = await startProvince(KEYS, path.join(dir.dir, 'province-ledger.sqlite'));
});

afterAll(async () => {
  await server?.close();
  dir?.cleanup();
});

interface Run {
  committed: number[];
  readySeq: number;
  drainedSeq: number | null;
  signal: NodeJS.Signals | null;
  code: number | null;
}

/**
 * Starts the child; in `rate` mode SIGKILLs it `killAfterMs` after it is ready (and after at least one
 * commit), in `drain` mode waits for it to exit by itself.
 */
function runChild(mode: 'rate' | 'drain', killAfterMs = 0): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CHILD, dbPath, server.url, KEYS.publicKey, mode],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const run: Run = { committed: [], readySeq: -1, drainedSeq: null, signal: null, code: null };
    let buffered = '';
    let stderr = '';
    let armed = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const arm = () => {
      if (armed || mode !== 'rate') return;
      armed = true;
      setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    };
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [word, value] = line.split(' ');
        if (word === 'ready') run.readySeq = Number(value);
        if (word === 'committed') {
          run.committed.push(Number(value));
          arm();
        }
        if (word === 'drained') run.drainedSeq = Number(value);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      run.code = code;
      run.signal = signal;
      if (mode === 'rate' && signal !== 'SIGKILL') reject(new Error(`child ended by itself: ${stderr}`));
      else if (mode === 'drain' && code !== 0) reject(new Error(`drain run failed (${code}): ${stderr}`));
      else resolve(run);
    });
  });
}

describe('Crash safety of the store and sync together', () => {
  it('When the kiosk is SIGKILLed at 20 random moments while rating and sending, every rating whose commit returned reaches the province exactly once after a final restart, with the chain intact on both sides', async () => {
    const printed: number[] = [];
    let lastReady = 0;
    for (let k = 0; k < KILLS; k++) {
      const run = await runChild('rate', Math.floor(Math.random() * 400));
      expect(run.signal).toBe('SIGKILL');
      // A restart continues the chain where the file left it: never below what was printed before.
      expect(run.readySeq).toBeGreaterThanOrEqual(printed.at(-1) ?? 0);
      expect(run.readySeq).toBeGreaterThanOrEqual(lastReady);
      lastReady = run.readySeq;
      expect(run.committed.length).toBeGreaterThan(0);
      printed.push(...run.committed);
    }
    // Seqs printed across all runs are strictly increasing: no seq was handed out twice.
    printed.forEach((seq, i) => i > 0 && expect(seq).toBeGreaterThan(printed[i - 1]!));
    const deliveredBeforeDrain = ledgerSummary(server).total;

    const final = await runChild('drain');
    expect(final.drainedSeq).not.toBeNull();
    const lastSeq = final.drainedSeq!;
    expect(lastSeq).toBeGreaterThanOrEqual(printed.at(-1)!);

    const store = openStore({ path: dbPath, piiKey: PII_KEY });
    try {
      expect(store.chainStatus()).toMatchObject({ ok: true, code: null, lastSeq });
      expect(store.stats()).toMatchObject({ depth: 0, delivered: lastSeq, deadLetters: [] });
      const ledger = ledgerSummary(server);
      expect(ledger.total).toBe(lastSeq);
      expect([...ledger.counts.values()].every((n) => n === 1)).toBe(true);
      expect([...ledger.seqs].sort((a, b) => a - b)).toEqual(
        Array.from({ length: lastSeq }, (_, i) => i + 1),
      );
      const held = new Map(server.records().map(({ record }) => [record.seq, record.ratingId]));
      for (const seq of printed) {
        expect(held.get(seq), `printed seq ${seq}`).toBe(store.getRating(seq)!.record.ratingId);
      }
      expect(server.chainBreaks()).toEqual([]);
    } finally {
      store.close();
    }
    const sent = server.stats.requests.reduce((n, r) => n + r.records, 0);
    console.info(
      `crash-safety: ${KILLS} kills, ${printed.length} commits printed, ${lastSeq} ratings, ${deliveredBeforeDrain} held before the final drain, ${sent - lastSeq} records sent again after a kill (answered duplicate)`,
    );
  }, 80_000);
});
