import { describe, expect, it } from 'vitest';
import { initialSessionState, nextDeadline } from '../../src/session/index.js';
import { SESSION_ERRORS } from '../../src/shared/errors/session.js';
import { POLICY, T0, completed, ofType, run, service, types } from './session-fixtures.js';

describe('opening a rating session (domain-rules §2)', () => {
  it('opens a session on a completed service while the window is open, and arms the pad to rate', () => {
    const { state, effects } = run([completed(1, T0)]);
    expect(types(effects)).toEqual(['session.opened', 'pad.arm']);
    const [opened] = ofType(effects, 'session.opened');
    expect(opened?.session).toMatchObject({
      service: service(1),
      openedAt: T0,
      step: 'awaiting-rating',
      deadline: T0 + POLICY.timeoutMs,
      level: null,
      firstPressAt: null,
      flags: [],
    });
    expect(ofType(effects, 'pad.arm')).toEqual([
      { type: 'pad.arm', padSessionId: 1001, timeoutSec: POLICY.timeoutMs / 1000, prompt: 'rate' },
    ]);
    expect(state.current?.service.sessionId).toBe('s-1');
    expect(nextDeadline(state)).toBe(T0 + POLICY.timeoutMs);
  });

  it.each(['paused', 'closed'] as const)(
    'refuses a completed service with E7006 while the window is %s',
    (status) => {
      const { state, effects } = run([completed(1, T0)], POLICY, initialSessionState(status));
      expect(effects).toEqual([
        {
          type: 'refused',
          code: SESSION_ERRORS.windowNotOpen.code,
          message: expect.any(String),
          sessionId: 's-1',
        },
      ]);
      expect(state.current).toBeNull();
      expect(nextDeadline(state)).toBeNull();
    },
  );

  it('supersedes an open session when the next service completes: the old one closes superseded, then the new one opens', () => {
    const { state, effects } = run([completed(1, T0), completed(2, T0 + 10_000)]);
    expect(types(effects.slice(2))).toEqual(['session.closed', 'pad.disarm', 'session.opened', 'pad.arm']);
    expect(ofType(effects, 'session.closed')).toEqual([
      {
        type: 'session.closed',
        sessionId: 's-1',
        serviceId: 1,
        ticketNo: 'A001',
        outcome: 'superseded',
        at: T0 + 10_000,
      },
    ]);
    expect(ofType(effects, 'pad.disarm')).toEqual([{ type: 'pad.disarm', padSessionId: 1001 }]);
    expect(state.current?.service.sessionId).toBe('s-2');
  });

  it('ends a superseded session that was waiting for reasons as abandoned, so its 差评 is not later defaulted (§3, §4)', () => {
    const { effects } = run([
      completed(1, T0),
      { type: 'press', at: T0 + 2_000, level: 'dissatisfied', source: 'pad', padSessionId: 1001 },
      completed(2, T0 + 10_000),
    ]);
    expect(ofType(effects, 'abandoned')).toMatchObject([
      { sessionId: 's-1', level: 'dissatisfied', flags: ['no-reason'] },
    ]);
    expect(ofType(effects, 'session.closed')).toMatchObject([{ sessionId: 's-1', outcome: 'abandoned' }]);
  });

  it('opens nothing new when the same service is announced twice (window-link.md repeat)', () => {
    const first = run([completed(1, T0)]);
    const again = run([completed(1, T0 + 1_000)], POLICY, first.state);
    expect(again.effects).toEqual([]);
    expect(again.state).toBe(first.state);
  });

  it('does not reopen a service announced again just after its session timed out, so it cannot be rated twice', () => {
    const { state, effects } = run([completed(1, T0), completed(1, T0 + POLICY.timeoutMs)]);
    expect(types(effects)).toEqual(['session.opened', 'pad.arm', 'session.closed', 'pad.disarm']);
    expect(state.current).toBeNull();
  });

  it('takes a snapshot of the catalogue at opening, so the session keeps the version it started with (§3)', () => {
    const { state } = run([completed(1, T0)]);
    expect(state.current?.catalogue.version).toBe('builtin-1');
  });
});
