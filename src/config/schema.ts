/**
 * The one configuration schema (provisioning). Every way in (admin screen, signed provisioning file,
 * first-run setup, demo) goes through `parseConfig`, so field errors read the same everywhere.
 * Secrets (`appWord`, tokens, admin PIN hash) live in the same object in memory but are stored encrypted
 * and never leave the main process (see `redactConfig`).
 */
import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { LEVEL_KEYS } from '../shared/levels.js';
import { LANGUAGES } from '../shared/kiosk-api.js';
import { photoProblem } from '../link/formats.js';
import { CERT_TYPES } from '../shared/cert-type.js';
import { DEFAULT_CERT_TYPE_CODES } from '../rating-path/cert-codes.js';

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

const hasNoControlChars = (s: string): boolean => {
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return false;
  }
  return true;
};

/** Free text shown on screen: not blank, no control characters (same rule as the window link's names). */
const screenText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => s.trim().length > 0, 'must not be blank')
    .refine(hasNoControlChars, 'must not contain control characters');

/**
 * Ed25519 public key of the hall's provisioning tool: either the raw 32-byte key in base64 (44 characters,
 * `=`-padded) or an SPKI PEM (`-----BEGIN PUBLIC KEY-----`). Checked for shape here; that it really is an
 * Ed25519 key is checked by `ed25519KeyProblem` (node:crypto) below.
 */
export const provisioningPublicKeySchema = z
  .string()
  .max(400)
  .superRefine((value, ctx) => {
    const problem = ed25519KeyProblem(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/** `null` when `value` is a usable Ed25519 public key (raw base64 or SPKI PEM), else a message. */
export function ed25519KeyProblem(value: string): string | null {
  const trimmed = value.trim();
  if (trimmed.startsWith('-----BEGIN PUBLIC KEY-----')) {
    try {
      const key = createPublicKey({ key: trimmed, format: 'pem' });
      return key.asymmetricKeyType === 'ed25519' ? null : 'must be an Ed25519 key';
    } catch {
      return 'must be an SPKI PEM public key';
    }
  }
  if (!/^[A-Za-z0-9+/]{43}=$/.test(trimmed) || Buffer.from(trimmed, 'base64').length !== 32) {
    return 'must be a raw 32-byte Ed25519 key in base64, or an SPKI PEM';
  }
  return null;
}

/**
 * PHC-style scrypt hash of the admin PIN (`src/config/admin-pin.ts`):
 * `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt b64>$<hash b64>`. Never weaker than the default N = 2^15, r = 8.
 */
export const PIN_HASH_PATTERN =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,88})\$([A-Za-z0-9+/]{43,88})$/;
const pinHash = z.string().superRefine((value, ctx) => {
  const m = PIN_HASH_PATTERN.exec(value);
  const [ln, r, p] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  if (!m)
    ctx.addIssue({ code: 'custom', message: 'must be an scrypt PIN hash ($scrypt$ln=…,r=…,p=…$salt$hash)' });
  else if (ln < 15 || ln > 20 || r < 8 || r > 16 || p < 1 || p > 4) {
    ctx.addIssue({ code: 'custom', message: 'scrypt parameters must be ln 15–20, r 8–16, p 1–4' });
  }
});

/** 32 random bytes in base64 (44 characters, `=`-padded). */
const key32 = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 random bytes in base64')
  .refine((s) => Buffer.from(s, 'base64').length === 32, 'must be 32 random bytes in base64');

/** One clerk of this window's roster (staff card sign-in and the idle screen's clerk card). */
export const staffMemberSchema = z.object({
  /** The clerk's id in the hall's staff system (工号), as the window system sends it to `/v1/staff/signin`. */
  staffId: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII'),
  /** Name shown on the idle screen. Staff names are not citizen PII, but stay in the main process. */
  name: screenText(40),
  /** Job title shown under the name (e.g. 综合窗口受理员). */
  title: screenText(40).optional(),
  /** `data:image/jpeg;base64,…` or png, at most 200 KiB decoded (same rule as `/v1/staff/signin`). */
  photo: z
    .string()
    .max(300_000)
    .superRefine((value, ctx) => {
      const problem = photoProblem(value);
      if (problem !== null) ctx.addIssue({ code: 'custom', message: `photo: ${problem}` });
    })
    .optional(),
  /**
   * HMAC-SHA256 (key `admin.staffCardKey`, per hall) of the clerk's ID-card number, upper-cased, as 64
   * lower-case hex characters (`staffCardDigest` in staff-roster.ts). The roster never holds ID numbers.
   * Absent: this clerk signs in through the window system only.
   */
  cardDigest: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters (HMAC-SHA256)')
    .optional(),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

/**
 * 证件类型 code per document type (province-profile.md ⟨r2⟩ `certTypes`): the profile's defaults stand until
 * the province's own table is provisioned. Two types never share a code, so no document is ever sent under
 * another type's code.
 */
export const certTypesSchema = z
  .object(
    Object.fromEntries(
      CERT_TYPES.map((type) => [type, digits(3).default(DEFAULT_CERT_TYPE_CODES[type])]),
    ) as Record<(typeof CERT_TYPES)[number], z.ZodDefault<z.ZodString>>,
  )
  .prefault({})
  .superRefine((codes, ctx) => {
    const seen = new Map<string, string>();
    for (const type of CERT_TYPES) {
      const other = seen.get(codes[type]);
      if (other !== undefined)
        ctx.addIssue({ code: 'custom', path: [type], message: `same code as ${other}` });
      seen.set(codes[type], type);
    }
  });

const REQUIRED_DEFAULT_STAFF =
  "required: the window's responsible clerk { staffId, name }, named on every record when the window system " +
  'reports no clerk and none is signed in (domain-rules §11)';

/** `window.defaultStaff`: provisioning refuses a window without one (domain-rules §11 ⟨r2⟩). */
export const windowSchema = z
  .object({
    defaultStaff: z.object(
      {
        staffId: z
          .string()
          .min(1)
          .max(32)
          .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII'),
        name: screenText(40),
      },
      { error: (issue) => (issue.input === undefined ? REQUIRED_DEFAULT_STAFF : undefined) },
    ),
  })
  // An absent `window` is checked as `{}`, so the error names `window.defaultStaff`, the field to add
  // (configurations provisioned before domain-rules §11 ⟨r2⟩ have no `window`). Never a default clerk.
  .prefault({} as { defaultStaff: { staffId: string; name: string } });

/** The roster of clerks who may work this window: unique staff ids, unique card digests, at most 50. */
export const staffRosterSchema = z
  .array(staffMemberSchema)
  .max(50)
  .superRefine((roster, ctx) => {
    const ids = new Set<string>();
    const digests = new Set<string>();
    roster.forEach((member, i) => {
      if (ids.has(member.staffId))
        ctx.addIssue({ code: 'custom', path: [i, 'staffId'], message: 'duplicate staffId' });
      ids.add(member.staffId);
      if (member.cardDigest !== undefined) {
        if (digests.has(member.cardDigest)) {
          ctx.addIssue({ code: 'custom', path: [i, 'cardDigest'], message: 'duplicate cardDigest' });
        }
        digests.add(member.cardDigest);
      }
    });
  })
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
  window: windowSchema,
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
    /** 证件类型 codes (province-profile.md ⟨r2⟩); the profile's defaults when not provisioned. */
    certTypes: certTypesSchema,
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
  /**
   * Provisioning revision: a signed provisioning file must carry a revision above the stored one, so an
   * older signed file (a stale USB stick, a replayed request) can never roll the device back. Admin-screen
   * edits keep it unchanged. Absent counts as 0.
   */
  revision: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** Clerks of this window (staff card sign-in, idle screen). Names and photos, never ID numbers. */
  staff: staffRosterSchema,
  /** Secrets beyond the province ones. */
  admin: z
    .object({
      /** scrypt hash of the admin PIN (see `PIN_HASH_PATTERN`); absent = no admin screen access. Secret. */
      pinHash: pinHash.optional(),
      /**
       * Ed25519 key that signs provisioning files (raw 32 bytes base64 or SPKI PEM). Trust on first use:
       * the first accepted file sets it; later files must verify against the stored key, so a new key
       * arrives only in a file signed by the old one. Not a secret; the admin screen cannot change it.
       */
      provisioningPublicKey: provisioningPublicKeySchema.optional(),
      /** Per-hall HMAC key (32 bytes base64) behind `staff[].cardDigest`. Secret. */
      staffCardKey: key32.optional(),
    })
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

/**
 * Every secret of the configuration, as `section.key`. They are sealed on disk (secret-store.ts), never
 * logged, never answered, and reach the renderer only as "set" / "not set".
 */
export const SECRET_PATHS = [
  'province.appWord',
  'link.linkToken',
  'link.adminToken',
  'admin.pinHash',
  'admin.staffCardKey',
] as const;
export type SecretPath = (typeof SECRET_PATHS)[number];

/** The configuration without secrets: each secret becomes `"set"` or `"not set"` (diagnostics, renderer, logs). */
export function redactConfig(config: KioskConfig): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(config)) as Record<string, Record<string, unknown>>;
  for (const path of SECRET_PATHS) {
    const [section, key] = path.split('.') as [string, string];
    const holder = copy[section];
    if (holder) holder[key] = holder[key] ? 'set' : 'not set';
  }
  if (copy.province) copy.province.caBundle = copy.province.caBundle ? 'set' : 'not set';
  // A card digest is not the ID number, but nobody outside the main process needs it either.
  const staff = (copy as Record<string, unknown>).staff;
  if (Array.isArray(staff)) {
    for (const member of staff as Record<string, unknown>[]) {
      member.cardDigest = member.cardDigest ? 'set' : 'not set';
    }
  }
  return copy;
}
