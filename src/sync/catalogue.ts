/**
 * The reason catalogue (domain-rules §3; province-profile.md "Endpoints" `/catalogue`, "Kiosk behaviour").
 * Built-in (assets/default-catalogue.json) until the first download; fetched at start and every 6 h;
 * the province answer is validated with zod and cached through CataloguePort; offline, the cache stays.
 *
 * Languages: the province sends zh-CN text only. A province reason gets the built-in zh-TW/en texts
 * only when BOTH its code and its zh-CN text equal a built-in reason's (a reused code with a new meaning
 * must not show a stale translation); otherwise it carries zh-CN alone and the renderer falls back to it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SYNC_ERRORS } from '../shared/errors/sync.js';
import type { ReasonOption } from '../shared/kiosk-api.js';
import type { CataloguePort } from './outbox-port.js';
import type { ProvinceAdapter } from './province/adapter.js';
import { realTimers, TimerSlot, type Timers } from './scheduler.js';

export interface CatalogueView {
  version: string;
  reasons: { dissatisfied: ReasonOption[]; very_dissatisfied: ReasonOption[] };
  textAllowed: boolean;
  textMax: number;
}

export interface CatalogueStatus {
  version: string;
  source: 'builtin' | 'cache' | 'province';
  lastFetchAt: number | null;
  lastError: { code: string; message: string; at: number } | null;
}

const code = z.string().regex(/^[A-Za-z0-9_-]{1,20}$/);
const uniqueCodes = (list: Array<{ code: string }>) => new Set(list.map((r) => r.code)).size === list.length;
const texts = z.object({
  'zh-CN': z.string().min(1).max(60),
  'zh-TW': z.string().min(1).max(60).optional(),
  en: z.string().min(1).max(120).optional(),
});
const option = z.object({ code, text: texts });
const optionList = z.array(option).min(1).max(50).refine(uniqueCodes, 'reason codes must be unique');

const viewSchema = z.object({
  version: z.string().min(1).max(64),
  reasons: z.object({ dissatisfied: optionList, very_dissatisfied: optionList }),
  textAllowed: z.boolean(),
  textMax: z.number().int().min(0).max(150),
});

const builtinSchema = z.object({
  version: z.string().min(1),
  textMax: z.number().int().min(0).max(150),
  textAllowed: z.boolean().optional(),
  reasons: z.object({
    '2': z.array(z.object({ code, text: texts })).min(1),
    '1': z.array(z.object({ code, text: texts })).min(1),
  }),
});

const provinceReasons = z
  .array(z.object({ code, text: z.string().min(1).max(60) }))
  .min(1)
  .max(50)
  .refine(uniqueCodes, 'reason codes must be unique');
/** `{ success, code, version, reasons: { "2": […], "1": […] } }`; keys are `satisfaction` values. */
export const provinceCatalogueSchema = z.object({
  success: z.literal(true),
  code: z.literal('0'),
  version: z.string().min(1).max(64),
  reasons: z.object({ '2': provinceReasons, '1': provinceReasons }),
  textAllowed: z.boolean().optional(),
  textMax: z.number().int().min(0).max(150).optional(),
});

export function parseBuiltinCatalogue(json: unknown): CatalogueView {
  const b = builtinSchema.parse(json);
  const list = (items: (typeof b.reasons)['2']): ReasonOption[] =>
    items.map((r) => ({ code: r.code, text: { ...r.text } }));
  return {
    version: b.version,
    reasons: { dissatisfied: list(b.reasons['2']), very_dissatisfied: list(b.reasons['1']) },
    textAllowed: b.textAllowed ?? true,
    textMax: b.textMax,
  };
}

export function readBuiltinCatalogue(file: string): CatalogueView {
  return parseBuiltinCatalogue(JSON.parse(readFileSync(file, 'utf8')));
}

/** Province answer → view (see the language note at the top). Throws a ZodError when invalid. */
export function fromProvince(answer: unknown, builtin: CatalogueView): CatalogueView {
  const p = provinceCatalogueSchema.parse(answer);
  const known = new Map(
    [...builtin.reasons.dissatisfied, ...builtin.reasons.very_dissatisfied].map((r) => [r.code, r]),
  );
  const list = (items: Array<{ code: string; text: string }>): ReasonOption[] =>
    items.map(({ code: c, text }) => {
      const match = known.get(c);
      return { code: c, text: match && match.text['zh-CN'] === text ? { ...match.text } : { 'zh-CN': text } };
    });
  return {
    version: p.version,
    reasons: { dissatisfied: list(p.reasons['2']), very_dissatisfied: list(p.reasons['1']) },
    textAllowed: p.textAllowed ?? builtin.textAllowed,
    textMax: Math.min(p.textMax ?? builtin.textMax, 150),
  };
}

export interface CatalogueServiceOptions {
  adapter: Pick<ProvinceAdapter, 'fetchCatalogue'>;
  port: CataloguePort;
  builtin: CatalogueView;
  now?: () => number;
  timers?: Timers;
  intervalMs?: number;
  onChange?: (view: CatalogueView) => void;
  log?: (event: string, details: Record<string, unknown>) => void;
}

export interface CatalogueService {
  start(): void;
  stop(): void;
  current(): CatalogueView;
  /** One fetch; resolves true when a new version was installed. Never rejects. */
  refresh(): Promise<boolean>;
  status(): CatalogueStatus;
}

export function createCatalogueService(options: CatalogueServiceOptions): CatalogueService {
  const now = options.now ?? Date.now;
  const slot = new TimerSlot(options.timers ?? realTimers);
  const interval = options.intervalMs ?? 6 * 3_600_000;
  const log = options.log ?? (() => undefined);
  let view = options.builtin;
  const status: CatalogueStatus = {
    version: view.version,
    source: 'builtin',
    lastFetchAt: null,
    lastError: null,
  };

  const cached = (() => {
    try {
      const row = options.port.loadCatalogue();
      return row ? viewSchema.parse(JSON.parse(row.json)) : null;
    } catch (error) {
      log('sync.catalogue-cache-invalid', { error: String(error) }); // fall back to the built-in one
      return null;
    }
  })();
  if (cached) {
    view = cached;
    Object.assign(status, { version: cached.version, source: 'cache' });
  }

  const failed = (message: string) => {
    status.lastError = { code: SYNC_ERRORS.catalogue.code, message, at: now() };
    log('sync.catalogue-failed', { code: SYNC_ERRORS.catalogue.code, message });
  };

  async function refresh(): Promise<boolean> {
    try {
      const outcome = await options.adapter.fetchCatalogue(status.source === 'builtin' ? '' : view.version);
      if (!outcome.ok) {
        failed(`${outcome.failure.error.code} ${outcome.failure.message}`);
        return false;
      }
      status.lastFetchAt = now();
      const next = fromProvince(outcome.answer, options.builtin);
      status.lastError = null;
      if (status.source !== 'builtin' && next.version === view.version) return false;
      options.port.saveCatalogue(next.version, JSON.stringify(next), now());
      view = next;
      Object.assign(status, { version: next.version, source: 'province' });
      options.onChange?.(next);
      return true;
    } catch (error) {
      failed(
        error instanceof z.ZodError ? `invalid answer: ${error.issues[0]?.message ?? ''}` : String(error),
      );
      return false;
    }
  }

  const tick = () => {
    void refresh();
    slot.arm(tick, interval);
  };

  return {
    start: tick,
    stop: () => slot.clear(),
    current: () => view,
    refresh,
    status: () => ({ ...status }),
  };
}
