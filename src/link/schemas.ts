/**
 * Body schemas of the window-link calls (window-link.md tables). zod objects strip unknown fields ("unknown
 * fields are ignored"); a wrong type or size fails with the dot path of the first bad field. Optional fields
 * accept `null` as "absent", since window systems often send it.
 */
import { z } from 'zod';
import { isIsoDate, parseIsoWithOffset, photoProblem } from './formats.js';
import { CERT_TYPES } from '../shared/cert-type.js';
import { isValidCertKey } from '../rating-path/cert-number.js';
import { SERVICE_NODES } from '../rating-path/service-key.js';

const hasNoControlChars = (s: string): boolean => {
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return false;
  }
  return true;
};

/** Free text shown on screen (names, titles, messages): 1…max characters, not blank, no control characters. */
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => s.trim().length > 0, 'must not be blank')
    .refine(hasNoControlChars, 'must not contain control characters');

/** An identifier from another system: 1…max visible ASCII characters. */
const code = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[\x21-\x7e]+$/, 'must be visible ASCII');

export const ticketNoSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9-]+$/, 'must be letters, digits or -');

/** ISO 8601 with offset, turned into epoch ms (window-link.md "Service"). */
const instant = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const ms = parseIsoWithOffset(value);
    if (ms === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be ISO 8601 with offset, e.g. 2024-05-01T09:30:00+08:00',
      });
      return z.NEVER;
    }
    return ms;
  });

const photo = z
  .string()
  .max(300_000)
  .superRefine((value, ctx) => {
    const problem = photoProblem(value);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: `photo: ${problem}` });
  });

/**
 * `citizen` read at intake (window-link.md ⟨r2⟩): the number must say its type (domain-rules §5), and a
 * number that fails its type's check (rating-path/cert-number.ts) is a 400 on `citizen.certKey`, never sent
 * under another type. Letters are upper-cased first (a lower-case `x` check digit is common from manual entry).
 * A 统一社会信用代码 (`uscc`) names a legal person (userProp 2).
 */
const citizen = z
  .object({
    certType: z.enum(CERT_TYPES),
    certKey: z
      .string()
      .min(8)
      .max(18)
      .transform((s) => s.toUpperCase()),
    userName: text(60),
  })
  .superRefine((value, ctx) => {
    if (!isValidCertKey(value.certType, value.certKey)) {
      ctx.addIssue({ code: 'custom', path: ['certKey'], message: `not a valid ${value.certType} number` });
    }
  });

/** `staff` in a service report: the clerk who served (domain-rules §11). Same rules as a sign-in. */
const servingClerk = z.object({ staffId: code(32), name: text(40) });

export const staffSignInSchema = z.object({
  staffId: code(32),
  name: text(40),
  title: text(40).nullish(),
  photo: photo.nullish(),
});

export const emptySchema = z.object({});

export const windowStatusSchema = z.object({
  status: z.enum(['open', 'paused', 'closed']),
  message: text(200).nullish(),
});

export const serviceCalledSchema = z.object({ ticketNo: ticketNoSchema });

/**
 * How far `completedAt` may lie from the kiosk clock (issue 18 item 6). The 7-day default (domain-rules §4)
 * counts from the service's day, so a year-2000 time defaulted the service at once and a year-2999 one never.
 * A window system reports a completion as it happens; 2 days back covers one that queued its calls over a
 * night's outage and still leaves the citizen 5 of the 7 days, and 10 minutes ahead covers clock skew
 * between the two systems without letting a service slip past the rule.
 */
export const COMPLETED_AT_MAX_AGE_MS = 2 * 86_400_000;
export const COMPLETED_AT_MAX_AHEAD_MS = 10 * 60_000;

export function completedAtInWindow(completedAt: number, now: number): boolean {
  return completedAt >= now - COMPLETED_AT_MAX_AGE_MS && completedAt <= now + COMPLETED_AT_MAX_AHEAD_MS;
}

export const serviceCompletedSchema = z.object({
  ticketNo: ticketNoSchema,
  projectNo: code(64).nullish(),
  taskCode: code(64).nullish(),
  taskName: text(200).nullish(),
  /** 1-based count of times this 办件 was served; at most four digits. */
  serviceNumber: z
    .string()
    .regex(/^[1-9]\d{0,3}$/, 'must be 1–4 digits, not starting with 0')
    .nullish(),
  /** The evaluation node (domain-rules §2 ⟨r2⟩); absent means `completed`. */
  node: z.enum(SERVICE_NODES).nullish(),
  completedAt: instant.nullish(),
  staff: servingClerk.nullish(),
  citizen: citizen.nullish(),
});

/**
 * `POST /v1/admin/provision`: the provisioning file's envelope only. `config` passes through untouched (the
 * same object, so the signature covers exactly what was sent); src/config validates it field by field.
 */
export const provisionFileSchema = z.object({
  config: z.custom<Record<string, unknown>>(
    (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
    'must be an object',
  ),
  signature: z.string().min(1).max(200),
});

export const summaryQuerySchema = z.object({
  date: z.string().refine(isIsoDate, 'must be YYYY-MM-DD'),
});

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; field: string };

/** Parses `input`; on failure names the dot path of the first issue (`""` for the body itself). */
export function validate<T>(schema: z.ZodType<T>, input: unknown): ValidationResult<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, field: issue ? issue.path.map(String).join('.') : '' };
}
