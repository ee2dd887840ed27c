import { describe, expect, it } from 'vitest';
import { nextDeadline } from '../../src/session/index.js';
import type { SessionInput } from '../../src/session/index.js';
import { POLICY, T0, completed, ofType, run, types } from './session-fixtures.js';

const BAD_AT = T0 + 3_000;
const bad: SessionInput = {
  type: 'press',
  at: BAD_AT,
  level: 'very_dissatisfied',
  source: 'pad',
  padSessionId: 1001,
};

describe('how a session ends without a rating (domain-rules §2, §3)', () => {
  it('closes the session unrated when the rating step times out', () => {
    const end = T0 + POLICY.timeoutMs;
    const { state, last } = run([completed(1, T0), { type: 'tick', at: end }]);
    expect(last).toEqual([
      {
        type: 'session.closed',
        sessionId: 's-1',
        serviceId: 1,
        ticketNo: 'A001',
        outcome: 'unrated',
        at: end,
      },
      { type: 'pad.disarm', padSessionId: 1001 },
    ]);
    expect(state.current).toBeNull();
    expect(nextDeadline(state)).toBeNull();
  });

  it('does nothing on a tick before the deadline', () => {
    const { state, last } = run([completed(1, T0), { type: 'tick', at: T0 + POLICY.timeoutMs - 1 }]);
    expect(last).toEqual([]);
    expect(state.current?.step).toBe('awaiting-rating');
  });

  it('abandons the session with the chosen level and the no-reason flag when the reason step times out', () => {
    const end = BAD_AT + POLICY.reasonTimeoutMs;
    expect(nextDeadline(run([completed(1, T0), bad]).state)).toBe(end);
    const { last } = run([completed(1, T0), bad, { type: 'tick', at: end }]);
    expect(last).toEqual([
      {
        type: 'abandoned',
        sessionId: 's-1',
        serviceId: 1,
        level: 'very_dissatisfied',
        at: end,
        flags: ['no-reason'],
        catalogueVersion: 'builtin-1',
        citizen: null,
      },
      {
        type: 'session.closed',
        sessionId: 's-1',
        serviceId: 1,
        ticketNo: 'A001',
        outcome: 'abandoned',
        at: end,
      },
      { type: 'pad.disarm', padSessionId: 1001 },
    ]);
  });

  it.each(['paused', 'closed'] as const)(
    'ends a session on the rating step unrated when the window is %s',
    (status) => {
      const { state, last } = run([completed(1, T0), { type: 'window.status', at: T0 + 1_000, status }]);
      expect(ofType(last, 'session.closed')).toMatchObject([{ outcome: 'unrated', at: T0 + 1_000 }]);
      expect(state).toMatchObject({ window: status, current: null });
    },
  );

  it.each(['paused', 'closed'] as const)(
    'ends a session on the reason step abandoned when the window is %s',
    (status) => {
      const { last } = run([completed(1, T0), bad, { type: 'window.status', at: BAD_AT + 1_000, status }]);
      expect(types(last)).toEqual(['abandoned', 'session.closed', 'pad.disarm']);
      expect(ofType(last, 'session.closed')).toMatchObject([{ outcome: 'abandoned' }]);
    },
  );

  it('suppresses presses as window-not-open after the window was paused mid-session', () => {
    const { effects } = run([
      completed(1, T0),
      { type: 'window.status', at: T0 + 1_000, status: 'paused' },
      { type: 'press', at: T0 + 2_000, level: 'satisfied', source: 'pad', padSessionId: 1001 },
    ]);
    expect(ofType(effects, 'suppressed')).toMatchObject([{ reason: 'window-not-open' }]);
    expect(ofType(effects, 'rating.accepted')).toHaveLength(0);
  });

  it('opens sessions again once the window reopens', () => {
    const { state } = run([
      { type: 'window.status', at: T0, status: 'paused' },
      { type: 'window.status', at: T0 + 1_000, status: 'open' },
      completed(1, T0 + 2_000),
    ]);
    expect(state.current?.service.sessionId).toBe('s-1');
  });
});
