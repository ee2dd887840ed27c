/**
 * Sample identities for the simulators and tests: plainly fictitious (测试一, TEST SAMPLE) but passing the
 * GB 11643 check digit, one per card type, plus deliberately broken ones. Never real people.
 */
import type { CardIdentity } from '../idcard/identity.js';
import { gb11643CheckDigit } from '../idcard/text-block.js';

/** A number with a correct check digit from its first 17 digits. */
export const withCheckDigit = (first17: string): string => first17 + gb11643CheckDigit(first17);

export const MAINLAND: CardIdentity = {
  cardType: 'mainland',
  certType: 'id-card',
  certKey: withCheckDigit('46010019900101123'),
  name: '测试一',
  gender: 'male',
  nation: '01',
  birthDate: '1990-01-01',
  address: '海南省海口市测试路1号',
  issuer: '测试市公安局',
  validFrom: '2020-01-01',
  validTo: '2040-01-01',
};

export const HK_MO_TW: CardIdentity = {
  cardType: 'hk-mo-tw',
  certType: 'residence-permit',
  certKey: withCheckDigit('81000019850505002'),
  name: '测试二',
  gender: 'female',
  birthDate: '1985-05-05',
  address: '海南省海口市测试路2号',
  issuer: '测试市公安局',
  validFrom: '2021-06-01',
  validTo: '2026-06-01',
  passNumber: 'H00000000',
  issueCount: '01',
};

export const FOREIGN: CardIdentity = {
  cardType: 'foreign',
  certType: 'foreign-permanent',
  certKey: 'TST460000000019',
  name: 'TEST SAMPLE',
  chineseName: '测试三',
  gender: 'female',
  birthDate: '1979-12-31',
  validFrom: '2019-03-01',
  validTo: '2029-03-01',
  nationality: 'TST',
};

export const MAINLAND_LONG_TERM: CardIdentity = {
  ...MAINLAND,
  certKey: withCheckDigit('46010019600202234'),
  name: '测试四',
  birthDate: '1960-02-02',
  validTo: 'long-term',
};

/** Wrong check digit: must be read error E5006. */
export const BAD_CHECK_DIGIT: CardIdentity = {
  ...MAINLAND,
  certKey: MAINLAND.certKey.slice(0, 17) + (MAINLAND.certKey[17] === '0' ? '1' : '0'),
};

/**
 * The 2023 foreign permanent resident card (`Y`): 18 digits starting 9 (9 · province 46 · nationality
 * code 999, not a real country · birth date · sequence · MOD 11-2 check), English and Chinese names.
 */
export const FOREIGN_2023: CardIdentity = {
  cardType: 'foreign-2023',
  certType: 'foreign-permanent',
  certKey: withCheckDigit('94699919880808001'),
  name: 'SAMPLE, TEST SECOND',
  chineseName: '测试五',
  gender: 'male',
  birthDate: '1988-08-08',
  validFrom: '2023-12-01',
  validTo: '2033-11-30',
};

/** A `Y` card without a Chinese name: the rating carries the English one. */
export const FOREIGN_2023_NO_CHINESE_NAME: CardIdentity = {
  cardType: 'foreign-2023',
  certType: 'foreign-permanent',
  certKey: withCheckDigit('94699919750303002'),
  name: 'SAMPLE, ONLY ENGLISH',
  gender: 'female',
  birthDate: '1975-03-03',
  validFrom: '2024-01-15',
  validTo: '2034-01-14',
};

/** A 9… number on a card without the `Y` type byte: an unknown layout, E5007, never guessed. */
export const NINE_WITHOUT_Y_TYPE: CardIdentity = {
  ...MAINLAND,
  certKey: withCheckDigit('93310019900101001'),
};

export const SAMPLE_CARDS = {
  mainland: MAINLAND,
  hk: HK_MO_TW,
  foreign: FOREIGN,
  '2023': FOREIGN_2023,
  'long-term': MAINLAND_LONG_TERM,
} as const;
