import { describe, expect, it } from 'vitest';
import type { CatalogueRef, SessionInput } from '../../src/session/index.js';
import type { LevelKey } from '../../src/shared/levels.js';
import { SESSION_ERRORS } from '../../src/shared/errors/session.js';
import { CATALOGUE, POLICY, T0, completed, ofType, run, types } from './session-fixtures.js';

const BAD_AT = T0 + 3_000;
const press = (level: LevelKey, at: number, source: 'pad' | 'keyboard' | 'touch' = 'pad'): SessionInput =>
  source === 'touch'
    ? { type: 'press', at, level, source, sessionId: 's-1' }
    : { type: 'press', at, level, source, padSessionId: 1001 };
const reasons = (codes: string[], text = '', at = BAD_AT + 5_000, sessionId = 's-1'): SessionInput => ({
  type: 'reasons.submitted',
  at,
  sessionId,
  codes,
  text,
});

/** A session on the reason step for `level`, then `more` inputs. */
function onReasonStep(level: LevelKey, more: SessionInput[], catalogue: CatalogueRef = CATALOGUE) {
  return run([completed(1, T0, null, catalogue), press(level, BAD_AT), ...more]);
}

describe('the reason step of a 差评 (domain-rules §3)', () => {
  it('accepts reasons from the catalogue list for the chosen level and records them on the rating', () => {
    const { state, last } = onReasonStep('dissatisfied', [
      reasons(['511', '501', '511'], '  窗口人员离岗  '),
    ]);
    expect(types(last)).toEqual(['rating.accepted', 'session.closed', 'pad.disarm']);
    expect(ofType(last, 'rating.accepted')).toMatchObject([
      {
        level: 'dissatisfied',
        reasons: ['511', '501'],
        text: '窗口人员离岗',
        at: BAD_AT + 5_000,
        source: 'pad',
      },
    ]);
    expect(state.lastAcceptedAt).toBe(BAD_AT + 5_000);
  });

  it('refuses reasons with no code as E7002 and keeps the session waiting', () => {
    const { state, last } = onReasonStep('dissatisfied', [reasons([], '太慢了')]);
    expect(last).toEqual([
      {
        type: 'refused',
        code: SESSION_ERRORS.reasonRequired.code,
        message: expect.any(String),
        sessionId: 's-1',
      },
    ]);
    expect(state.current?.step).toBe('awaiting-reason');
  });

  it('refuses a code from the other 差评 level as E7003 (each level has its own list)', () => {
    const { last } = onReasonStep('dissatisfied', [reasons(['501', '601'])]);
    expect(last).toMatchObject([{ type: 'refused', code: SESSION_ERRORS.unknownReason.code }]);
  });

  it('refuses written text longer than textMax as E7004, counting characters rather than UTF-16 units', () => {
    const atLimit = onReasonStep('very_dissatisfied', [reasons(['601'], '😀'.repeat(150))]);
    expect(ofType(atLimit.last, 'rating.accepted')).toHaveLength(1);
    const over = onReasonStep('very_dissatisfied', [reasons(['601'], '慢'.repeat(151))]);
    expect(over.last).toMatchObject([{ type: 'refused', code: SESSION_ERRORS.textTooLong.code }]);
  });

  it('refuses written text as E7008 when the catalogue allows none, but accepts blank text', () => {
    const noText = { ...CATALOGUE, textAllowed: false };
    const refused = onReasonStep('dissatisfied', [reasons(['501'], 'x')], noText);
    expect(refused.last).toMatchObject([{ type: 'refused', code: SESSION_ERRORS.textNotAllowed.code }]);
    const blank = onReasonStep('dissatisfied', [reasons(['501'], '   ')], noText);
    expect(ofType(blank.last, 'rating.accepted')).toMatchObject([{ text: '' }]);
  });

  it('refuses reasons for a session that is not open as E7007', () => {
    const { last } = onReasonStep('dissatisfied', [reasons(['501'], '', BAD_AT + 1_000, 's-0')]);
    expect(last).toMatchObject([
      { type: 'refused', code: SESSION_ERRORS.staleSession.code, sessionId: 's-0' },
    ]);
  });

  it('refuses reasons on the rating step as E7005 (no 差评 chosen yet)', () => {
    const { last } = run([completed(1, T0), reasons(['501'], '', T0 + 1_000)]);
    expect(last).toMatchObject([{ type: 'refused', code: SESSION_ERRORS.wrongStep.code }]);
  });

  it.each(['pad', 'keyboard'] as const)(
    'commits a good level pressed on the %s during the reason step at once',
    (source) => {
      const { last } = onReasonStep('dissatisfied', [press('satisfied', BAD_AT + 2_000, source)]);
      expect(ofType(last, 'rating.accepted')).toMatchObject([{ level: 'satisfied', reasons: [], source }]);
    },
  );

  it('re-shows reasons for the other 差评 level pressed during the reason step, with a fresh deadline', () => {
    const at = BAD_AT + 2_000;
    const { state, last } = onReasonStep('dissatisfied', [press('very_dissatisfied', at)]);
    expect(last).toMatchObject([
      {
        type: 'session.step',
        step: 'awaiting-reason',
        level: 'very_dissatisfied',
        deadline: at + POLICY.reasonTimeoutMs,
      },
      { type: 'pad.arm', prompt: 'reason' },
    ]);
    expect(state.current?.firstPressAt).toBe(BAD_AT);
  });

  it('refuses a touch level press on the reason step as E7005 instead of changing the level', () => {
    const { state, last } = onReasonStep('dissatisfied', [press('very_satisfied', BAD_AT + 40, 'touch')]);
    expect(last).toMatchObject([{ type: 'refused', code: SESSION_ERRORS.wrongStep.code }]);
    expect(state.current).toMatchObject({ step: 'awaiting-reason', level: 'dissatisfied' });
  });

  it('goes back to the rating step on level.change, with the rating timeout restarted', () => {
    const at = BAD_AT + 4_000;
    const { state, last } = onReasonStep('dissatisfied', [{ type: 'level.change', at, sessionId: 's-1' }]);
    expect(last).toEqual([
      {
        type: 'session.step',
        sessionId: 's-1',
        step: 'awaiting-rating',
        level: null,
        deadline: at + POLICY.timeoutMs,
      },
      { type: 'pad.arm', padSessionId: 1001, timeoutSec: POLICY.timeoutMs / 1000, prompt: 'rate' },
    ]);
    expect(state.current).toMatchObject({ step: 'awaiting-rating', level: null });
  });

  it('refuses level.change on the rating step as E7005', () => {
    const { last } = run([completed(1, T0), { type: 'level.change', at: T0 + 1_000, sessionId: 's-1' }]);
    expect(last).toMatchObject([{ type: 'refused', code: SESSION_ERRORS.wrongStep.code }]);
  });
});
