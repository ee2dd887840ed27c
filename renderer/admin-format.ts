/**
 * Pure formatting for the admin screens (no DOM, no Node): sizes, durations, times and error codes with
 * their name and README anchor. Units are symbols (MB, s) or digits, the same in every language.
 */
import type { AdminCodeInfo } from '../src/shared/kiosk-api.js';
import { errorInfoByCode } from '../src/shared/errors/index.js';

const pad2 = (n: number): string => String(Math.floor(n)).padStart(2, '0');

/** `12.3 MB`, `512 B`; `?` when unknown. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return '?';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? String(value) : value.toFixed(1)} ${units[unit] ?? ''}`;
}

/** `m:ss` below an hour, else `h:mm:ss` (hours may pass 24). Negative counts as 0. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s)}` : `${m}:${pad2(s)}`;
}

/** `2025-03-01 14:05:09` in the page's time zone (the kiosk runs in Asia/Shanghai). */
export function formatTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** A code with its registry name and README anchor; the answer's own list first, then the shared registry. */
export function codeInfo(code: string, known: readonly AdminCodeInfo[] = []): AdminCodeInfo {
  const listed = known.find((entry) => entry.code === code);
  if (listed !== undefined && listed.name !== null) return listed;
  return { code, name: errorInfoByCode(code)?.name ?? null, readme: `README.md#${code.toLowerCase()}` };
}

/** Seconds since `at` (main-process epoch ms) as the answer's `now` saw it; null when never. */
export function secondsSince(at: number | null, now: number): number | null {
  if (at === null) return null;
  return Math.max(0, Math.round((now - at) / 1000));
}

/** The folder suggested for a log export: `<root>/hcp-kiosk-logs-YYYYMMDDhhmm` (a folder name, not UI text). */
export function defaultExportDir(root: string, epochMs: number): string {
  return `${root.replace(/\/+$/, '')}/hcp-kiosk-logs-${formatTime(epochMs)
    .replace(/[^0-9]/g, '')
    .slice(0, 12)}`;
}
