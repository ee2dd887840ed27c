import { describe, expect, it } from 'vitest';
import type { SessionInput } from '../../src/session/index.js';
import { POLICY, T0, citizen, completed, ofType, run } from './session-fixtures.js';

const press = (at: number, level: 'satisfied' | 'dissatisfied' = 'satisfied'): SessionInput => ({
  type: 'press',
  at,
  level,
  source: 'pad',
  padSessionId: 1001,
});

describe('abuse flags on a session (domain-rules §7)', () => {
  it('flags a first press sooner than tooFastMs after opening as too-fast, and still accepts the rating', () => {
    const { effects } = run([completed(1, T0), press(T0 + POLICY.tooFastMs - 1)]);
    expect(ofType(effects, 'rating.accepted')).toMatchObject([{ flags: ['too-fast'] }]);
  });

  it('does not flag a first press exactly tooFastMs after opening', () => {
    const { effects } = run([completed(1, T0), press(T0 + POLICY.tooFastMs)]);
    expect(ofType(effects, 'rating.accepted')).toMatchObject([{ flags: [] }]);
  });

  it('keeps too-fast from the first press when the level is changed on the reason step', () => {
    const { effects } = run([completed(1, T0), press(T0 + 100, 'dissatisfied'), press(T0 + 9_000)]);
    expect(ofType(effects, 'rating.accepted')).toMatchObject([{ level: 'satisfied', flags: ['too-fast'] }]);
  });

  it('flags id-burst when the citizen already rated idBurstPerDay services today, and still accepts the rating', () => {
    const { state, effects } = run([
      completed(1, T0, citizen('c1', POLICY.idBurstPerDay)),
      press(T0 + 3_000),
    ]);
    expect(ofType(effects, 'session.opened')[0]?.session.flags).toEqual(['id-burst']);
    expect(ofType(effects, 'rating.accepted')).toMatchObject([{ flags: ['id-burst'] }]);
    expect(state.lastAcceptedAt).toBe(T0 + 3_000);
  });

  it('does not flag id-burst below idBurstPerDay ratings today', () => {
    const { effects } = run([completed(1, T0, citizen('c1', POLICY.idBurstPerDay - 1)), press(T0 + 3_000)]);
    expect(ofType(effects, 'rating.accepted')).toMatchObject([{ flags: [] }]);
  });

  it('carries the session flags and no-reason on an abandoned 差评', () => {
    const { effects } = run([
      completed(1, T0, citizen('c1', 50)),
      press(T0 + 10, 'dissatisfied'),
      { type: 'tick', at: T0 + 10 + POLICY.reasonTimeoutMs },
    ]);
    expect(ofType(effects, 'abandoned')).toMatchObject([{ flags: ['too-fast', 'id-burst', 'no-reason'] }]);
  });
});

describe('real-name rating by an ID card tapped during the session (domain-rules §5)', () => {
  it('attaches the citizen identified during the session to the rating', () => {
    const who = citizen('c1', 0, 'reader');
    const { effects } = run([
      completed(1, T0),
      { type: 'citizen.identified', at: T0 + 1_000, citizen: who },
      press(T0 + 3_000),
    ]);
    expect(ofType(effects, 'rating.accepted')).toMatchObject([{ citizen: who }]);
  });

  it('keeps the last card read when two are tapped, and recomputes id-burst for it', () => {
    const { state } = run([
      completed(1, T0, citizen('from-window', 0, 'window')),
      { type: 'citizen.identified', at: T0 + 1_000, citizen: citizen('c1', 99) },
      { type: 'citizen.identified', at: T0 + 2_000, citizen: citizen('c2', 0) },
    ]);
    expect(state.current?.citizen?.ref).toBe('c2');
    expect(state.current?.flags).toEqual([]);
  });

  it('flags id-burst when the card tapped mid-session belongs to a citizen over the daily limit', () => {
    const { state } = run([
      completed(1, T0),
      { type: 'citizen.identified', at: T0 + 1_000, citizen: citizen('c1', 10) },
    ]);
    expect(state.current?.flags).toEqual(['id-burst']);
  });

  it('ignores a card tapped with no session open: no effect, and nothing carried into the next session', () => {
    const tapped = run([{ type: 'citizen.identified', at: T0, citizen: citizen('c1') }]);
    expect(tapped.effects).toEqual([]);
    const next = run([completed(1, T0 + 1_000)], POLICY, tapped.state);
    expect(next.state.current?.citizen).toBeNull();
  });
});
