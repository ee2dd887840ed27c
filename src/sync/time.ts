/**
 * Asia/Shanghai wall-clock helpers. Asia/Shanghai has had no DST since 1991 and is UTC+8 fixed, so a
 * fixed offset is exact for every instant the kiosk can meet (province-profile.md "Envelope": `time`
 * is `yyyyMMddHHmmss` Asia/Shanghai; "Record": `assessTime`/`serviceTime` are `yyyy-MM-dd HH:mm:ss`).
 */
export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

interface Parts {
  y: string;
  mo: string;
  d: string;
  h: string;
  mi: string;
  s: string;
}

function parts(epochMs: number): Parts {
  const t = new Date(epochMs + SHANGHAI_OFFSET_MS);
  const p2 = (n: number) => String(n).padStart(2, '0');
  return {
    y: String(t.getUTCFullYear()).padStart(4, '0'),
    mo: p2(t.getUTCMonth() + 1),
    d: p2(t.getUTCDate()),
    h: p2(t.getUTCHours()),
    mi: p2(t.getUTCMinutes()),
    s: p2(t.getUTCSeconds()),
  };
}

/** `yyyy-MM-dd HH:mm:ss` in Asia/Shanghai (record times). */
export function formatRecordTime(epochMs: number): string {
  const p = parts(epochMs);
  return `${p.y}-${p.mo}-${p.d} ${p.h}:${p.mi}:${p.s}`;
}

/** `yyyyMMddHHmmss` in Asia/Shanghai (envelope `time`). */
export function formatEnvelopeTime(epochMs: number): string {
  const p = parts(epochMs);
  return `${p.y}${p.mo}${p.d}${p.h}${p.mi}${p.s}`;
}

/** `yyyyMMdd` in Asia/Shanghai (generated projectNo). */
export function formatCompactDate(epochMs: number): string {
  const p = parts(epochMs);
  return `${p.y}${p.mo}${p.d}`;
}

/** Epoch ms of 00:00:00.000 Asia/Shanghai on the calendar day that contains `epochMs`. */
export function shanghaiDayStart(epochMs: number): number {
  const local = epochMs + SHANGHAI_OFFSET_MS;
  return local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - SHANGHAI_OFFSET_MS;
}

/** Epoch ms of 00:00 Asia/Shanghai on a `YYYY-MM-DD` calendar date, or null when it is not a real date. */
export function parseShanghaiDate(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - SHANGHAI_OFFSET_MS;
  return formatCompactDate(ms) === `${m[1]}${m[2]}${m[3]}` ? ms : null;
}

/** Parses `yyyyMMddHHmmss` (Asia/Shanghai) to epoch ms, or null when malformed. */
export function parseEnvelopeTime(text: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - SHANGHAI_OFFSET_MS;
  return formatEnvelopeTime(ms) === text ? ms : null;
}
