/** The decoded citizen identity a card read yields (id-reader-sam.md "Text block"). PII: log only masked forms (mask.ts). */
import type { PersonCertType } from '../../src/shared/cert-type.js';

/** The text-block layout read (SAM type byte 248: none, `J`, `I`, `Y`). */
export type CardType = 'mainland' | 'hk-mo-tw' | 'foreign' | 'foreign-2023';

/** The document each layout is (domain-rules §5 ⟨r2⟩; the 证件类型 code is looked up from it later). */
export const CERT_TYPE_OF_LAYOUT: Readonly<Record<CardType, PersonCertType>> = {
  mainland: 'id-card',
  'hk-mo-tw': 'residence-permit',
  foreign: 'foreign-permanent',
  'foreign-2023': 'foreign-permanent',
};

export interface CardIdentity {
  cardType: CardType;
  /** What the document is, from the shared vocabulary (src/shared/cert-type.ts). */
  certType: PersonCertType;
  /**
   * ID number (mainland, residence permit), permanent residence permit number (foreign 2017: 3 letters +
   * 12 digits; 2023: 18 digits starting 9).
   */
  certKey: string;
  /** Chinese name; for foreign cards the English name (`chineseName` holds the Chinese one, if any). */
  name: string;
  gender: 'male' | 'female' | 'unknown' | 'unstated';
  /** ISO `YYYY-MM-DD`. */
  birthDate: string;
  /** GB/T 3304 code, 2 digits (mainland only). */
  nation?: string;
  address?: string;
  issuer?: string;
  validFrom: string;
  /** ISO date, or `long-term` for 长期. */
  validTo: string;
  /** GB/T 2659 3-letter code (foreign only). */
  nationality?: string;
  chineseName?: string;
  /** Residence permit ('J'): pass number and issue count. */
  passNumber?: string;
  issueCount?: string;
}

/**
 * The name a real-name rating carries (province-profile.md ⟨r2⟩, issue 16): for a foreign permanent resident
 * card (`I`, `Y`) the Chinese name when the card has one, else the English name; the card's name otherwise.
 */
export function ratingName(identity: CardIdentity): string {
  return identity.certType === 'foreign-permanent' ? identity.chineseName || identity.name : identity.name;
}
