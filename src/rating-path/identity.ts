/**
 * Which identity goes on which record (domain-rules §4 ⟨r2⟩, §5 ⟨r2⟩). The identity of a service is sealed
 * once in its row, by meaning (`certType`, never a province code); it goes on the rating the citizen gave
 * and on nothing else: a default rating was given by nobody, so it carries no identity (profile "Defaults").
 * Pure.
 */
import type { CertType } from '../shared/cert-type.js';
import { certTypeOfLegacyCode } from './cert-codes.js';

/** A citizen's (or legal person's) identity as sealed in a service row. PII: never logged. */
export interface CitizenIdentity {
  certKey: string;
  userName: string;
  userProp: '1' | '2';
  certType: CertType;
}

/** As sealed before document types (issue 15): the 证件类型 code itself, '111' for every window-link citizen. */
export interface LegacyCitizenIdentity {
  certKey: string;
  userName: string;
  userProp: '1' | '2';
  userPageType: string;
}

export type SealedIdentity = CitizenIdentity | LegacyCitizenIdentity;

/** 申请人类型 follows the document: a 统一社会信用代码 names a legal person (`userProp 2`). */
export function userPropFor(certType: CertType): '1' | '2' {
  return certType === 'uscc' ? '2' : '1';
}

/** Any sealed identity, old or new, by meaning. */
export function identityOfSealed(sealed: SealedIdentity): CitizenIdentity {
  if ('certType' in sealed) return sealed;
  const { userPageType, ...rest } = sealed;
  return { ...rest, certType: certTypeOfLegacyCode(userPageType) };
}

/** `citizen`: the rating a citizen gave at the kiosk; `default`: the 7-day default (domain-rules §4). */
export type RecordKind = 'citizen' | 'default';

/** The identity a record of that kind carries, from its service's sealed identity. */
export function identityForRecord(kind: RecordKind, sealed: SealedIdentity | null): CitizenIdentity | null {
  if (kind === 'default' || sealed === null) return null;
  return identityOfSealed(sealed);
}
