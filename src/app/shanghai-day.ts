/**
 * Calendar days in Asia/Shanghai (UTC+8 all year: China has had no daylight saving time since 1991), used
 * for per-day counts (id-burst, daily summary). A fixed offset avoids depending on the ICU time-zone data
 * of the runtime, which slim Electron builds may lack.
 */
const OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** [start, end) in epoch ms of the Asia/Shanghai day containing `at`, or of a `YYYY-MM-DD` date. */
export function shanghaiDayBounds(at: number | string): { start: number; end: number } {
  let start: number;
  if (typeof at === 'string') {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(at);
    if (!match) throw new RangeError('date must be YYYY-MM-DD');
    start = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - OFFSET_MS;
  } else {
    start = Math.floor((at + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
  }
  return { start, end: start + DAY_MS };
}
