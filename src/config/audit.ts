/**
 * Typed audit events of provisioning and staff/technician actions, written through `store.audit` (the
 * audit table is append-only, enforced by the store's triggers). Each event type lists exactly the fields
 * it records, so a caller cannot slip a secret, an ID number or a citizen's name into the trail: config
 * changes carry field *paths* only (never values), PIN attempts carry the outcome only (never the PIN).
 */
import type { AuditEntry } from '../store/types.js';

/** What `store.audit` offers (a `KioskStore` satisfies it). */
export interface AuditSink {
  audit(entry: AuditEntry): void;
}

/** Which way a configuration came in. */
export type ConfigSource = 'provisioning-file' | 'link' | 'admin-screen' | 'first-run';

export type AuditEvent =
  | {
      type: 'config.change';
      source: ConfigSource;
      /** Dot paths of the fields that changed (`staff` for any roster change); secrets by path only. */
      changed: readonly string[];
      /** The provisioning key was replaced (by a file signed with the old key). */
      keyRotated?: boolean;
      /** The first provisioning key was set (trust on first use). */
      keyTrusted?: boolean;
      revision?: number | null;
    }
  | {
      type: 'config.refused';
      source: ConfigSource;
      reason: 'invalid-config' | 'bad-signature' | 'unreadable' | 'already-provisioned';
      /** Paths of the failing fields (messages and values stay out of the trail). */
      fields?: readonly string[];
    }
  | { type: 'staff.sign-in'; staffId: string; via: 'card' | 'link' }
  | { type: 'staff.sign-out'; staffId: string | null; via: 'card' | 'link' | 'timeout' }
  | {
      type: 'admin.pin-attempt';
      result: 'ok' | 'wrong' | 'locked' | 'not-set';
      /** Consecutive failures after this attempt. */
      failures: number;
      /** Epoch ms the lockout ends, when one is (now) in force. */
      lockedUntil: number | null;
    }
  | { type: 'admin.pin-set' }
  | {
      type: 'records.resend';
      /** What was queued again: dead letters, or a seq range. */
      scope: 'dead-letters' | 'seq-range';
      count: number;
      fromSeq?: number;
      toSeq?: number;
    }
  | {
      type: 'records.export';
      kind: 'ratings-summary' | 'records' | 'audit';
      /** `YYYY-MM-DD` (Asia/Shanghai) bounds of the export. */
      from: string;
      to: string;
      count: number;
      destination: 'usb' | 'link' | 'screen';
    };

export type AuditAction = AuditEvent['type'];

/** Who acted: `admin-screen`, `link-admin@10.0.0.5`, `usb`, `system`, or `staff:<staffId>`. */
export type AuditActor = string;

export interface AuditTrail {
  record(actor: AuditActor, event: AuditEvent): void;
}

/** Field-by-field copy: only the declared fields of each event reach the trail. */
function detailOf(event: AuditEvent): Record<string, unknown> {
  switch (event.type) {
    case 'config.change':
      return {
        source: event.source,
        changed: [...event.changed].map(String).sort(),
        ...(event.keyRotated ? { keyRotated: true } : {}),
        ...(event.keyTrusted ? { keyTrusted: true } : {}),
        ...(event.revision !== undefined ? { revision: event.revision } : {}),
      };
    case 'config.refused':
      return {
        source: event.source,
        reason: event.reason,
        ...(event.fields ? { fields: [...event.fields].map(String).slice(0, 50) } : {}),
      };
    case 'staff.sign-in':
      return { staffId: event.staffId, via: event.via };
    case 'staff.sign-out':
      return { staffId: event.staffId, via: event.via };
    case 'admin.pin-attempt':
      return { result: event.result, failures: event.failures, lockedUntil: event.lockedUntil };
    case 'admin.pin-set':
      return {};
    case 'records.resend':
      return {
        scope: event.scope,
        count: event.count,
        ...(event.fromSeq !== undefined ? { fromSeq: event.fromSeq } : {}),
        ...(event.toSeq !== undefined ? { toSeq: event.toSeq } : {}),
      };
    case 'records.export':
      return {
        kind: event.kind,
        from: event.from,
        to: event.to,
        count: event.count,
        destination: event.destination,
      };
  }
}

export function createAuditTrail(sink: AuditSink, now: () => number = Date.now): AuditTrail {
  return {
    record(actor, event) {
      sink.audit({
        at: now(),
        actor: String(actor).slice(0, 80),
        action: event.type,
        detail: detailOf(event),
      });
    },
  };
}

/** A trail that records nothing (demo tooling, tests that do not look at the trail). */
export const NO_AUDIT: AuditTrail = { record: () => undefined };
