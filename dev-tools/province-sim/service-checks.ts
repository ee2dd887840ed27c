/**
 * The Service record ⟨r2⟩ (province-profile.md "Service"): sent once per reported service so the province can
 * count 未评. Its fields, well-formed as in the Record table; no identity (IDENTITY_ON_SERVICE).
 */
import { checkFields, formats as f, type FieldRule, type Rejection } from './field-rules.js';
import { IDENTITY_FIELDS } from './record-checks.js';

const req = (format: FieldRule['format'] = f.text): FieldRule => ({ required: true, format });
const opt = (format: FieldRule['format'] = f.text): FieldRule => ({ required: false, format });

export const SERVICE_FIELDS: Readonly<Record<string, FieldRule>> = {
  serviceId: req(f.uuidV7),
  projectNo: req(),
  serviceNumber: req(f.count),
  proStatus: req(f.proStatus),
  // "may be empty" in the Record table: absent when the window system gives none.
  taskCode: opt(),
  taskName: opt(),
  serviceTime: req(f.time),
  areaCode: req(f.areaCode),
  deptCode: req(f.deptCode),
  proDepart: req(),
  hallCode: req(),
  windowNo: req(),
  deviceId: req(),
  proManager: req(),
  staffId: req(),
  userProp: req(f.userProp),
  dataSource: req(f.dataSource),
};

export type CheckedService = Record<string, string> & {
  serviceId: string;
  projectNo: string;
  serviceNumber: string;
  proStatus: string;
  deviceId: string;
};

const identity = new Set<string>(IDENTITY_FIELDS);

export function checkService(raw: unknown): Rejection | null {
  return checkFields(raw, SERVICE_FIELDS, (field) =>
    identity.has(field)
      ? { code: 'IDENTITY_ON_SERVICE', field, message: `${field}: a Service record carries no identity` }
      : null,
  );
}
