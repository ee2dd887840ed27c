/**
 * Configuration and provisioning (hall-manager side): the schema, the sealed config file, the three ways
 * in (signed provisioning file, admin screen, first-run setup), the admin PIN, staff card sign-in and the
 * audit trail of all of it.
 */
export * from './schema.js';
export * from './secret-store.js';
export * from './config-store.js';
export * from './provisioning.js';
export * from './admin-pin.js';
export * from './staff-roster.js';
export * from './audit.js';
export { canonicalJson } from './canonical-json.js';
export { writeFileAtomic } from './atomic-file.js';
