import { describe, expect, it } from 'vitest';
import { initialSessionState } from '../../src/session/index.js';
import type { SessionInput } from '../../src/session/index.js';
import type { LevelKey } from '../../src/shared/levels.js';
import { POLICY, T0, completed, ofType, run, types } from './session-fixtures.js';

const AT = T0 + 3_000;
const padPress = (level: LevelKey, at = AT, padSessionId = 1001): SessionInput => ({
  type: 'press',
  at,
  level,
  source: 'pad',
  padSessionId,
});

describe('presses on the rating step (domain-rules §2, §7)', () => {
  it.each(['very_satisfied', 'satisfied', 'basic'] as const)(
    'accepts a %s press at once: rating.accepted, session closed rated, pad disarmed',
    (level) => {
      const { state, effects } = run([completed(1, T0), padPress(level)]);
      expect(types(effects.slice(2))).toEqual(['rating.accepted', 'session.closed', 'pad.disarm']);
      expect(ofType(effects, 'rating.accepted')).toEqual([
        {
          type: 'rating.accepted',
          sessionId: 's-1',
          serviceId: 1,
          level,
          reasons: [],
          text: '',
          at: AT,
          openedAt: T0,
          flags: [],
          citizen: null,
          catalogueVersion: 'builtin-1',
          source: 'pad',
        },
      ]);
      expect(ofType(effects, 'session.closed')).toMatchObject([{ outcome: 'rated', at: AT }]);
      expect(state).toEqual({
        window: 'open',
        current: null,
        lastAcceptedAt: AT,
        lastOpenedSessionId: 's-1',
      });
    },
  );

  it.each(['dissatisfied', 'very_dissatisfied'] as const)(
    'moves a %s press to the reason step with its own deadline and arms the pad for reasons (§3)',
    (level) => {
      const { state, last } = run([completed(1, T0), padPress(level)]);
      expect(last).toEqual([
        {
          type: 'session.step',
          sessionId: 's-1',
          step: 'awaiting-reason',
          level,
          deadline: AT + POLICY.reasonTimeoutMs,
        },
        { type: 'pad.arm', padSessionId: 1001, timeoutSec: POLICY.reasonTimeoutMs / 1000, prompt: 'reason' },
      ]);
      expect(state.current).toMatchObject({
        step: 'awaiting-reason',
        level,
        firstPressAt: AT,
        levelSource: 'pad',
      });
      expect(state.lastAcceptedAt).toBeNull();
    },
  );

  it('suppresses a press with no open session as no-session and never rates it', () => {
    const { state, effects } = run([padPress('very_satisfied', T0)]);
    expect(effects).toEqual([
      {
        type: 'suppressed',
        at: T0,
        level: 'very_satisfied',
        source: 'pad',
        reason: 'no-session',
        sessionId: null,
        flags: [],
      },
    ]);
    expect(state.lastAcceptedAt).toBeNull();
  });

  it('suppresses presses inside the response interval after an accepted rating, even when a new session has opened (§7)', () => {
    const { state, last } = run([
      completed(1, T0),
      padPress('satisfied', T0 + 1_000),
      completed(2, T0 + 2_000),
      {
        type: 'press',
        at: T0 + 1_000 + POLICY.responseIntervalMs - 1,
        level: 'satisfied',
        source: 'keyboard',
      },
    ]);
    expect(last).toMatchObject([{ type: 'suppressed', reason: 'response-interval', sessionId: 's-2' }]);
    expect(state.current?.service.sessionId).toBe('s-2');
  });

  it('accepts a press again once the response interval has passed', () => {
    const { last } = run([
      completed(1, T0),
      padPress('satisfied', T0 + 1_000),
      completed(2, T0 + 2_000),
      { type: 'press', at: T0 + 1_000 + POLICY.responseIntervalMs, level: 'basic', source: 'keyboard' },
    ]);
    expect(ofType(last, 'rating.accepted')).toMatchObject([
      { sessionId: 's-2', level: 'basic', source: 'keyboard' },
    ]);
  });

  it('suppresses a touch press for another session as stale-session', () => {
    const { state, last } = run([
      completed(1, T0),
      { type: 'press', at: AT, level: 'satisfied', source: 'touch', sessionId: 's-0' },
    ]);
    expect(last).toMatchObject([
      { type: 'suppressed', reason: 'stale-session', sessionId: 's-1', source: 'touch' },
    ]);
    expect(state.current?.step).toBe('awaiting-rating');
  });

  it('suppresses a pad RATING whose session id is not the open one as stale-session (rating-pad-rp1.md)', () => {
    const { last } = run([completed(1, T0), padPress('satisfied', AT, 999)]);
    expect(last).toMatchObject([{ type: 'suppressed', reason: 'stale-session', source: 'pad' }]);
  });

  it('accepts a touch press that names the open session', () => {
    const { last } = run([
      completed(1, T0),
      { type: 'press', at: AT, level: 'basic', source: 'touch', sessionId: 's-1' },
    ]);
    expect(ofType(last, 'rating.accepted')).toMatchObject([{ level: 'basic', source: 'touch' }]);
  });

  it('gives one rating when one citizen action arrives twice, from the pad and from the touch screen', () => {
    const { effects } = run([
      completed(1, T0),
      padPress('very_satisfied', AT),
      { type: 'press', at: AT + 40, level: 'very_satisfied', source: 'touch', sessionId: 's-1' },
    ]);
    expect(ofType(effects, 'rating.accepted')).toHaveLength(1);
    expect(ofType(effects, 'suppressed')).toMatchObject([{ reason: 'response-interval', source: 'touch' }]);
  });

  it.each(['paused', 'closed'] as const)(
    'suppresses presses as window-not-open while the window is %s',
    (status) => {
      const { effects } = run([padPress('satisfied', T0)], POLICY, initialSessionState(status));
      expect(effects).toMatchObject([{ type: 'suppressed', reason: 'window-not-open', sessionId: null }]);
    },
  );

  it('treats a press that arrives at the deadline, before its tick, as too late: the session ends unrated first', () => {
    const { effects } = run([completed(1, T0), padPress('satisfied', T0 + POLICY.timeoutMs)]);
    expect(types(effects.slice(2))).toEqual(['session.closed', 'pad.disarm', 'suppressed']);
    expect(ofType(effects, 'session.closed')).toMatchObject([{ outcome: 'unrated' }]);
    expect(ofType(effects, 'rating.accepted')).toHaveLength(0);
  });
});
