/**
 * What should happen in the hall week: from the plan alone (no kiosk, no clock), the record the province must
 * hold for every service, the window state each start must resume, and the defaults each morning must bring.
 * Pure; the rules are the spec's, cited where applied:
 * - one service, one outcome (domain-rules §2): a rating, or unrated (time-out, power cut: §2 ⟨r2⟩ closes a
 *   session left open at the next start), or abandoned (a 差评 without a reason, §3: a count, no record);
 * - an unrated service's default `basic` record applies from 00:00 of D+8, Asia/Shanghai (§4), and carries no
 *   identity (§4 ⟨r2⟩);
 * - the clerk on a record: the report's `staff`, else the signed-in clerk, else `window.defaultStaff` (§11);
 *   the sign-in and the window status are kept on disk across restarts and power cuts (§11);
 * - a real-name rating carries the document's own 证件类型 (§5 ⟨r2⟩, province-profile.md `certTypes`).
 */
import type { LevelKey } from '../../src/shared/levels.js';
import { DEFAULT_USER_PAGE_TYPE } from './identities.js';
import { compactDate, type Clerk, type HallPlan, type PlannedService, type WindowKey } from './plan.js';

export type Outcome = 'rated' | 'default' | 'abandoned';
export type Satisfaction = '1' | '2' | '3' | '4' | '5';
export type WindowStatus = 'open' | 'paused' | 'closed';

/** domain-rules §1: wire `satisfaction` by level. */
export const SATISFACTION: Readonly<Record<LevelKey, Satisfaction>> = {
  very_satisfied: '5',
  satisfied: '4',
  basic: '3',
  dissatisfied: '2',
  very_dissatisfied: '1',
};

/** The 7-day default applies from 00:00 of D+8 (民法典 Art. 201: D+1 … D+7 are the period, §4). */
export const DEFAULT_AFTER_DAYS = 8;

export interface ExpectedIdentity {
  userPageType: string;
  certKey: string;
  userName: string;
}

export interface ExpectedService {
  service: PlannedService;
  deviceId: string;
  /** The record's projectNo: the window system's, else `Q` + hallCode + yyyyMMdd + ticketNo (profile "Record"). */
  projectNo: string;
  outcome: Outcome;
  /** What `session.closed` / `GET /v1/services/{ticketNo}` must say once the session has ended. */
  sessionState: 'rated' | 'unrated' | 'abandoned';
  /** The record's level; null for an abandoned service (no record). */
  satisfaction: Satisfaction | null;
  clerk: Clerk;
  clerkFrom: 'report' | 'sign-in' | 'default-staff';
  /** On a rated real-name record only; a default never carries one. */
  identity: ExpectedIdentity | null;
  /** Defaults only: the plan day from whose 00:00 the default applies. */
  dueDay: number | null;
}

/** The window state a start must resume (after the night, or after a power cut). */
export interface ResumeCheck {
  window: WindowKey;
  day: number;
  after: 'night' | 'power-cut';
  /** Null before the very first start (a new device has no history to resume). */
  status: WindowStatus | null;
  pauseMessage: string | null;
  clerk: Clerk | null;
}

export interface ExpectedWeek {
  services: ExpectedService[];
  resumes: ResumeCheck[];
  /** Abandoned 差评 per device: the heartbeat's `abandonedBad` at the end. */
  abandoned: Record<string, number>;
}

export function wireProjectNo(plan: HallPlan, service: PlannedService): string {
  return (
    service.projectNo ?? `Q${plan.hall.code}${compactDate(plan.firstDay, service.day)}${service.ticketNo}`
  );
}

function expectService(
  plan: HallPlan,
  service: PlannedService,
  deviceId: string,
  clerk: Clerk | null,
  defaultStaff: Clerk,
): ExpectedService {
  const on = service.staff
    ? { clerk: service.staff, clerkFrom: 'report' as const }
    : clerk
      ? { clerk, clerkFrom: 'sign-in' as const }
      : { clerk: defaultStaff, clerkFrom: 'default-staff' as const };
  const base = { service, deviceId, projectNo: wireProjectNo(plan, service), ...on };
  const { action } = service;
  if (action.kind === 'rate') {
    const person = service.citizen?.person;
    return {
      ...base,
      outcome: 'rated',
      sessionState: 'rated',
      satisfaction: SATISFACTION[action.level],
      identity: person
        ? {
            userPageType: DEFAULT_USER_PAGE_TYPE[person.certType],
            certKey: person.certKey,
            userName: person.userName,
          }
        : null,
      dueDay: null,
    };
  }
  if (action.kind === 'abandon')
    return {
      ...base,
      outcome: 'abandoned',
      sessionState: 'abandoned',
      satisfaction: null,
      identity: null,
      dueDay: null,
    };
  // Time-out and power cut: unrated, then the `basic` default with no identity.
  return {
    ...base,
    outcome: 'default',
    sessionState: 'unrated',
    satisfaction: SATISFACTION.basic,
    identity: null,
    dueDay: service.day + DEFAULT_AFTER_DAYS,
  };
}

export function expectWeek(plan: HallPlan): ExpectedWeek {
  const services: ExpectedService[] = [];
  const resumes: ResumeCheck[] = [];
  const abandoned: Record<string, number> = {};
  for (const window of plan.windows) {
    abandoned[window.deviceId] = 0;
    let clerk: Clerk | null = null;
    let status: WindowStatus | null = null;
    let pauseMessage: string | null = null;
    for (const { day, steps } of plan.schedule[window.key]) {
      for (const step of steps) {
        switch (step.kind) {
          case 'start':
            resumes.push({ window: window.key, day, after: 'night', status, pauseMessage, clerk });
            break;
          case 'power-cut':
            resumes.push({ window: window.key, day, after: 'power-cut', status, pauseMessage, clerk });
            break;
          case 'sign-in':
            clerk = step.clerk;
            break;
          case 'sign-out':
            clerk = null;
            break;
          case 'window':
            status = step.status;
            pauseMessage = step.status === 'paused' ? step.message : null;
            break;
          case 'service': {
            if (status !== 'open')
              throw new Error(`plan reports ${step.service.id} while the window is ${status}`);
            const expected = expectService(plan, step.service, window.deviceId, clerk, window.defaultStaff);
            services.push(expected);
            if (expected.outcome === 'abandoned') abandoned[window.deviceId]! += 1;
            if (step.service.action.kind === 'power-cut')
              resumes.push({ window: window.key, day, after: 'power-cut', status, pauseMessage, clerk });
            break;
          }
          case 'refused-report':
            if (status === 'open')
              throw new Error(`plan expects a refusal of ${step.service.id} at an open window`);
            break;
          case 'stop':
            break;
        }
      }
    }
  }
  return { services, resumes, abandoned };
}

/** Defaults of `deviceId` the province must hold once the kiosk has started on `day` (due at or before it). */
export function defaultsDueBy(week: ExpectedWeek, deviceId: string, day: number): ExpectedService[] {
  return week.services.filter(
    (s) => s.deviceId === deviceId && s.outcome === 'default' && (s.dueDay ?? Infinity) <= day,
  );
}

/** Unrated services of `deviceId` whose default must NOT yet exist on `day` (due later). */
export function defaultsNotYetDue(week: ExpectedWeek, deviceId: string, day: number): ExpectedService[] {
  return week.services.filter(
    (s) => s.deviceId === deviceId && s.outcome === 'default' && (s.dueDay ?? 0) > day,
  );
}

/** The last day anything is due: a start on it brings every remaining default. */
export function lastDueDay(week: ExpectedWeek): number {
  return Math.max(0, ...week.services.map((s) => s.dueDay ?? 0));
}
