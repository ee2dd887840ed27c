/**
 * Validation of every KioskApi call that crosses from the renderer (IPC or WebSocket). A call that does not
 * validate is answered `E8001 api.bad-request` and never reaches the core, so nothing changes.
 */
import { z } from 'zod';
import { LEVEL_KEYS } from '../shared/levels.js';
import { LANGUAGES, type KioskApi, type KioskApiMethod, type ActionResult } from '../shared/kiosk-api.js';
import { HOST_ERRORS } from '../shared/errors/index.js';

const sessionId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9-]+$/);

/** What the on-screen digit pad can send; the format 6–12 is the PIN guard's business (a short PIN is wrong). */
const pinAttempt = z.string().regex(/^\d{1,12}$/);
/** A new admin PIN: 6–12 digits (config/admin-pin.ts PIN_FORMAT). */
const newPin = z.string().regex(/^\d{6,12}$/);
/** An export folder: absolute, printable, no NUL; the allow-list and traversal check are in admin-service.ts. */
const exportPath = z
  .string()
  .min(2)
  .max(1024)
  .refine((p) => p.startsWith('/') && ![...p].some((ch) => ch < ' ' || ch === '\u007f'));

/**
 * The 设置 card's patch: only its fields, strict types, no `null` (merge-patch removal). Ranges and formats
 * are the config schema's business (applyAdminEdit), so they come back as field errors, not E8001.
 */
const text = (max: number) => z.string().max(max);
const num = z.number().finite();
const configPatch = z.strictObject({
  windowNo: text(64).optional(),
  department: z.strictObject({ name: text(200).optional() }).optional(),
  session: z.strictObject({ timeoutSec: num.optional(), responseIntervalSec: num.optional() }).optional(),
  openingHours: z
    .array(z.strictObject({ days: z.array(num).max(7), open: text(5), close: text(5) }))
    .max(1)
    .optional(),
  ui: z
    .strictObject({
      defaultLanguage: z.enum(LANGUAGES).optional(),
      audio: z.strictObject({ enabled: z.boolean().optional(), volume: num.optional() }).optional(),
      largeType: z.boolean().optional(),
    })
    .optional(),
});
/** First-run setup: the fields a real device needs; formats again from the config schema (field errors). */
const firstRunForm = z.strictObject({
  hall: z.strictObject({ name: text(200), code: text(64), areaCode: text(64) }),
  department: z.strictObject({ code: text(64), name: text(200) }),
  windowNo: text(64),
  window: z.strictObject({ defaultStaff: z.strictObject({ staffId: text(64), name: text(200) }) }),
  deviceId: text(64),
  province: z.strictObject({
    baseUrl: text(500),
    appMark: text(200),
    appWord: text(500),
    publicKey: text(200),
    dataSource: text(16),
  }),
  pin: text(64),
});

export const API_PARAM_SCHEMAS = {
  getView: z.tuple([]),
  rate: z.tuple([sessionId, z.enum(LEVEL_KEYS)]),
  submitReasons: z.tuple([sessionId, z.array(z.string().min(1).max(16)).max(32), z.string().max(150)]),
  changeLevel: z.tuple([sessionId]),
  setLanguage: z.tuple([z.enum(LANGUAGES)]),
  setLargeType: z.tuple([z.boolean()]),
  padKey: z.tuple([
    z
      .string()
      .min(1)
      .max(32)
      .regex(/^[A-Za-z0-9]+$/),
  ]),
  reportCspViolation: z.tuple([
    z
      .string()
      .min(1)
      .max(40)
      .regex(/^[a-z-]+$/),
    z.string().max(100),
  ]),
  adminOpen: z.tuple([]),
  adminEnter: z.tuple([pinAttempt]),
  adminSetPin: z.tuple([newPin]),
  adminExit: z.tuple([]),
  adminTouch: z.tuple([]),
  adminDiagnostics: z.tuple([]),
  adminSyncNow: z.tuple([]),
  adminResend: z.tuple([z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)]),
  adminKeyTest: z.tuple([z.boolean()]),
  adminLedTest: z.tuple([]),
  adminBuzzerTest: z.tuple([]),
  adminStorageCheck: z.tuple([]),
  adminExportLogs: z.tuple([exportPath]),
  adminEditConfig: z.tuple([configPatch]),
  adminFirstRun: z.tuple([firstRunForm]),
} as const satisfies Record<KioskApiMethod, z.ZodType>;

export type ApiCallOutcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };

function isMethod(value: unknown): value is KioskApiMethod {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(API_PARAM_SCHEMAS, value);
}

/** Validates `method` and `params`, then calls the API. Never throws; errors carry a stable code. */
export async function dispatchApiCall(
  api: KioskApi,
  method: unknown,
  params: unknown,
): Promise<ApiCallOutcome> {
  if (!isMethod(method)) {
    return { ok: false, code: HOST_ERRORS.badRequest.code, message: 'unknown method' };
  }
  const parsed = API_PARAM_SCHEMAS[method].safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      code: HOST_ERRORS.badRequest.code,
      message: `invalid parameter ${issue?.path.join('.') ?? ''}`.trim(),
    };
  }
  const fn = api[method] as (...args: unknown[]) => Promise<unknown>;
  try {
    const value = await fn.apply(api, parsed.data as unknown[]);
    return { ok: true, value };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      ok: false,
      code: typeof code === 'string' ? code : HOST_ERRORS.startupFailed.code,
      message: 'the kiosk could not handle this call',
    };
  }
}

export type { ActionResult };
