/**
 * The documents a citizen (or a legal person) can be identified by, named by what they are, never by a
 * province's number for them (domain-rules §5 ⟨r2⟩, window-link.md `certType`). The province's 证件类型 code
 * for each is looked up in the provisioned `certTypes` table (province-profile.md) at the adapter boundary.
 */
export const CERT_TYPES = ['id-card', 'residence-permit', 'foreign-permanent', 'uscc'] as const;

export type CertType = (typeof CERT_TYPES)[number];

/** The document types a person can carry (the reader reads these; `uscc` identifies a legal person only). */
export const PERSON_CERT_TYPES = [
  'id-card',
  'residence-permit',
  'foreign-permanent',
] as const satisfies readonly CertType[];

export type PersonCertType = (typeof PERSON_CERT_TYPES)[number];
