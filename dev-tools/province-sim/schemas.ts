/** What a conforming province accepts (province-profile.md "Envelope", "Endpoints", "Record"). */
import { z } from 'zod';

const nonEmpty = z.string().min(1);
const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must be yyyy-MM-dd HH:mm:ss');
const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex');

export const envelopeSchema = z
  .object({
    appMark: nonEmpty,
    time: z.string().regex(/^\d{14}$/),
    sign: z.string().regex(/^[0-9a-f]+$/),
    params: z.object({ data: z.string().regex(/^[0-9a-f]+$/) }).strict(),
  })
  .strict();

export const recordSchema = z
  .object({
    ratingId: z
      .string()
      .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'must be a UUIDv7'),
    projectNo: z.string().min(1).max(64),
    taskCode: nonEmpty.optional(),
    taskName: nonEmpty.optional(),
    proStatus: z.literal('3'),
    areaCode: z.string().regex(/^\d{12}$/),
    deptCode: z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/),
    proDepart: nonEmpty,
    proManager: nonEmpty.optional(),
    staffId: nonEmpty.optional(),
    hallCode: nonEmpty,
    windowNo: nonEmpty,
    deviceId: nonEmpty,
    userProp: z.enum(['1', '2']),
    userName: nonEmpty.optional(),
    userPageType: z
      .string()
      .regex(/^\d{3}$/)
      .optional(),
    certKey: nonEmpty.optional(),
    pf: z.string().regex(/^\d$/),
    satisfaction: z.enum(['1', '2', '3', '4', '5']),
    evalDetail: z
      .string()
      .regex(/^[A-Za-z0-9_-]+(,[A-Za-z0-9_-]+)*$/)
      .optional(),
    writingEvaluation: nonEmpty
      .refine((t) => Array.from(t).length <= 150, 'at most 150 characters')
      .optional(),
    catalogueVersion: nonEmpty,
    assessTime: dateTime,
    serviceTime: dateTime,
    assessNumber: z.string().regex(/^\d+$/),
    serviceNumber: z.string().regex(/^\d+$/),
    dataSource: z.string().regex(/^\d{3}$/),
    isDefault: z.enum(['0', '1']),
    flags: z.array(z.string()),
    seq: z.number().int().min(1),
    prevHash: hex64,
    hash: hex64,
  })
  .strict()
  .refine((r) => (r.certKey === undefined) === (r.userName === undefined), 'certKey and userName go together')
  .refine(
    (r) => r.certKey === undefined || r.userPageType !== undefined,
    'userPageType is required with certKey',
  );

export type WireRecord = z.infer<typeof recordSchema>;

export const recordsPayloadSchema = z.object({ records: z.array(z.unknown()).min(1) }).strict();

export const cataloguePayloadSchema = z.object({ deviceId: nonEmpty, have: z.string() }).strict();

export const heartbeatPayloadSchema = z
  .object({
    deviceId: nonEmpty,
    appVersion: nonEmpty,
    outboxDepth: z.number().int().min(0),
    oldestUnsentAt: z.union([z.literal(''), dateTime]),
    lastSeq: z.number().int().min(0),
    lastHash: hex64,
    abandonedBad: z.number().int().min(0),
  })
  .strict();

export type HeartbeatRecord = z.infer<typeof heartbeatPayloadSchema>;
