/**
 * The rating write path (issue 15): what is stored and sent for each service and rating, in one place.
 * - service-key.ts: the service key (domain-rules §2 ⟨r2⟩); pure
 * - clerk.ts: which clerk a record names (§11 ⟨r2⟩); pure
 * - identity.ts: which identity goes on which record (§4, §5 ⟨r2⟩); pure
 * - cert-number.ts, cert-codes.ts: a number check per document type and the certTypes code table; pure
 * - intake.ts: a reported service → its stored row; commit.ts: a rating or default → its committed record
 * The store keeps the SQL (src/store/), the adapter the wire format (src/sync/province/).
 */
export {
  DEFAULT_SERVICE_NODE,
  SERVICE_NODES,
  serviceKeyOf,
  shanghaiDay,
  type KeyedService,
  type ServiceKey,
  type ServiceNode,
} from './service-key.js';
export { clerkForService, clerkOfStoredService, type Clerk } from './clerk.js';
export {
  identityForRecord,
  identityOfSealed,
  userPropFor,
  type CitizenIdentity,
  type LegacyCitizenIdentity,
  type RecordKind,
  type SealedIdentity,
} from './identity.js';
export { isValidCertKey } from './cert-number.js';
export {
  certTypeCode,
  certTypeOfLegacyCode,
  DEFAULT_CERT_TYPE_CODES,
  type CertTypeCodes,
} from './cert-codes.js';
export {
  citizenIdentityOf,
  createServiceIntake,
  type IdentityInput,
  type ReportedService,
  type ServiceIntake,
} from './intake.js';
export {
  createRatingCommit,
  type CitizenRating,
  type RatingCommit,
  type RatingCommitDeps,
} from './commit.js';
