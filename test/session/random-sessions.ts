/**
 * Random event sequences for the property tests. Steps are abstract ("press for the current session",
 * "press for an old one", …) and are turned into concrete inputs while driving the engine, so that a
 * sequence can aim at the open session or deliberately miss it, with random times, levels and sources.
 */
import fc from 'fast-check';
import { initialSessionState, transition } from '../../src/session/index.js';
import type {
  CatalogueRef,
  SessionEffect,
  SessionInput,
  SessionPolicy,
  SessionState,
  WindowStatus,
} from '../../src/session/index.js';
import { LEVEL_KEYS } from '../../src/shared/levels.js';
import { citizen, service } from './session-fixtures.js';

const CATALOGUES: CatalogueRef[] = [
  {
    version: 'v1',
    codes: { dissatisfied: ['501', '502'], very_dissatisfied: ['601'] },
    textAllowed: true,
    textMax: 10,
  },
  {
    version: 'v2',
    codes: { dissatisfied: ['701'], very_dissatisfied: ['801', '802'] },
    textAllowed: false,
    textMax: 0,
  },
];
const CODE_POOL = ['501', '502', '601', '701', '801', '802', 'nope'];

/** Which session an intent names: the open one, or the service `n` (which may be old, future or absent). */
const target = fc.oneof(
  { weight: 4, arbitrary: fc.constant<'current'>('current') },
  { weight: 1, arbitrary: fc.nat({ max: 12 }) },
);

const reasonsStep = fc.record({
  kind: fc.constant('reasons' as const),
  // Mostly picks from the list the open session shows (by position), sometimes adds any code at all.
  picks: fc.subarray([0, 1, 2], { maxLength: 3 }),
  extra: fc.option(fc.constantFrom(...CODE_POOL), { freq: 3 }),
  text: fc.constantFrom('', '', '', '  ', '太慢', '一二三四五六七八九十多'),
  target,
});

const step = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('completed' as const),
      repeat: fc.boolean(),
      catalogue: fc.nat({ max: 1 }),
      ratingsToday: fc.option(fc.nat({ max: 15 })),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('press' as const),
      level: fc.constantFrom(...LEVEL_KEYS, 'dissatisfied', 'very_dissatisfied'),
      source: fc.constantFrom('pad' as const, 'touch' as const, 'keyboard' as const),
      target,
    }),
  },
  { weight: 3, arbitrary: reasonsStep },
  // A 差评 on the pad and, a few seconds later, its reasons: rare by chance, so generated on purpose.
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('complaint' as const),
      level: fc.constantFrom('dissatisfied' as const, 'very_dissatisfied' as const),
      delay: fc.nat({ max: 20_000 }),
      reasons: reasonsStep,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('back' as const), target }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('citizen' as const), ratingsToday: fc.nat({ max: 15 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('window' as const),
      status: fc.constantFrom<WindowStatus>('open', 'open', 'paused', 'closed'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const) }) },
);
type AnyStep = typeof step extends fc.Arbitrary<infer T> ? T : never;
type Step = Exclude<AnyStep, { kind: 'complaint' }>;

function expand([dt, s]: [number, AnyStep]): [number, Step][] {
  if (s.kind !== 'complaint') return [[dt, s]];
  const press: Step = { kind: 'press', level: s.level, source: 'pad', target: 'current' };
  return [
    [dt, press],
    [s.delay, s.reasons],
  ];
}

/** Small gaps hit too-fast and duplicate presses; large ones hit every timeout. */
const gap = fc.oneof(
  { weight: 3, arbitrary: fc.nat({ max: 400 }) },
  { weight: 6, arbitrary: fc.nat({ max: 8_000 }) },
  { weight: 1, arbitrary: fc.nat({ max: 150_000 }) },
);

export const scenario = fc.record({
  policy: fc.record({
    timeoutMs: fc.integer({ min: 10_000, max: 120_000 }),
    reasonTimeoutMs: fc.integer({ min: 10_000, max: 300_000 }),
    responseIntervalMs: fc.integer({ min: 0, max: 60_000 }),
    tooFastMs: fc.integer({ min: 0, max: 5_000 }),
    idBurstPerDay: fc.integer({ min: 1, max: 12 }),
  }),
  start: fc.integer({ min: 0, max: 2_000_000_000_000 }),
  steps: fc.array(fc.tuple(gap, step), { maxLength: 40 }),
});
export type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

export interface Logged {
  before: SessionState;
  input: SessionInput;
  after: SessionState;
  effects: SessionEffect[];
}

function toInput(
  s: Step,
  at: number,
  state: SessionState,
  announced: number,
): { input: SessionInput; announced: number } {
  const open = state.current?.service;
  const n = (t: 'current' | number) => (t === 'current' ? (open?.serviceId ?? announced) : t);
  switch (s.kind) {
    case 'completed': {
      // A repeat names the open service again (window-link.md), which may have timed out by the time the
      // engine sees it. Older, closed services are never re-announced: the window link keeps that promise.
      const next = s.repeat && open ? open.serviceId : announced + 1;
      const who = s.ratingsToday === null ? null : citizen(`c${s.ratingsToday}`, s.ratingsToday);
      const input: SessionInput = {
        type: 'service.completed',
        at,
        service: service(next),
        citizen: who,
        catalogue: CATALOGUES[s.catalogue]!,
      };
      return { input, announced: Math.max(announced, next) };
    }
    case 'press': {
      const ids = service(n(s.target));
      if (s.source === 'touch')
        return {
          input: { type: 'press', at, level: s.level, source: 'touch', sessionId: ids.sessionId },
          announced,
        };
      if (s.source === 'pad')
        return {
          input: { type: 'press', at, level: s.level, source: 'pad', padSessionId: ids.padSessionId },
          announced,
        };
      return { input: { type: 'press', at, level: s.level, source: 'keyboard' }, announced };
    }
    case 'reasons': {
      const level = state.current?.level;
      const shown =
        level === 'dissatisfied' || level === 'very_dissatisfied'
          ? state.current!.catalogue.codes[level]
          : [];
      const codes = s.picks.flatMap((i) => (shown[i] === undefined ? [] : [shown[i]]));
      if (s.extra !== null) codes.push(s.extra);
      return {
        input: {
          type: 'reasons.submitted',
          at,
          sessionId: service(n(s.target)).sessionId,
          codes,
          text: s.text,
        },
        announced,
      };
    }
    case 'back':
      return { input: { type: 'level.change', at, sessionId: service(n(s.target)).sessionId }, announced };
    case 'citizen':
      return {
        input: { type: 'citizen.identified', at, citizen: citizen(`c${s.ratingsToday}`, s.ratingsToday) },
        announced,
      };
    case 'window':
      return { input: { type: 'window.status', at, status: s.status }, announced };
    case 'tick':
      return { input: { type: 'tick', at }, announced };
  }
}

/** Drives the engine through a scenario; `settle` appends a tick past every possible deadline. */
export function drive(sc: Scenario, settle = false): Logged[] {
  const policy: SessionPolicy = sc.policy;
  let state = initialSessionState('open');
  let at = sc.start;
  let announced = 0;
  const log: Logged[] = [];
  const feed = (input: SessionInput) => {
    const result = transition(state, input, policy);
    log.push({ before: state, input, after: result.state, effects: result.effects });
    state = result.state;
  };
  for (const [dt, s] of sc.steps.flatMap(expand)) {
    at += dt;
    const made = toInput(s, at, state, announced);
    announced = made.announced;
    feed(made.input);
  }
  if (settle) feed({ type: 'tick', at: at + Math.max(policy.timeoutMs, policy.reasonTimeoutMs) + 1 });
  return log;
}

export function allEffects(log: Logged[]): SessionEffect[] {
  return log.flatMap((entry) => entry.effects);
}
