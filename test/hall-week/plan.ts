/**
 * The hall week as a plan: what the hall does, day by day, at each window (issue 15 "The proof: a simulated
 * hall week"). Made from a seed by a pure generator, so the same seed is the same week. The driver
 * (window-driver.ts) carries it out against real kiosk processes; expected-ledger.ts says what the province
 * must hold afterwards. Neither of those decides anything the plan does not say.
 */
import type { LevelKey } from '../../src/shared/levels.js';
import { DOCUMENT_KINDS, makePerson, type DocumentKind, type Person } from './identities.js';
import { seededRng, type Rng } from './prng.js';

export type WindowKey = 'A' | 'B';

export interface Clerk {
  staffId: string;
  name: string;
}

export interface WindowSpec {
  key: WindowKey;
  windowNo: string;
  deviceId: string;
  /** Each window's queue tickets have their own letter and restart at 001 every day. */
  ticketPrefix: string;
  /** `window.defaultStaff` (domain-rules §11): on the record when neither report nor sign-in names a clerk. */
  defaultStaff: Clerk;
  /** Clerks who sign in at this window (morning and afternoon shifts). */
  shiftClerks: readonly Clerk[];
  /** Clerks the window system may name as `staff` in a report (back office, a colleague covering). */
  reportClerks: readonly Clerk[];
}

export type BadLevel = 'dissatisfied' | 'very_dissatisfied';
export type PressVia = 'pad' | 'screen';

/** What the citizen (or the power) does once the service's session is open. */
export type Action =
  /** A level on the pad or the screen; a 差评 then gets its reasons on the screen: codes, or codes and a text. */
  | { kind: 'rate'; level: LevelKey; press: PressVia; reasons: 'codes' | 'codes+text' | null }
  /** Nobody presses: the session times out, unrated (domain-rules §2), and gets the 7-day default (§4). */
  | { kind: 'timeout' }
  /** A 差评 chosen, no reason given, the reasons step times out: abandoned, a count only (§3). */
  | { kind: 'abandon'; level: BadLevel; press: PressVia }
  /** SIGKILL while the session is open: closed as unrated at the next start (§2 ⟨r2⟩), then the default. */
  | { kind: 'power-cut' };

export interface PlannedService {
  /** Unique in the plan, e.g. `A/03/07`. */
  id: string;
  window: WindowKey;
  day: number;
  ticketNo: string;
  projectNo: string | null;
  taskCode: string | null;
  taskName: string | null;
  /** `staff` in the window system's report, or null when the report names nobody. */
  staff: Clerk | null;
  /** Identity from the window system (`citizen`) or a card tapped on the kiosk's reader. */
  citizen: { person: Person; via: 'link' | 'reader' } | null;
  action: Action;
  /** The window system sends the same report twice (a retry): the same session must answer. */
  repeatReport: boolean;
}

export type Step =
  /** The morning start (the previous night's window status and clerk must be as they were left, §11). */
  | { kind: 'start' }
  | { kind: 'sign-in'; clerk: Clerk }
  | { kind: 'sign-out' }
  | { kind: 'window'; status: 'open' | 'paused' | 'closed'; message: string | null }
  /** A report while the window is paused: refused (409), nothing stored; the same ticket comes again later. */
  | { kind: 'refused-report'; service: PlannedService }
  | { kind: 'service'; service: PlannedService }
  /** SIGKILL with no session open, then a start: the window's state must survive it (§11). */
  | { kind: 'power-cut' }
  /** The night: SIGTERM. */
  | { kind: 'stop' };

export interface HallPlan {
  seed: number;
  /** Day 1, `YYYY-MM-DD` (Asia/Shanghai). */
  firstDay: string;
  days: number;
  hall: { code: string; areaCode: string };
  windows: readonly WindowSpec[];
  schedule: Readonly<Record<WindowKey, ReadonlyArray<{ day: number; steps: Step[] }>>>;
}

export const HALL = { code: 'HK01', areaCode: '460100000000', name: '海口市政务服务中心' } as const;

export const WINDOWS: readonly WindowSpec[] = [
  {
    key: 'A',
    windowNo: 'A08',
    deviceId: 'hk01-a08',
    ticketPrefix: 'A',
    defaultStaff: { staffId: 'S100', name: '窗口负责人甲' },
    shiftClerks: [
      { staffId: 'S101', name: '王小明' },
      { staffId: 'S102', name: '李小红' },
      { staffId: 'S103', name: '赵一' },
    ],
    reportClerks: [{ staffId: 'S190', name: '后台审批甲' }],
  },
  {
    key: 'B',
    windowNo: 'B02',
    deviceId: 'hk01-b02',
    ticketPrefix: 'B',
    defaultStaff: { staffId: 'S200', name: '窗口负责人乙' },
    shiftClerks: [
      { staffId: 'S201', name: '陈二' },
      { staffId: 'S202', name: '周三' },
      { staffId: 'S203', name: '吴四' },
    ],
    reportClerks: [{ staffId: 'S290', name: '后台审批乙' }],
  },
];

export interface PlanOptions {
  seed: number;
  /** At least 10 (issue 15); 11 so that days 9–11 bring the defaults of days 1–3 (due 00:00 of D+8, §4). */
  days?: number;
  firstDay?: string;
}

const LEVELS: readonly LevelKey[] = [
  'very_satisfied',
  'satisfied',
  'basic',
  'dissatisfied',
  'very_dissatisfied',
];
const isBad = (level: LevelKey): level is BadLevel =>
  level === 'dissatisfied' || level === 'very_dissatisfied';

export function compactDate(firstDay: string, day: number): string {
  const d = new Date(`${firstDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + day - 1);
  return d.toISOString().slice(0, 10).replaceAll('-', '');
}

function randomAction(rng: Rng): Action {
  const roll = rng.next();
  if (roll < 0.12) return { kind: 'timeout' };
  if (roll < 0.2)
    return {
      kind: 'abandon',
      level: rng.pick(['dissatisfied', 'very_dissatisfied']),
      press: rng.pick(['pad', 'screen']),
    };
  const level = rng.pick(LEVELS);
  return {
    kind: 'rate',
    level,
    press: rng.pick(['pad', 'screen']),
    reasons: isBad(level) ? (rng.chance(0.7) ? 'codes' : 'codes+text') : null,
  };
}

interface DayBuilder {
  window: WindowSpec;
  day: number;
  ticket: number;
  services: PlannedService[];
}

function nextService(
  rng: Rng,
  b: DayBuilder,
  plan: { firstDay: string },
  serial: () => number,
): PlannedService {
  b.ticket += 1;
  const ticketNo = `${b.window.ticketPrefix}${String(b.ticket).padStart(3, '0')}`;
  const date = compactDate(plan.firstDay, b.day);
  // The day's first ticket never has a projectNo: its key is (ticket, day), the case of issue 15 item 1.
  const withProject = b.ticket > 1 && rng.chance(0.5);
  const citizenRoll = rng.next();
  const citizen =
    citizenRoll < 0.45
      ? null
      : {
          person: makePerson(rng, rng.pick(DOCUMENT_KINDS), serial()),
          via: citizenRoll < 0.72 ? ('link' as const) : ('reader' as const),
        };
  return {
    id: `${b.window.key}/${String(b.day).padStart(2, '0')}/${String(b.ticket).padStart(2, '0')}`,
    window: b.window.key,
    day: b.day,
    ticketNo,
    projectNo: withProject ? `4601${date}${b.window.windowNo}${String(b.ticket).padStart(4, '0')}` : null,
    taskCode: withProject ? `46010000${rng.int(1000, 9999)}` : null,
    taskName: withProject ? rng.pick(['营业执照变更登记', '食品经营许可', '个体工商户注册']) : null,
    staff: rng.chance(0.25) ? rng.pick(b.window.reportClerks) : null,
    citizen,
    action: randomAction(rng),
    repeatReport: rng.chance(0.15),
  };
}

/** One window's day: start, shifts, a pause with a refused report, services, close, stop; one power cut. */
function windowDay(
  rng: Rng,
  window: WindowSpec,
  day: number,
  plan: { firstDay: string },
  serial: () => number,
) {
  const b: DayBuilder = { window, day, ticket: 0, services: [] };
  const service = () => {
    const s = nextService(rng, b, plan, serial);
    b.services.push(s);
    return { kind: 'service', service: s } as const;
  };
  const [morningClerk, afternoonClerk] = rng.shuffle(window.shiftClerks);
  const steps: Step[] = [{ kind: 'start' }];
  // Some mornings nobody signs in: the records then name the window's defaultStaff (or yesterday's clerk,
  // if they never signed out: the sign-in is kept on disk, §11).
  if (rng.chance(0.85)) steps.push({ kind: 'sign-in', clerk: morningClerk! });
  steps.push({ kind: 'window', status: 'open', message: null });
  const openAt = steps.length;
  for (let i = rng.int(3, 4); i > 0; i -= 1) steps.push(service());
  steps.push({ kind: 'sign-out' });
  if (rng.chance(0.85)) steps.push({ kind: 'sign-in', clerk: afternoonClerk! });
  steps.push({ kind: 'window', status: 'paused', message: '午间休息，请稍候' });
  const refused = service();
  steps.push({ kind: 'refused-report', service: refused.service });
  steps.push({ kind: 'window', status: 'open', message: null });
  steps.push(refused);
  for (let i = rng.int(2, 3); i > 0; i -= 1) steps.push(service());
  const closeAt = steps.length;
  steps.push({ kind: 'window', status: 'closed', message: null });
  if (rng.chance(0.8)) steps.push({ kind: 'sign-out' });
  steps.push({ kind: 'stop' });

  // One power cut a day: mid-session on some days, else between two steps of the open day (maybe in the pause).
  if (rng.chance(0.4)) rng.pick(b.services).action = { kind: 'power-cut' };
  else steps.splice(rng.int(openAt, closeAt), 0, { kind: 'power-cut' });
  return { steps, services: b.services };
}

/**
 * Cases every week must hold whatever the seed (issue 15): each document through each channel on a rated
 * record; unrated real-name services on days 1–3 (their defaults, days 9–11, must carry no identity);
 * abandoned 差评 from the pad and the screen; 差评 with codes and with text alone.
 */
interface ForcedCase {
  days: readonly number[];
  apply(s: PlannedService, rng: Rng, serial: () => number): void;
}

function forcedCases(): ForcedCase[] {
  const cases: ForcedCase[] = [];
  const all = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  for (const kind of DOCUMENT_KINDS) {
    for (const via of ['link', 'reader'] as const) {
      cases.push({
        days: all,
        apply: (s, rng, serial) => {
          s.citizen = { person: makePerson(rng, kind, serial()), via };
          if (s.action.kind !== 'rate')
            s.action = {
              kind: 'rate',
              level: rng.pick(LEVELS),
              press: rng.pick(['pad', 'screen']),
              reasons: null,
            };
          if (s.action.kind === 'rate' && isBad(s.action.level)) s.action.reasons = 'codes';
        },
      });
    }
  }
  const realNameUnrated = (
    day: number,
    action: Action,
    via: 'link' | 'reader',
    kind: DocumentKind,
  ): ForcedCase => ({
    days: [day],
    apply: (s, rng, serial) => {
      s.citizen = { person: makePerson(rng, kind, serial()), via };
      s.action = action;
    },
  });
  cases.push(realNameUnrated(1, { kind: 'timeout' }, 'link', 'id-card'));
  cases.push(realNameUnrated(2, { kind: 'timeout' }, 'link', 'residence-permit'));
  cases.push(realNameUnrated(3, { kind: 'timeout' }, 'reader', 'id-card'));
  cases.push({
    days: [1, 2, 3, 4, 5],
    apply: (s) => void (s.action = { kind: 'abandon', level: 'dissatisfied', press: 'pad' }),
  });
  cases.push({
    days: [4, 5, 6, 7, 8],
    apply: (s) => void (s.action = { kind: 'abandon', level: 'very_dissatisfied', press: 'screen' }),
  });
  cases.push({
    days: all,
    apply: (s) =>
      void (s.action = { kind: 'rate', level: 'dissatisfied', press: 'screen', reasons: 'codes+text' }),
  });
  cases.push({
    days: all,
    apply: (s) =>
      void (s.action = { kind: 'rate', level: 'very_dissatisfied', press: 'pad', reasons: 'codes' }),
  });
  return cases;
}

export function makeHallPlan(options: PlanOptions): HallPlan {
  const days = options.days ?? 11;
  if (days < 10) throw new Error('a hall week is at least 10 days (issue 15)');
  const firstDay = options.firstDay ?? '2026-12-01';
  const rng = seededRng(options.seed);
  let counter = 0;
  const serial = () => (counter += 1);
  const schedule: Record<WindowKey, Array<{ day: number; steps: Step[] }>> = { A: [], B: [] };
  const services: PlannedService[] = [];
  for (let day = 1; day <= days; day += 1) {
    for (const window of WINDOWS) {
      const built = windowDay(rng, window, day, { firstDay }, serial);
      schedule[window.key].push({ day, steps: built.steps });
      services.push(...built.services);
    }
  }
  // Forced cases land on services whose action is still free to change (not a power cut, not already forced).
  const taken = new Set<string>();
  for (const c of forcedCases()) {
    const free = services.filter(
      (s) => c.days.includes(s.day) && !taken.has(s.id) && s.action.kind !== 'power-cut',
    );
    const target = rng.pick(free);
    taken.add(target.id);
    c.apply(target, rng, serial);
  }
  return {
    seed: options.seed,
    firstDay,
    days,
    hall: { code: HALL.code, areaCode: HALL.areaCode },
    windows: WINDOWS,
    schedule,
  };
}

/** Every service of the plan, in the order the hall serves them at each window. */
export function plannedServices(plan: HallPlan): PlannedService[] {
  const out: PlannedService[] = [];
  for (const window of plan.windows)
    for (const { steps } of plan.schedule[window.key])
      for (const step of steps) if (step.kind === 'service') out.push(step.service);
  return out;
}
