/**
 * What the session engine is told about a citizen and a catalogue. The engine never sees PII: a citizen
 * becomes an opaque ref, masked forms for the screen, and today's rating count for the `id-burst` flag
 * (domain-rules §5, §7). The catalogue becomes the snapshot of codes the session validates reasons against.
 */
import type { CatalogueRef, CitizenRef } from '../session/index.js';
import type { CitizenIdentity, KioskStore } from '../store/index.js';
import { DAY_MS, shanghaiDayStart } from '../sync/time.js';
import { maskIdNumber, maskName } from '../../drivers/idcard/mask.js';
import type { CatalogueSnapshot } from './catalogue-source.js';

export function citizenRefFor(
  serviceId: number,
  citizen: CitizenIdentity,
  source: 'window' | 'reader',
  now: number,
  store: Pick<KioskStore, 'idRatingsOnDay'>,
): CitizenRef {
  const start = shanghaiDayStart(now);
  return {
    ref: `service:${serviceId}`,
    maskedName: maskName(citizen.userName),
    maskedId: maskIdNumber(citizen.certKey),
    ratingsToday: store.idRatingsOnDay(citizen.certKey, start, start + DAY_MS),
    source,
  };
}

export function catalogueRefFrom(snapshot: CatalogueSnapshot): CatalogueRef {
  return {
    version: snapshot.version,
    codes: {
      dissatisfied: snapshot.reasons.dissatisfied.map((r) => r.code),
      very_dissatisfied: snapshot.reasons.very_dissatisfied.map((r) => r.code),
    },
    textAllowed: snapshot.textAllowed,
    textMax: snapshot.textMax,
  };
}
