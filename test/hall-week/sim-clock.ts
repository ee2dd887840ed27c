/**
 * The hall week's calendar: one scenario clock in the test process, and libfaketime (Debian `faketime`) to
 * put each kiosk child on it. The clock runs `rate` times faster than real time and jumps forward only at
 * night, when no kiosk runs; each kiosk is started with `FAKETIME="@<scenario now> x<rate>"`, so it starts at
 * the scenario's time and keeps pace with it. The province test server reads the same clock (its `now`
 * option), so its 300 s TIME_SKEW window follows the calendar too.
 *
 * What was verified (faketime.test.ts checks it on every run; libfaketime 0.9.10, Node 20, Debian 12):
 * - `Date.now()` starts at the FAKETIME instant (parsed in the child's TZ, set here to Asia/Shanghai) and
 *   advances `rate` times faster than real time;
 * - `setTimeout` follows it: libfaketime speeds up CLOCK_MONOTONIC too (FAKETIME_DONT_FAKE_MONOTONIC unset)
 *   and shortens libuv's epoll_wait timeouts by the same factor, so a 10 s session timeout fires after
 *   10 s of scenario time (2 s of real time at x5), and `performance.now()` / `process.hrtime` agree;
 * - worker threads (the kiosk's delivery thread) see the same clock as the main thread;
 * - better-sqlite3 is unaffected in what matters: WAL mode, IMMEDIATE transactions, fsync and reopening
 *   behave as without it, and SQLite's own clock (`unixepoch('now')`) reads the scenario time, like Node's.
 * Everything with a deadline in the kiosk speeds up by `rate` too (pad ACK 100 ms, reader read 2 s): at x5
 * those are 20 ms and 400 ms of real time, which the simulators in this process meet; at x10 the pad's ACK
 * window (10 ms) is too tight on a loaded 2-core machine, hence the default of 5.
 */
import fs from 'node:fs';

export const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** Epoch ms of `HH:MM` on the Asia/Shanghai calendar day `isoDay` (`YYYY-MM-DD`). */
export function shanghaiInstant(isoDay: string, hhmm: string): number {
  return Date.parse(`${isoDay}T${hhmm}:00+08:00`);
}

/** `YYYY-MM-DD` of the Shanghai day `offsetDays` after `isoDay`. */
export function addDays(isoDay: string, offsetDays: number): string {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offsetDays);
  return d.toISOString().slice(0, 10);
}

/** `YYYY-MM-DD HH:MM:SS` on the Shanghai wall clock, seconds rounded down (FAKETIME's absolute form). */
export function faketimeStamp(instant: number): string {
  return new Date(Math.floor(instant / 1000) * 1000 + SHANGHAI_OFFSET_MS)
    .toISOString()
    .slice(0, 19)
    .replace('T', ' ');
}

const LIBFAKETIME_CANDIDATES = [
  '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1',
  '/usr/lib/faketime/libfaketimeMT.so.1',
];

/**
 * The multi-threaded libfaketime (Node runs libuv, V8 and worker threads that all read the clock). Throws
 * with the install line when the package is missing (scripts/ensure-system.mjs installs it for `npm test`).
 */
export function libfaketimePath(): string {
  const found = LIBFAKETIME_CANDIDATES.find((p) => fs.existsSync(p));
  if (!found)
    throw new Error('libfaketime not found: apt-get install faketime (scripts/ensure-system.mjs test)');
  return found;
}

export class ScenarioClock {
  #scenarioAnchor: number;
  #realAnchor: number;
  #running = 0;

  constructor(
    start: number,
    readonly rate: number,
  ) {
    this.#scenarioAnchor = start;
    this.#realAnchor = performance.now();
  }

  now(): number {
    return this.#scenarioAnchor + (performance.now() - this.#realAnchor) * this.rate;
  }

  /** Real milliseconds for `scenarioMs` of scenario time. */
  real(scenarioMs: number): number {
    return scenarioMs / this.rate;
  }

  /** The night: forward to `instant`. Only while no kiosk runs (a running one would keep its old time). */
  jumpTo(instant: number): void {
    if (this.#running > 0) throw new Error(`clock jump while ${this.#running} kiosk(s) run`);
    if (instant < this.now()) throw new Error('the scenario clock only moves forward');
    this.#scenarioAnchor = instant;
    this.#realAnchor = performance.now();
  }

  /** Environment that puts a child process on this clock, from now on. */
  childEnv(): Record<string, string> {
    return {
      LD_PRELOAD: libfaketimePath(),
      FAKETIME: `@${faketimeStamp(this.now())} x${this.rate}`,
      TZ: 'Asia/Shanghai',
    };
  }

  /** Counts running children so that a jump under one of them is refused. */
  track(child: { once(event: 'exit', listener: () => void): unknown }): void {
    this.#running += 1;
    child.once('exit', () => (this.#running -= 1));
  }
}
