/** The decoded citizen identity a card read yields (id-reader-sam.md "Text block"). PII: log only masked forms (mask.ts). */
export type CardType = 'mainland' | 'hk-mo-tw' | 'foreign';

export interface CardIdentity {
  cardType: CardType;
  /** ID number (mainland, residence permit) or permanent residence permit number (foreign). */
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
