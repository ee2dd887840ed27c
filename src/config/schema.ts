/**
 * The one configuration schema (provisioning). Every way in (admin screen, signed provisioning file,
 * first-run setup, demo) goes through `parseConfig`, so field errors read the same everywhere.
 * Secrets (`appWord`, tokens, admin PIN hash) live in the same object in memory but are stored encrypted
 * and never leave the main process (see `redactConfig`).
 */
import { z } from 'zod';
import { LEVEL_KEYS } from '../shared/levels.js';
import { LANGUAGES } from '../shared/kiosk-api.js';

const digits = (n: number) => z.string().regex(new RegExp(`^\\d{${n}}$`), `must be ${n} digits`);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');
/** Bearer tokens: at least 32 random bytes (window-link.md), written as ≥ 43 base64url or ≥ 64 hex characters. */
const token = z.string().regex(/^[A-Za-z0-9_-]{43,}$/, 'must be at least 32 random bytes, base64url or hex');

export const deviceSchema = z.discriminatedUnion('transport', [
  z.object({
    transport: z.literal('serial'),
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(115200),
  }),
  z.object({
    transport: z.literal('hid'),
    vendorId: z.number().int().min(0).max(0xffff),
    productId: z.number().int().min(0).max(0xffff),
    path: z.string().optional(),
  }),
  z.object({
    transport: z.literal('usb'),
    vendorId: z.number().int().min(0).max(0xffff),
    productId: z.number().int().min(0).max(0xffff),
  }),
  z.object({
    transport: z.literal('tcp'),
    url: z.string().regex(/^tcp:\/\/[^\s:/]+:\d{1,5}$/, 'must be tcp://host:port'),
  }),
  z.object({ transport: z.literal('keyboard') }),
  z.object({ transport: z.literal('none') }),
]);
export type DeviceConfig = z.infer<typeof deviceSchema>;

export const openingHoursSchema = z
  .array(
    z.object({
      /** ISO weekdays 1 (Mon) … 7 (Sun). */
      days: z.array(z.number().int().min(1).max(7)).min(1),
      open: hhmm,
      /** May be earlier than `open`: the period runs across midnight. */
      close: hhmm,
    }),
  )
  .default([]);

export const configSchema = z.object({
  schemaVersion: z.literal(1).default(1),
  hall: z.object({
    name: z.string().min(1).max(60),
    /** Hall code used in generated projectNo (`Q` + hallCode + yyyyMMdd + ticketNo). */
    code: z.string().regex(/^[A-Za-z0-9]{1,20}$/),
    /** 行政区划, 12 digits (海口市 460100000000). */
    areaCode: digits(12),
  }),
  department: z.object({
    /** 统一社会信用代码, 18 characters. */
    code: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, 'must be an 18-character unified social credit code'),
    name: z.string().min(1).max(60),
  }),
  windowNo: z.string().regex(/^[A-Za-z0-9-]{1,10}$/),
  deviceId: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  province: z.object({
    profile: z.literal('national-template/1').default('national-template/1'),
    baseUrl: z.string().url(),
    appMark: z.string().min(1).max(64),
    appWord: z.string().min(1).max(256),
    /** SM2 public key: 130 hex characters starting `04`. */
    publicKey: z.string().regex(/^04[0-9a-fA-F]{128}$/, 'must be 130 hex characters starting 04'),
    caBundle: z.string().optional(),
    pf: z.string().regex(/^\d$/).default('5'),
    defaultChannel: z.string().regex(/^\d$/).default('7'),
    dataSource: digits(3),
    batchSize: z.number().int().min(1).max(100).default(100),
    timeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
    reasonlessBad: z.enum(['count', 'send']).default('count'),
    defaultRating: z.enum(['device', 'province']).default('device'),
    /** Days a delivered record keeps its PII (domain-rules §5, default 0). */
    piiRetentionDays: z.number().int().min(0).max(365).default(0),
  }),
  link: z.object({
    listen: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port')
      .default('127.0.0.1:7420'),
    linkToken: token,
    adminToken: token,
  }),
  devices: z
    .object({
      pad: deviceSchema.default({ transport: 'none' }),
      reader: deviceSchema.default({ transport: 'none' }),
      /** Physical key number (1-based, left to right) → level. Configuration, never code (rating-pad-rp1.md). */
      keyLevels: z
        .array(z.enum(LEVEL_KEYS))
        .min(2)
        .max(8)
        .default([...LEVEL_KEYS]),
      /** Keyboard-mode pads: KeyboardEvent.code → key number. */
      keyboardMap: z.record(z.string(), z.number().int().min(1).max(8)).default({
        Digit1: 1,
        Digit2: 2,
        Digit3: 3,
        Digit4: 4,
        Digit5: 5,
        Numpad1: 1,
        Numpad2: 2,
        Numpad3: 3,
        Numpad4: 4,
        Numpad5: 5,
        F1: 1,
        F2: 2,
        F3: 3,
        F4: 4,
        F5: 5,
      }),
    })
    .prefault({}),
  session: z
    .object({
      timeoutSec: z.number().int().min(10).max(120).default(30),
      reasonTimeoutSec: z.number().int().min(10).max(300).default(60),
      responseIntervalSec: z.number().int().min(0).max(60).default(5),
      tooFastMs: z.number().int().min(0).max(5000).default(300),
      idBurstPerDay: z.number().int().min(1).max(1000).default(10),
      thanksSec: z.number().int().min(1).max(30).default(4),
    })
    .prefault({}),
  openingHours: openingHoursSchema,
  ui: z
    .object({
      defaultLanguage: z.enum(LANGUAGES).default('zh-CN'),
      languages: z
        .array(z.enum(LANGUAGES))
        .min(1)
        .default([...LANGUAGES]),
      /** `{projectNo}` is replaced, URL-encoded. */
      qrUrlTemplate: z
        .string()
        .regex(/^https?:\/\/\S+$/)
        .optional(),
      audio: z
        .object({ enabled: z.boolean().default(true), volume: z.number().min(0).max(1).default(0.8) })
        .prefault({}),
      largeType: z.boolean().default(false),
    })
    .prefault({}),
  /** Secrets beyond the province ones. */
  admin: z
    .object({ pinHash: z.string().optional(), provisioningPublicKey: z.string().optional() })
    .prefault({}),
});

export type KioskConfig = z.infer<typeof configSchema>;
export type KioskConfigInput = z.input<typeof configSchema>;

export interface FieldError {
  path: string;
  message: string;
}

export type ParseResult = { ok: true; config: KioskConfig } | { ok: false; errors: FieldError[] };

export function parseConfig(input: unknown): ParseResult {
  const result = configSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  };
}

const SECRET_PATHS = ['province.appWord', 'link.linkToken', 'link.adminToken', 'admin.pinHash'] as const;

/** The configuration without secrets: each secret becomes `"set"` or `"not set"` (diagnostics, renderer, logs). */
export function redactConfig(config: KioskConfig): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(config)) as Record<string, Record<string, unknown>>;
  for (const path of SECRET_PATHS) {
    const [section, key] = path.split('.') as [string, string];
    const holder = copy[section];
    if (holder && key in holder) holder[key] = holder[key] ? 'set' : 'not set';
  }
  if (copy.province) copy.province.caBundle = copy.province.caBundle ? 'set' : 'not set';
  return copy;
}
