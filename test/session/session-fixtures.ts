/** Shared fixtures for the session engine tests: a policy, a catalogue, services, citizens and a runner. */
import { initialSessionState, transition } from '../../src/session/index.js';
import type {
  CatalogueRef,
  CitizenRef,
  ServiceRef,
  SessionEffect,
  SessionInput,
  SessionPolicy,
  SessionState,
} from '../../src/session/index.js';

export const POLICY: SessionPolicy = {
  timeoutMs: 30_000,
  reasonTimeoutMs: 60_000,
  responseIntervalMs: 5_000,
  tooFastMs: 300,
  idBurstPerDay: 10,
};

export const CATALOGUE: CatalogueRef = {
  version: 'builtin-1',
  codes: { dissatisfied: ['501', '502', '511'], very_dissatisfied: ['601', '602'] },
  textAllowed: true,
  textMax: 150,
};

/** Times well apart from each other, so no test trips the too-fast or response-interval rules by accident. */
export const T0 = 1_700_000_000_000;

export function service(n: number): ServiceRef {
  return {
    serviceId: n,
    sessionId: `s-${n}`,
    ticketNo: `A${String(n).padStart(3, '0')}`,
    padSessionId: 1000 + n,
  };
}

export function citizen(ref: string, ratingsToday = 0, source: CitizenRef['source'] = 'reader'): CitizenRef {
  return { ref, maskedName: '张*', maskedId: '4601**********123X', ratingsToday, source };
}

export function completed(
  n: number,
  at: number,
  who: CitizenRef | null = null,
  catalogue: CatalogueRef = CATALOGUE,
): SessionInput {
  return { type: 'service.completed', at, service: service(n), citizen: who, catalogue };
}

export interface Run {
  state: SessionState;
  effects: SessionEffect[];
  /** Effects of the last input only. */
  last: SessionEffect[];
}

export function run(inputs: SessionInput[], policy: SessionPolicy = POLICY, from?: SessionState): Run {
  let state = from ?? initialSessionState('open');
  const effects: SessionEffect[] = [];
  let last: SessionEffect[] = [];
  for (const input of inputs) {
    const result = transition(state, input, policy);
    state = result.state;
    last = result.effects;
    effects.push(...result.effects);
  }
  return { state, effects, last };
}

export function ofType<T extends SessionEffect['type']>(
  effects: SessionEffect[],
  type: T,
): Extract<SessionEffect, { type: T }>[] {
  return effects.filter((effect): effect is Extract<SessionEffect, { type: T }> => effect.type === type);
}

export function types(effects: SessionEffect[]): string[] {
  return effects.map((effect) => effect.type);
}
