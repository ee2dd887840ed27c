/**
 * A level press from the pad, the touch screen or a keyboard-mode pad. The checks run in a fixed order so
 * that one press always gets one answer:
 *   1. window paused/closed → suppressed `window-not-open` (window-link.md: no ratings while paused or closed)
 *   2. inside the response interval of the last accepted rating → suppressed `response-interval` (§7),
 *      even when a new session has opened meanwhile; this is also what stops the second copy of one
 *      citizen action (pad + touch) from rating the next service
 *   3. no open session → suppressed `no-session` (§2: recorded, never counted)
 *   4. a touch for another session, or a pad RATING with another session id → suppressed `stale-session`
 *      (rating-pad-rp1.md)
 * A press that passes is accepted into the session (§2, §3).
 */
import { isBadLevel } from '../shared/levels.js';
import type { LevelKey } from '../shared/levels.js';
import { SESSION_ERRORS } from '../shared/errors/session.js';
import { FLAGS, isTooFast, withinResponseInterval } from '../policy/index.js';
import { acceptRating, enterStep, padArm, stepEffect, withFlags } from './session-effects.js';
import type {
  OpenSession,
  SessionInput,
  SessionPolicy,
  SessionState,
  SuppressReason,
  TransitionResult,
} from './types.js';

type Press = Extract<SessionInput, { type: 'press' }>;

function suppress(
  state: SessionState,
  press: Press,
  reason: SuppressReason,
  policy: SessionPolicy,
): TransitionResult {
  const session = state.current;
  // A suppressed press is stored for review (§2 "never deleted"); too-fast says it came right after an opening.
  const flags = session && isTooFast(session.openedAt, press.at, policy.tooFastMs) ? [FLAGS.tooFast] : [];
  return {
    state,
    effects: [
      {
        type: 'suppressed',
        at: press.at,
        level: press.level,
        source: press.source,
        reason,
        sessionId: session ? session.service.sessionId : null,
        flags,
      },
    ],
  };
}

/** Does this press name the open session? Keyboard-mode pads carry no session id (rating-pad-rp1.md). */
function namesSession(press: Press, session: OpenSession): boolean {
  if (press.source === 'touch') return press.sessionId === session.service.sessionId;
  if (press.source === 'pad') return press.padSessionId === session.service.padSessionId;
  return true;
}

export function handlePress(state: SessionState, press: Press, policy: SessionPolicy): TransitionResult {
  if (state.window !== 'open') return suppress(state, press, 'window-not-open', policy);
  if (withinResponseInterval(state.lastAcceptedAt, press.at, policy.responseIntervalMs)) {
    return suppress(state, press, 'response-interval', policy);
  }
  const open = state.current;
  if (open === null) return suppress(state, press, 'no-session', policy);
  if (!namesSession(press, open)) return suppress(state, press, 'stale-session', policy);

  // The reasons screen shows reasons, not levels: a touch level there comes from a screen that has not
  // caught up (or the touch copy of the pad press that opened it), so it is refused, not taken as a change.
  if (open.step === 'awaiting-reason' && press.source === 'touch') {
    return {
      state,
      effects: [
        {
          type: 'refused',
          code: SESSION_ERRORS.wrongStep.code,
          message: 'The reasons screen is showing: pick reasons or go back to change the level.',
          sessionId: open.service.sessionId,
        },
      ],
    };
  }

  const pressed = withFlags({ ...open, firstPressAt: open.firstPressAt ?? press.at }, policy);
  return choose(state, pressed, press.level, press, policy);
}

/**
 * The citizen chose `level`: good/neutral commits at once (§2); 差评 opens (or re-shows) the reason step
 * with its own deadline (§3). On the reason step a pad or keyboard press changes the level the same way.
 */
function choose(
  state: SessionState,
  session: OpenSession,
  level: LevelKey,
  press: Press,
  policy: SessionPolicy,
): TransitionResult {
  if (!isBadLevel(level)) {
    return acceptRating(state, session, { at: press.at, level, source: press.source, reasons: [], text: '' });
  }
  const next = enterStep(session, 'awaiting-reason', level, press.source, press.at, policy);
  return { state: { ...state, current: next }, effects: [stepEffect(next), padArm(next, press.at)] };
}
