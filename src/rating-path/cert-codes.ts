/**
 * Document type (stored by meaning) ↔ the province's 证件类型 code (`userPageType`), only through the
 * provisioned `certTypes` table (province-profile.md ⟨r2⟩ "证件类型 codes"; domain-rules §5). Pure.
 */
import { CERT_TYPES, type CertType } from '../shared/cert-type.js';

export type CertTypeCodes = Readonly<Record<CertType, string>>;

/** The profile's defaults, which stand until the province's own code table is provisioned. */
export const DEFAULT_CERT_TYPE_CODES: CertTypeCodes = {
  'id-card': '111',
  'residence-permit': '554',
  'foreign-permanent': '553',
  uscc: '001',
};

/** The code a record carries for a document type. */
export function certTypeCode(codes: CertTypeCodes, certType: CertType): string {
  return codes[certType];
}

/**
 * The document type of an identity sealed before certType existed: it stored the code (`userPageType`,
 * '111' for every window-link citizen, the reader's own code otherwise). Read back through the profile's
 * default table; a code the table does not know was a 居民身份证 ('111' was the only one the link wrote).
 */
export function certTypeOfLegacyCode(userPageType: string): CertType {
  return CERT_TYPES.find((type) => DEFAULT_CERT_TYPE_CODES[type] === userPageType) ?? 'id-card';
}
