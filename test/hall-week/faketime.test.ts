/**
 * The hall week puts real kiosk processes on a simulated calendar with libfaketime (sim-clock.ts). This
 * checks, on the machine that runs the week, the properties the scenario relies on.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/kiosk-process.js';
import { until } from '../support/polling.js';
import { ScenarioClock, shanghaiInstant } from './sim-clock.js';

interface Line {
  stage: string;
  realAt: number;
  scenarioAt: number;
  [key: string]: unknown;
}

describe('libfaketime under a Node child', () => {
  it('moves Date, timers, a worker thread and SQLite’s clock together at the scenario’s rate, and leaves better-sqlite3 working', async () => {
    const clock = new ScenarioClock(shanghaiInstant('2026-12-01', '08:00'), 5);
    const timerMs = 2000;
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(ROOT, 'test', 'hall-week', 'fixtures', 'faketime-probe.ts'),
        String(timerMs),
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...clock.childEnv() } },
    );
    const lines: Line[] = [];
    let stderr = '';
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const text = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        lines.push({
          ...(JSON.parse(text) as { stage: string }),
          realAt: performance.now(),
          scenarioAt: clock.now(),
        });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const fired = await until(
      'the probe’s timer to fire',
      () => lines.find((l) => l.stage === 'fired'),
      20_000,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${stderr}`);
    });
    expect(await exited).toBe(0);
    const sqlite = lines.find((l) => l.stage === 'sqlite')!;
    const armed = lines.find((l) => l.stage === 'armed')!;

    // Date follows the scenario clock (within the second FAKETIME is given in, plus pipe latency × rate).
    expect(Math.abs((fired.at as number) - fired.scenarioAt)).toBeLessThan(2_000);
    // The timer waited its 2 s of scenario time (Date and the monotonic clock agree) in about 2 s / 5 of real time.
    expect(fired.dateMs as number).toBeGreaterThanOrEqual(timerMs - 5);
    expect(Math.abs((fired.perfMs as number) - (fired.dateMs as number))).toBeLessThan(50);
    const realGap = fired.realAt - armed.realAt;
    expect(realGap).toBeGreaterThan(timerMs / 5 - 100);
    expect(realGap).toBeLessThan(timerMs * 0.75);
    // SQLite’s own clock and a worker thread read the same fake time; WAL, an IMMEDIATE transaction and a
    // reopen work as without libfaketime.
    expect(Math.abs((sqlite.sqliteNowMs as number) - (sqlite.nodeNowMs as number))).toBeLessThan(1_000);
    expect(Math.abs((sqlite.workerNowMs as number) - (sqlite.mainNowMs as number))).toBeLessThan(1_000);
    expect(sqlite.rows).toBe(100);
    expect(sqlite.journal).toBe('wal');
  });
});
