import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nextDeadline, transition } from '../../src/session/index.js';
import type { CatalogueRef, ServiceRef, SessionEffect } from '../../src/session/index.js';
import { isBadLevel } from '../../src/shared/levels.js';
import { allEffects, drive, scenario } from './random-sessions.js';

const RUNS = { numRuns: 2_000 };

describe('properties of the session engine over random event sequences', () => {
  it('never gives two rating.accepted for one service', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const rated = allEffects(drive(sc)).flatMap((e) =>
          e.type === 'rating.accepted' ? [e.serviceId] : [],
        );
        expect(new Set(rated).size).toBe(rated.length);
      }),
      RUNS,
    );
  });

  it('follows every session.opened with exactly one session.closed once a tick passes every deadline', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const log = drive(sc, true);
        const effects = allEffects(log);
        const opened = effects.flatMap((e) =>
          e.type === 'session.opened' ? [e.session.service.sessionId] : [],
        );
        const closed = effects.flatMap((e) => (e.type === 'session.closed' ? [e.sessionId] : []));
        expect([...closed].sort()).toEqual([...opened].sort());
        expect(log.at(-1)?.after.current ?? null).toBeNull();
      }),
      RUNS,
    );
  });

  it('never lets a suppressed press rate, change step or otherwise change the session', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        for (const entry of drive(sc)) {
          if (!entry.effects.some((e) => e.type === 'suppressed')) continue;
          expect(entry.input.type).toBe('press');
          const afterTimeOnly = transition(entry.before, { type: 'tick', at: entry.input.at }, sc.policy);
          expect(entry.after).toEqual(afterTimeOnly.state);
          expect(entry.effects.at(-1)?.type).toBe('suppressed');
          expect(entry.effects.slice(0, -1)).toEqual(afterTimeOnly.effects);
        }
      }),
      RUNS,
    );
  });

  it('gives every rating.accepted for a 差评 at least one reason, all from its session catalogue for that level', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const catalogues = new Map<string, CatalogueRef>();
        for (const e of allEffects(drive(sc))) {
          if (e.type === 'session.opened') catalogues.set(e.session.service.sessionId, e.session.catalogue);
          if (e.type !== 'rating.accepted' || !isBadLevel(e.level)) continue;
          const catalogue = catalogues.get(e.sessionId)!;
          const allowed = catalogue.codes[e.level as 'dissatisfied' | 'very_dissatisfied'];
          expect(e.reasons.length).toBeGreaterThan(0);
          for (const code of e.reasons) expect(allowed).toContain(code);
          expect(e.catalogueVersion).toBe(catalogue.version);
        }
      }),
      RUNS,
    );
  });

  it('never puts nextDeadline in the past of the last input while a session is open', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        for (const { input, after } of drive(sc)) {
          const deadline = nextDeadline(after);
          expect(deadline === null).toBe(after.current === null);
          if (deadline !== null) expect(deadline).toBeGreaterThan(input.at);
        }
      }),
      RUNS,
    );
  });

  it('only speaks of a session between its opening and its closing, and always with that session’s own service', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const open = new Map<string, ServiceRef>();
        const ended = new Set<string>();
        const check = (sessionId: string, serviceId: number | null) => {
          expect(ended.has(sessionId)).toBe(false);
          const svc = open.get(sessionId);
          expect(svc).toBeDefined();
          if (serviceId !== null) expect(serviceId).toBe(svc?.serviceId);
        };
        for (const e of allEffects(drive(sc, true)) as SessionEffect[]) {
          if (e.type === 'session.opened') open.set(e.session.service.sessionId, e.session.service);
          else if (e.type === 'session.step') check(e.sessionId, null);
          else if (e.type === 'rating.accepted' || e.type === 'abandoned') check(e.sessionId, e.serviceId);
          else if (e.type === 'session.closed') {
            check(e.sessionId, e.serviceId);
            expect(e.ticketNo).toBe(open.get(e.sessionId)?.ticketNo);
            ended.add(e.sessionId);
          }
        }
      }),
      RUNS,
    );
  });

  it('answers the same inputs with the same outputs, without touching the states it is given', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const first = drive(sc, true);
        for (const entry of first) deepFreeze(entry.before);
        const second = drive(sc, true);
        expect(second).toEqual(first);
        for (const { before, input, after, effects } of first) {
          expect(transition(before, input, sc.policy)).toEqual({ state: after, effects });
        }
      }),
      RUNS,
    );
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
