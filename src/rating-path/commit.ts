/**
 * The rating commit: a citizen's rating or a 7-day default becomes a province record draft and is committed
 * (rating, queue entry and chain link in one store transaction). The one place where a record gets its
 * clerk (clerk.ts) and its identity (identity.ts), so live ratings and defaults cannot drift apart.
 */
import type { DefaultCandidate } from '../sync/outbox-port.js';
import type { DefaultRating } from '../sync/defaults.js';
import {
  buildRecordDraft,
  type RatingForRecord,
  type RecordConfig,
} from '../sync/province/national-template/record.js';
import { uuidv7, type RandomBytes } from '../sync/uuidv7.js';
import { withoutPii } from '../shared/province-record.js';
import type { LevelKey } from '../shared/levels.js';
import type { KioskStore, PadEventRef } from '../store/types.js';
import { reasonsOnWire, type BuiltinCatalogue } from './builtin-reasons.js';
import { clerkOfStoredService, type Clerk } from './clerk.js';
import { identityForRecord } from './identity.js';

/** A rating the citizen gave, as the session engine accepted it (src/app/session-controller.ts). */
export interface CitizenRating {
  serviceId: number;
  sessionId: string;
  level: LevelKey;
  reasons: readonly string[];
  text: string;
  catalogueVersion: string;
  at: number;
  flags: readonly string[];
  source: string;
  padEvent?: PadEventRef;
}

export interface RatingCommitDeps {
  store: Pick<KioskStore, 'getService' | 'serviceCitizen' | 'commitRating'>;
  /** The configuration in force: the record's fixed fields, the certTypes table and `window.defaultStaff`. */
  config: () => RecordConfig & { window: { defaultStaff: Clerk } };
  randomBytes: RandomBytes;
  /**
   * The built-in catalogue, and the province catalogue version the kiosk knows now (null before its first
   * download): a rating made with the built-in one carries neither its codes nor its version
   * (builtin-reasons.ts, domain-rules §3 ⟨r2⟩).
   */
  catalogue: { builtin: BuiltinCatalogue; provinceVersion: () => string | null };
  /** After each commit (wire to the outbox worker's notify()). */
  onCommitted?: () => void;
}

export function createRatingCommit(deps: RatingCommitDeps) {
  const { store } = deps;

  function commitRecord(
    rating: RatingForRecord,
    serviceId: number,
    source: string,
    sessionId: string | null,
    padEvent?: PadEventRef,
  ): void {
    // Built-in reasons become conforming text here, before the record is hashed and chained: it cannot be
    // changed at send time (builtin-reasons.ts). Defaults pass too, so no built-in version is ever sent.
    const wire = reasonsOnWire(rating, deps.catalogue.builtin, deps.catalogue.provinceVersion());
    // The identity (when there is one) stays sealed in the service row, which the rating refers to; the
    // draft keeps only what is hashed (userPageType included), so nothing is encrypted on the press path.
    const draft = withoutPii(buildRecordDraft({ ...rating, ...wire }, deps.config()));
    store.commitRating({
      serviceId,
      level: rating.level,
      draft,
      source,
      sessionId,
      at: rating.assessedAt,
      ...(padEvent ? { padEvent } : {}),
    });
    deps.onCommitted?.();
  }

  return {
    /** The citizen's rating: with the service's identity, if it has one (domain-rules §5). */
    commitCitizenRating(rating: CitizenRating): void {
      const service = store.getService(rating.serviceId);
      if (!service) throw new Error(`unknown service ${rating.serviceId}`);
      commitRecord(
        {
          ratingId: uuidv7(rating.at, deps.randomBytes),
          level: rating.level,
          reasons: rating.reasons,
          text: rating.text,
          catalogueVersion: rating.catalogueVersion,
          assessedAt: rating.at,
          service,
          staff: clerkOfStoredService(service, deps.config().window.defaultStaff),
          citizen: identityForRecord('citizen', store.serviceCitizen(service.id)),
          flags: rating.flags,
          isDefault: false,
        },
        service.id,
        rating.source,
        rating.sessionId,
        rating.padEvent,
      );
    },
    /** A 7-day default (src/sync/defaults.ts): the service's clerk, and no identity (domain-rules §4 ⟨r2⟩). */
    commitDefault(rating: DefaultRating, candidate: DefaultCandidate): void {
      commitRecord(
        {
          ...rating,
          staff: clerkOfStoredService(candidate, deps.config().window.defaultStaff),
          citizen: identityForRecord('default', null),
        },
        candidate.serviceId,
        'default',
        null,
      );
    },
  };
}

export type RatingCommit = ReturnType<typeof createRatingCommit>;
