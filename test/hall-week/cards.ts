/**
 * A planned citizen's card as the reader simulator (drivers/sim/reader-sim.ts) puts it in the field: the text
 * block of its SAM type (id-reader-sam.md: none = 居民身份证, `J`, `I`, and the 2023 `Y`). Foreign cards carry
 * no Chinese name here, so the name a rating carries is the card's one name whatever rule picks it.
 */
import type { CardIdentity } from '../../drivers/idcard/identity.js';
import type { Person } from './identities.js';

export function cardOf(person: Person): CardIdentity {
  const common = {
    certKey: person.certKey,
    name: person.userName,
    gender: 'female' as const,
    birthDate: person.birthDate,
    validFrom: '2020-01-01',
    validTo: '2040-01-01',
  };
  switch (person.kind) {
    case 'id-card':
      return {
        ...common,
        cardType: 'mainland',
        certType: 'id-card',
        nation: '01',
        address: '海南省海口市测试路1号',
        issuer: '测试市公安局',
      };
    case 'residence-permit':
      return {
        ...common,
        cardType: 'hk-mo-tw',
        certType: 'residence-permit',
        address: '海南省海口市测试路2号',
        issuer: '测试市公安局',
        passNumber: 'H00000000',
        issueCount: '01',
      };
    case 'foreign-2017':
      return { ...common, cardType: 'foreign', certType: 'foreign-permanent', nationality: 'TST' };
    case 'foreign-2023':
      return { ...common, cardType: 'foreign-2023', certType: 'foreign-permanent' };
  }
}
