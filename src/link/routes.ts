/**
 * The call table of window-link.md: which path, method and token each call needs, how its input is
 * validated, and what it asks of the core. Answers are built from whitelisted fields only.
 */
import type { z } from 'zod';
import type { TokenKind } from './auth.js';
import {
  emptySchema,
  provisionFileSchema,
  serviceCalledSchema,
  serviceCompletedSchema,
  staffSignInSchema,
  summaryQuerySchema,
  ticketNoSchema,
  windowStatusSchema,
  completedAtInWindow,
} from './schemas.js';
import type { LinkBackend } from './types.js';
import { DEFAULT_SERVICE_NODE } from '../rating-path/service-key.js';
import { SERVICE_STATES } from './types.js';

export type Answer =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'not-found' }
  | { kind: 'invalid'; field: string }
  | { kind: 'events' };

export interface CallContext {
  backend: LinkBackend;
  now: () => number;
  url: URL;
  /** Path parameter (`/v1/services/{ticketNo}`), still URL-encoded. */
  param: string | null;
  /** The caller's address (for the audit trail of admin calls). */
  remote: string;
}

interface CallBase {
  /** Name used in logs: method and path pattern, never values. */
  name: string;
  method: 'GET' | 'POST';
  auth: TokenKind | null;
  /** Body size limit in bytes when not the link's 256 KiB (window-link.md "Service"). */
  bodyLimit?: number;
}

export type Call =
  | (CallBase & { method: 'GET'; run(ctx: CallContext): Answer })
  | (CallBase & { method: 'POST'; schema: z.ZodType; run(ctx: CallContext, body: unknown): Answer });

const ok = (status = 200): Answer => ({ kind: 'json', status, body: { ok: true } });

/** The core must answer a state from the contract; anything else (a level, say) is a bug, answered 500. */
function checkedState(state: unknown): string {
  if (typeof state !== 'string' || !SERVICE_STATES.includes(state as never)) {
    throw new Error('the core answered a service state outside the contract');
  }
  return state;
}

function post<S extends z.ZodType>(
  name: string,
  auth: TokenKind,
  schema: S,
  run: (ctx: CallContext, body: z.output<S>) => Answer,
  bodyLimit?: number,
): Call {
  return {
    name: `POST ${name}`,
    method: 'POST',
    auth,
    schema,
    run: run as (ctx: CallContext, body: unknown) => Answer,
    ...(bodyLimit !== undefined ? { bodyLimit } : {}),
  };
}

/**
 * A provisioning file carries the staff roster with photos (up to 50 × 200 KiB), so this one admin call
 * takes up to 16 MiB; the admin token is checked before any of the body is read.
 */
export const PROVISION_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** `POST /v1/admin/provision`: 200 applied, 400 invalid-config with field errors, 403 bad-signature. */
function provisionAnswer({ backend, remote }: CallContext, file: unknown): Answer {
  if (!backend.provision) return { kind: 'not-found' };
  const result = backend.provision(file, remote);
  if (result.applied) {
    return {
      kind: 'json',
      status: 200,
      body: { applied: true, restartRequired: result.restartRequired === true },
    };
  }
  if (result.error === 'bad-signature')
    return { kind: 'json', status: 403, body: { error: 'bad-signature' } };
  // Whitelisted: paths and messages only, as strings.
  const fields = result.fields.map((f) => ({ path: String(f.path), message: String(f.message) }));
  return { kind: 'json', status: 400, body: { error: 'invalid-config', fields } };
}

function get(name: string, auth: TokenKind | null, run: (ctx: CallContext) => Answer): Call {
  return { name: `GET ${name}`, method: 'GET', auth, run };
}

/** Static paths; `/v1/services/{ticketNo}` is matched separately (see `findCalls`). */
const STATIC_CALLS: ReadonlyMap<string, readonly Call[]> = new Map<string, Call[]>([
  [
    '/v1/staff/signin',
    [
      post('/v1/staff/signin', 'link', staffSignInSchema, ({ backend }, b) => {
        backend.staffSignIn({
          staffId: b.staffId,
          name: b.name,
          title: b.title ?? null,
          photo: b.photo ?? null,
        });
        return ok();
      }),
    ],
  ],
  [
    '/v1/staff/signout',
    [
      post('/v1/staff/signout', 'link', emptySchema, ({ backend }) => {
        backend.staffSignOut();
        return ok();
      }),
    ],
  ],
  [
    '/v1/window/status',
    [
      post('/v1/window/status', 'link', windowStatusSchema, ({ backend }, b) => {
        backend.setWindowStatus(b.status, b.message ?? null);
        return ok();
      }),
    ],
  ],
  [
    '/v1/service/called',
    [
      post('/v1/service/called', 'link', serviceCalledSchema, ({ backend }, b) => {
        backend.serviceCalled(b.ticketNo);
        return ok();
      }),
    ],
  ],
  [
    '/v1/service/completed',
    [
      post('/v1/service/completed', 'link', serviceCompletedSchema, ({ backend, now }, b) => {
        // A time far from the kiosk clock would default the service at once or never (issue 18 item 6).
        if (typeof b.completedAt === 'number' && !completedAtInWindow(b.completedAt, now())) {
          return { kind: 'invalid', field: 'completedAt' };
        }
        const { sessionId } = backend.serviceCompleted({
          ticketNo: b.ticketNo,
          projectNo: b.projectNo ?? null,
          taskCode: b.taskCode ?? null,
          taskName: b.taskName ?? null,
          serviceNumber: b.serviceNumber ?? '1',
          node: b.node ?? DEFAULT_SERVICE_NODE,
          completedAt: b.completedAt ?? now(),
          staff: b.staff ? { staffId: b.staff.staffId, name: b.staff.name } : null,
          citizen: b.citizen
            ? { certType: b.citizen.certType, certKey: b.citizen.certKey, userName: b.citizen.userName }
            : null,
        });
        // A repeat answers the same sessionId and opens nothing new (the core decides; the answer is the same).
        return { kind: 'json', status: 202, body: { sessionId: String(sessionId) } };
      }),
    ],
  ],
  ['/v1/events', [get('/v1/events', 'link', () => ({ kind: 'events' }))]],
  [
    '/v1/health',
    [
      get('/v1/health', null, ({ backend }) => {
        const { status, version } = backend.health();
        return {
          kind: 'json',
          status: 200,
          body: { status: status === 'ok' ? 'ok' : 'degraded', version: String(version) },
        };
      }),
    ],
  ],
  [
    '/v1/diagnostics',
    [
      get('/v1/diagnostics', 'admin', ({ backend }) => ({
        kind: 'json',
        status: 200,
        body: backend.diagnostics(),
      })),
    ],
  ],
  [
    '/v1/ratings/summary',
    [
      get('/v1/ratings/summary', 'admin', ({ backend, url }) => {
        const dates = url.searchParams.getAll('date');
        const parsed = summaryQuerySchema.safeParse({ date: dates.length === 1 ? dates[0] : undefined });
        if (!parsed.success) return { kind: 'invalid', field: 'date' };
        return { kind: 'json', status: 200, body: backend.ratingsSummary(parsed.data.date) };
      }),
    ],
  ],
  [
    '/v1/sync/now',
    [
      post('/v1/sync/now', 'admin', emptySchema, ({ backend }) => {
        backend.syncNow();
        return ok(202);
      }),
    ],
  ],
  [
    '/v1/admin/provision',
    [post('/v1/admin/provision', 'admin', provisionFileSchema, provisionAnswer, PROVISION_BODY_LIMIT_BYTES)],
  ],
]);

const serviceStateCall = get('/v1/services/{ticketNo}', 'link', ({ backend, param }) => {
  let ticketNo: string;
  try {
    ticketNo = decodeURIComponent(param ?? '');
  } catch {
    return { kind: 'invalid', field: 'ticketNo' };
  }
  if (!ticketNoSchema.safeParse(ticketNo).success) return { kind: 'invalid', field: 'ticketNo' };
  const state = backend.serviceState(ticketNo);
  if (state === null) return { kind: 'not-found' };
  // Only `state`: never the level (window-link.md).
  return { kind: 'json', status: 200, body: { state: checkedState(state) } };
});

/** The calls registered at `pathname` (one per method), with the path parameter if any. */
export function findCalls(pathname: string): { calls: readonly Call[]; param: string | null } | null {
  const calls = STATIC_CALLS.get(pathname);
  if (calls) return { calls, param: null };
  const prefix = '/v1/services/';
  if (
    pathname.startsWith(prefix) &&
    pathname.length > prefix.length &&
    !pathname.includes('/', prefix.length)
  ) {
    return { calls: [serviceStateCall], param: pathname.slice(prefix.length) };
  }
  return null;
}
