/**
 * "Is the hall open now?" from config.openingHours, in Beijing time (Asia/Shanghai, UTC+8 all year, no
 * daylight saving), whatever the device's own time zone. Pure: every function takes the instant.
 *
 * A period `{ days, open, close }` opens on each listed ISO weekday (1 Mon … 7 Sun) at `open` and lasts
 * until the next `close`: a `close` earlier than `open` runs across midnight into the next day (Sunday
 * runs into Monday), and `close` equal to `open` means a full 24 hours.
 */
import type { PowerSaveBlocker } from 'electron';
import { SHANGHAI_OFFSET_MS } from '../sync/time.js';

export interface OpeningPeriod {
  readonly days: readonly number[];
  readonly open: string;
  readonly close: string;
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
const WEEK_MINUTES = 7 * DAY_MINUTES;

/** "HH:MM" → minutes after midnight (throws on anything else; the schema has already checked it). */
export function parseHhmm(text: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new Error(`not HH:MM: ${text}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The Beijing-time weekday (ISO, 1 Mon … 7 Sun) and minute of the day of an instant. */
export function shanghaiClock(epochMs: number): { isoDay: number; minute: number } {
  const local = Math.floor((epochMs + SHANGHAI_OFFSET_MS) / MINUTE_MS);
  const days = Math.floor(local / DAY_MINUTES);
  const minute = local - days * DAY_MINUTES;
  // 1970-01-01 was a Thursday (ISO 4).
  const isoDay = ((((days + 3) % 7) + 7) % 7) + 1;
  return { isoDay, minute };
}

/** Minutes since Monday 00:00 Beijing time. */
function weekMinute(epochMs: number): number {
  const { isoDay, minute } = shanghaiClock(epochMs);
  return (isoDay - 1) * DAY_MINUTES + minute;
}

/** Each opening as [start, end) in week minutes; `end` may pass WEEK_MINUTES (Sunday night into Monday). */
function intervals(hours: readonly OpeningPeriod[]): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  for (const period of hours) {
    const open = parseHhmm(period.open);
    const close = parseHhmm(period.close);
    const length = (close - open + DAY_MINUTES) % DAY_MINUTES || DAY_MINUTES;
    for (const day of new Set(period.days)) {
      const start = (day - 1) * DAY_MINUTES + open;
      result.push([start, start + length]);
    }
  }
  return result;
}

function inside(minute: number, [start, end]: [number, number]): boolean {
  return (minute >= start && minute < end) || (minute + WEEK_MINUTES >= start && minute + WEEK_MINUTES < end);
}

/** Whether the hall is open at `epochMs`. No periods configured: never open. */
export function isOpenAt(hours: readonly OpeningPeriod[], epochMs: number): boolean {
  const minute = weekMinute(epochMs);
  return intervals(hours).some((interval) => inside(minute, interval));
}

/**
 * Whole minutes from `epochMs` until the hall next opens: 0 while it is open, null when no period is
 * configured.
 */
export function minutesUntilOpen(hours: readonly OpeningPeriod[], epochMs: number): number | null {
  const spans = intervals(hours);
  if (spans.length === 0) return null;
  const minute = weekMinute(epochMs);
  if (spans.some((interval) => inside(minute, interval))) return 0;
  let best = WEEK_MINUTES;
  for (const [start] of spans) {
    const ahead = ((start % WEEK_MINUTES) - minute + WEEK_MINUTES) % WEEK_MINUTES || WEEK_MINUTES;
    best = Math.min(best, ahead);
  }
  return best;
}

/**
 * Whether the display must stay on: while the hall is open, and always when no opening hours are
 * configured (a device nobody has told when the hall closes behaves as before: never blank).
 */
export function displayMustStayOn(hours: readonly OpeningPeriod[], epochMs: number): boolean {
  return hours.length === 0 || isOpenAt(hours, epochMs);
}

export interface DisplayKeeperOptions {
  powerSaveBlocker: Pick<PowerSaveBlocker, 'start' | 'stop' | 'isStarted'>;
  hours: readonly OpeningPeriod[];
  now?: () => number;
  /** How often to re-check (default one minute). */
  intervalMs?: number;
  setInterval?: (callback: () => void, ms: number) => { unref?(): unknown };
  clearInterval?: (handle: never) => void;
}

export interface DisplayKeeper {
  /** Applies the rule once (also done by the timer); returns whether the blocker is now held. */
  tick(): boolean;
  stop(): void;
}

/**
 * Holds a `prevent-display-sleep` power-save blocker during opening hours and releases it after closing,
 * so the panel may blank at night on devices left powered on. Replaces main.ts's unconditional blocker.
 */
export function startDisplayKeeper(options: DisplayKeeperOptions): DisplayKeeper {
  const now = options.now ?? Date.now;
  const blocker = options.powerSaveBlocker;
  let id: number | null = null;
  const tick = (): boolean => {
    const wanted = displayMustStayOn(options.hours, now());
    const held = id !== null && blocker.isStarted(id);
    if (wanted && !held) id = blocker.start('prevent-display-sleep');
    if (!wanted && id !== null) {
      if (blocker.isStarted(id)) blocker.stop(id);
      id = null;
    }
    return id !== null;
  };
  tick();
  const setTimer = options.setInterval ?? ((callback, ms) => setInterval(callback, ms));
  const clearTimer = options.clearInterval ?? ((handle) => clearInterval(handle));
  const handle = setTimer(() => void tick(), options.intervalMs ?? MINUTE_MS);
  handle.unref?.();
  return {
    tick,
    stop: () => {
      clearTimer(handle as never);
      if (id !== null && blocker.isStarted(id)) blocker.stop(id);
      id = null;
    },
  };
}
