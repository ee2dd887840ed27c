import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { open, tempDir, type TempDir } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/commit-child.ts', import.meta.url));

let t: TempDir;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

/** Runs the child until it has reported `atLeast` commits, then SIGKILLs it; returns the seqs it reported. */
function commitThenKill(path: string, atLeast: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const seqs: number[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (/^\d+$/.test(line)) seqs.push(Number(line));
      if (seqs.length >= atLeast) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(seqs);
      else reject(new Error(`child exited without being killed: ${stderr}`));
    });
  });
}

describe('crash safety', () => {
  it('keeps every rating whose commit returned, with its outbox row and an intact chain, after SIGKILL', async () => {
    const reported = await commitThenKill(t.dbPath, 40);
    const again = await commitThenKill(t.dbPath, 20); // a second crash on the recovered file
    const store = open(t.dbPath);
    const status = store.chainStatus();
    expect(status).toMatchObject({ ok: true, code: null });
    for (const seq of [...reported, ...again]) {
      const rating = store.getRating(seq);
      expect(rating, `seq ${seq}`).toBeDefined();
      expect(rating!.record.certKey).toBe('46010019900101123X');
    }
    expect(status.lastSeq).toBeGreaterThanOrEqual(Math.max(...again));
    const counts = store.counts();
    expect(counts.outbox).toBe(counts.ratings);
    expect(store.stats().depth).toBe(counts.ratings);
    store.close();
  });
});
