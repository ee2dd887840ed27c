/**
 * Shapes of what a conforming province accepts (province-profile.md "Envelope", "Endpoints"). Per-record
 * rules live in record-checks.ts and service-checks.ts, so that each record gets its own answer.
 */
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

/** A record as the province holds it (identity values masked: identity-mask.ts). */
export type WireRecord = {
  ratingId: string;
  projectNo: string;
  taskCode?: string;
  taskName?: string;
  proStatus: '1' | '2' | '3';
  areaCode: string;
  deptCode: string;
  proDepart: string;
  proManager: string;
  staffId: string;
  hallCode: string;
  windowNo: string;
  deviceId: string;
  userProp: '1' | '2';
  userName?: string;
  userPageType?: string;
  certKey?: string;
  handleUserName?: string;
  handleUserPageType?: string;
  handleUserPageCode?: string;
  mobile?: string;
  pf: string;
  satisfaction: '1' | '2' | '3' | '4' | '5';
  evalDetail?: string;
  writingEvaluation?: string;
  catalogueVersion: string;
  assessTime: string;
  serviceTime: string;
  assessNumber: string;
  serviceNumber: string;
  dataSource: string;
  isDefault: '0' | '1';
  flags: string[];
  seq: number;
  prevHash: string;
  hash: string;
  sig?: string;
};

/** A Service record ⟨r2⟩ as held. */
export type WireService = {
  serviceId: string;
  projectNo: string;
  serviceNumber: string;
  proStatus: '1' | '2' | '3';
  taskCode?: string;
  taskName?: string;
  serviceTime: string;
  areaCode: string;
  deptCode: string;
  proDepart: string;
  hallCode: string;
  windowNo: string;
  deviceId: string;
  proManager: string;
  staffId: string;
  userProp: '1' | '2';
  dataSource: string;
};

export const recordsPayloadSchema = z.object({ records: z.array(z.unknown()).min(1) }).strict();

export const servicesPayloadSchema = z.object({ services: z.array(z.unknown()).min(1) }).strict();

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
    // ⟨r2⟩ fields the kiosk does not send yet (the device key and the declined count come with the issue
    // that adds `sig`, issue 15 item 9): well-formed when present, not yet required.
    declined: z.number().int().min(0).optional(),
    devicePublicKey: z
      .string()
      .regex(/^04[0-9a-f]{128}$/, 'must be an uncompressed SM2 public key (130 hex, 04…)')
      .optional(),
  })
  .strict();

export type HeartbeatRecord = z.infer<typeof heartbeatPayloadSchema>;
