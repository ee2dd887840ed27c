/**
 * The hall week's model of "what should happen" (plan.ts, expected-ledger.ts, reconcile.ts, identities.ts),
 * tested on its own: if the oracle is wrong, the scenario proves nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultsDueBy,
  defaultsNotYetDue,
  expectWeek,
  lastDueDay,
  wireProjectNo,
  type ExpectedService,
} from './expected-ledger.js';
import {
  DOCUMENT_KINDS,
  hasValidCheckChar,
  makePerson,
  mod11CheckChar,
  passesDocumentCheck,
} from './identities.js';
import { makeHallPlan, plannedServices, WINDOWS, type HallPlan, type Step } from './plan.js';
import { seededRng } from './prng.js';
import { reconcile, sameOrMasked, type DeviceTally, type ProvinceRecord } from './reconcile.js';

const SEEDS = [1, 2, 3, 42, 20261201, 987654321];

/** A plan of one window with the steps given (day 1), for rule-by-rule tests of the model. */
function planOf(steps: Step[], days = 10): HallPlan {
  const base = makeHallPlan({ seed: 1, days });
  const window = WINDOWS[0]!;
  return {
    ...base,
    windows: [window],
    schedule: { A: [{ day: 1, steps }], B: [] },
  };
}

const service = (id: string, overrides: Partial<ReturnType<typeof plannedServices>[number]> = {}) => ({
  id,
  window: 'A' as const,
  day: 1,
  ticketNo: `A00${id}`,
  projectNo: null,
  taskCode: null,
  taskName: null,
  staff: null,
  citizen: null,
  action: { kind: 'rate' as const, level: 'satisfied' as const, press: 'pad' as const, reasons: null },
  repeatReport: false,
  ...overrides,
});

const tally = (t: Partial<DeviceTally> = {}): DeviceTally => ({
  abandonedReported: 0,
  rejected: 0,
  duplicates: 0,
  chainBreaks: 0,
  ...t,
});

describe('identities', () => {
  it('computes the GB 11643 check character of the standard example number', () => {
    expect(mod11CheckChar('11010519491231002')).toBe('X');
    expect(hasValidCheckChar('11010519491231002X')).toBe(true);
    expect(hasValidCheckChar('110105194912310021')).toBe(false);
  });

  it('makes for every document kind a number that passes that kind’s check and fails the others’ shape', () => {
    const rng = seededRng(7);
    for (let i = 0; i < 200; i += 1) {
      for (const kind of DOCUMENT_KINDS) {
        const person = makePerson(rng, kind, i);
        expect(passesDocumentCheck(person), `${kind} ${person.certKey}`).toBe(true);
      }
    }
    const permit = makePerson(rng, 'residence-permit', 1);
    expect(passesDocumentCheck({ kind: 'id-card', certKey: permit.certKey })).toBe(true);
    expect(
      passesDocumentCheck({ kind: 'residence-permit', certKey: makePerson(rng, 'id-card', 2).certKey }),
    ).toBe(false);
    expect(makePerson(rng, 'foreign-2023', 3).certKey).toMatch(/^9\d{17}$/);
  });
});

describe('the plan', () => {
  it('is the same week for the same seed and another week for another seed', () => {
    expect(makeHallPlan({ seed: 5 })).toEqual(makeHallPlan({ seed: 5 }));
    expect(makeHallPlan({ seed: 5 })).not.toEqual(makeHallPlan({ seed: 6 }));
  });

  it('refuses a week shorter than ten days', () => {
    expect(() => makeHallPlan({ seed: 1, days: 9 })).toThrow(/at least 10 days/);
  });

  it.each(SEEDS)(
    'restarts tickets at 001 every day at every window, the first without a projectNo (seed %i)',
    (seed) => {
      const plan = makeHallPlan({ seed });
      for (const window of plan.windows) {
        for (const { day, steps } of plan.schedule[window.key]) {
          const tickets = steps.flatMap((s) => (s.kind === 'service' ? [s.service] : []));
          expect(tickets[0]?.ticketNo).toBe(`${window.ticketPrefix}001`);
          expect(tickets[0]?.projectNo).toBeNull();
          expect(tickets.every((t) => t.day === day)).toBe(true);
        }
      }
    },
  );

  it.each(SEEDS)(
    'has one power cut a day at each window, a pause with a refused report, a start and a stop (seed %i)',
    (seed) => {
      const plan = makeHallPlan({ seed });
      for (const window of plan.windows) {
        for (const { steps } of plan.schedule[window.key]) {
          const cuts =
            steps.filter((s) => s.kind === 'power-cut').length +
            steps.filter((s) => s.kind === 'service' && s.service.action.kind === 'power-cut').length;
          expect(cuts).toBe(1);
          expect(steps[0]).toEqual({ kind: 'start' });
          expect(steps.at(-1)).toEqual({ kind: 'stop' });
          expect(steps.some((s) => s.kind === 'refused-report')).toBe(true);
          expect(steps.some((s) => s.kind === 'window' && s.status === 'closed')).toBe(true);
        }
      }
    },
  );

  it.each(SEEDS)(
    'covers every document through the window link and the reader on a rated record (seed %i)',
    (seed) => {
      const services = plannedServices(makeHallPlan({ seed }));
      for (const kind of DOCUMENT_KINDS)
        for (const via of ['link', 'reader'])
          expect(
            services.some(
              (s) => s.citizen?.person.kind === kind && s.citizen.via === via && s.action.kind === 'rate',
            ),
            `${kind} via ${via}`,
          ).toBe(true);
    },
  );

  it.each(SEEDS)(
    'has real-name unrated services on days 1–3, abandoned 差评 from pad and screen, and services with and without projectNo and staff (seed %i)',
    (seed) => {
      const services = plannedServices(makeHallPlan({ seed }));
      for (const day of [1, 2, 3])
        expect(
          services.some(
            (s) =>
              s.day === day && s.citizen && (s.action.kind === 'timeout' || s.action.kind === 'power-cut'),
          ),
        ).toBe(true);
      for (const press of ['pad', 'screen'])
        expect(services.some((s) => s.action.kind === 'abandon' && s.action.press === press)).toBe(true);
      expect(services.some((s) => s.action.kind === 'rate' && s.action.reasons === 'codes+text')).toBe(true);
      expect(services.some((s) => s.projectNo !== null) && services.some((s) => s.projectNo === null)).toBe(
        true,
      );
      expect(services.some((s) => s.staff !== null) && services.some((s) => s.staff === null)).toBe(true);
      expect(services.some((s) => s.action.kind === 'power-cut')).toBe(true);
    },
  );

  it.each(SEEDS)('gives every service its own projectNo on the wire (seed %i)', (seed) => {
    const plan = makeHallPlan({ seed });
    const numbers = plannedServices(plan).map((s) => wireProjectNo(plan, s));
    expect(new Set(numbers).size).toBe(numbers.length);
  });
});

describe('the expected ledger', () => {
  const A = WINDOWS[0]!;
  const open: Step = { kind: 'window', status: 'open', message: null };

  it('names the report’s staff, else the signed-in clerk, else the window’s defaultStaff (§11)', () => {
    const clerk = A.shiftClerks[0]!;
    const week = expectWeek(
      planOf([
        { kind: 'start' },
        open,
        { kind: 'service', service: service('1') },
        { kind: 'sign-in', clerk },
        { kind: 'service', service: service('2') },
        { kind: 'service', service: service('3', { staff: A.reportClerks[0]! }) },
        { kind: 'sign-out' },
        { kind: 'service', service: service('4') },
      ]),
    );
    expect(week.services.map((s) => [s.clerk.staffId, s.clerkFrom])).toEqual([
      [A.defaultStaff.staffId, 'default-staff'],
      [clerk.staffId, 'sign-in'],
      [A.reportClerks[0]!.staffId, 'report'],
      [A.defaultStaff.staffId, 'default-staff'],
    ]);
  });

  it('keeps the clerk and the window status across a power cut and a night (§11)', () => {
    const clerk = A.shiftClerks[1]!;
    const week = expectWeek(
      planOf([
        { kind: 'start' },
        { kind: 'sign-in', clerk },
        { kind: 'window', status: 'paused', message: '午休' },
        { kind: 'power-cut' },
        open,
        { kind: 'service', service: service('1') },
        { kind: 'window', status: 'closed', message: null },
        { kind: 'stop' },
        { kind: 'start' },
      ]),
    );
    expect(week.resumes).toEqual([
      { window: 'A', day: 1, after: 'night', status: null, pauseMessage: null, clerk: null },
      { window: 'A', day: 1, after: 'power-cut', status: 'paused', pauseMessage: '午休', clerk },
      { window: 'A', day: 1, after: 'night', status: 'closed', pauseMessage: null, clerk },
    ]);
    expect(week.services[0]?.clerk).toEqual(clerk);
  });

  it('turns a time-out and a power cut into a basic default due on D+8 with no identity (§2, §4)', () => {
    const person = makePerson(seededRng(1), 'id-card', 1);
    const week = expectWeek(
      planOf([
        { kind: 'start' },
        open,
        {
          kind: 'service',
          service: service('1', { action: { kind: 'timeout' }, citizen: { person, via: 'link' } }),
        },
        { kind: 'service', service: service('2', { action: { kind: 'power-cut' } }) },
      ]),
    );
    for (const s of week.services) {
      expect(s).toMatchObject({
        outcome: 'default',
        sessionState: 'unrated',
        satisfaction: '3',
        identity: null,
        dueDay: 9,
      });
    }
    expect(defaultsDueBy(week, A.deviceId, 8)).toEqual([]);
    expect(defaultsNotYetDue(week, A.deviceId, 8)).toHaveLength(2);
    expect(defaultsDueBy(week, A.deviceId, 9)).toHaveLength(2);
    expect(lastDueDay(week)).toBe(9);
    // A power cut mid-session is a resume point too.
    expect(week.resumes.filter((r) => r.after === 'power-cut')).toHaveLength(1);
  });

  it('gives a rated real-name record its document’s code and an abandoned 差评 no record, only a count', () => {
    const rng = seededRng(2);
    const permit = makePerson(rng, 'residence-permit', 1);
    const foreign = makePerson(rng, 'foreign-2023', 2);
    const week = expectWeek(
      planOf([
        { kind: 'start' },
        open,
        { kind: 'service', service: service('1', { citizen: { person: permit, via: 'reader' } }) },
        { kind: 'service', service: service('2', { citizen: { person: foreign, via: 'link' } }) },
        {
          kind: 'service',
          service: service('3', { action: { kind: 'abandon', level: 'dissatisfied', press: 'pad' } }),
        },
      ]),
    );
    expect(week.services.map((s) => s.identity?.userPageType ?? null)).toEqual(['554', '553', null]);
    expect(week.services[2]).toMatchObject({ outcome: 'abandoned', satisfaction: null });
    expect(week.abandoned[A.deviceId]).toBe(1);
  });

  it('refuses a plan that reports a service while the window is not open', () => {
    expect(() => expectWeek(planOf([{ kind: 'start' }, { kind: 'service', service: service('1') }]))).toThrow(
      /while the window is null/,
    );
  });
});

describe('the reconciliation', () => {
  const A = WINDOWS[0]!;
  const open: Step = { kind: 'window', status: 'open', message: null };
  const person = makePerson(seededRng(3), 'id-card', 1);
  const plan = planOf([
    { kind: 'start' },
    open,
    { kind: 'service', service: service('1', { citizen: { person, via: 'link' } }) },
    {
      kind: 'service',
      service: service('2', { action: { kind: 'timeout' }, citizen: { person, via: 'link' } }),
    },
    {
      kind: 'service',
      service: service('3', { action: { kind: 'abandon', level: 'dissatisfied', press: 'pad' } }),
    },
  ]);
  const week = expectWeek(plan);
  const [rated, unrated] = week.services as [ExpectedService, ExpectedService];
  const record = (e: ExpectedService, extra: Partial<ProvinceRecord> = {}): ProvinceRecord => ({
    projectNo: e.projectNo,
    deviceId: e.deviceId,
    satisfaction: e.satisfaction ?? '3',
    isDefault: e.outcome === 'default' ? '1' : '0',
    assessNumber: '1',
    proManager: e.clerk.name,
    staffId: e.clerk.staffId,
    ...extra,
  });
  const windowOf = { [A.deviceId]: 'A08' };
  const good = [
    record(rated, { userPageType: '111', certKey: person.certKey, userName: person.userName }),
    record(unrated),
  ];

  it('finds nothing wrong when the province holds exactly the expected records', () => {
    const result = reconcile(week, good, { [A.deviceId]: tally({ abandonedReported: 1 }) }, windowOf);
    expect(result.problems).toEqual([]);
    expect(result.table).toContain('| A08 | 3 | 1/1 | 1/1 | 1/1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |');
    expect(result.table.split('\n').at(-1)).toMatch(/^\| total \| 3 \|/);
  });

  it('accepts an identity the province stored masked', () => {
    expect(sameOrMasked('4601**********123X', '46010019900101123X')).toBe(true);
    expect(sameOrMasked('测*', '测试甲乙')).toBe(true);
    expect(sameOrMasked('4601**********1230', '46010019900101123X')).toBe(false);
    expect(sameOrMasked(undefined, 'x')).toBe(false);
  });

  it('names each kind of wrong record with the issue item it shows', () => {
    const bad = [
      record(rated, {
        userPageType: '111',
        certKey: person.certKey,
        userName: person.userName,
        staffId: 'S999',
        proManager: '某某',
      }),
      record(unrated, { userPageType: '111', certKey: person.certKey, userName: person.userName }),
      { ...record(rated), projectNo: 'QHK0120261201A009' },
    ];
    const result = reconcile(week, bad, { [A.deviceId]: tally({ abandonedReported: 0 }) }, windowOf);
    expect(result.problems.map((p) => [p.kind, p.item])).toEqual([
      ['wrong-clerk', 2],
      ['identity-on-default', 4],
      ['unexpected', null],
      ['abandoned-count', null],
    ]);
  });

  it('counts a missing power-cut default against item 3 and a wrong document code against item 5', () => {
    const cut = expectWeek(
      planOf([
        { kind: 'start' },
        open,
        { kind: 'service', service: service('1', { action: { kind: 'power-cut' } }) },
      ]),
    );
    expect(reconcile(cut, [], {}, windowOf).problems.map((p) => [p.kind, p.item])).toEqual([['missing', 3]]);
    const wrongCode = [
      record(rated, { userPageType: '553', certKey: person.certKey, userName: person.userName }),
      record(unrated),
    ];
    expect(reconcile(week, wrongCode, {}, windowOf).problems.map((p) => [p.kind, p.item])).toEqual([
      ['wrong-document-code', 5],
    ]);
  });
});
