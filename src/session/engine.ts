/**
 * The rating session engine (domain-rules §2, §3, §7): a pure transition function. No I/O, no clock, no
 * randomness: time comes in on every input and ids are supplied by the caller. The caller persists the
 * effects (one SQLite transaction per rating) and sends a `tick` at `nextDeadline(state)`.
 */
import { isBadLevel } from '../shared/levels.js';
import { SESSION_ERRORS } from '../shared/errors/session.js';
import type { ErrorCodeInfo } from '../shared/errors/types.js';
import { handlePress } from './press.js';
import { checkReasons } from './reasons.js';
import type { BadLevel } from './reasons.js';
import { acceptRating, endEffects, enterStep, padArm, stepEffect, withFlags } from './session-effects.js';
import type {
  OpenSession,
  SessionEffect,
  SessionInput,
  SessionPolicy,
  SessionState,
  TransitionResult,
} from './types.js';

export function initialSessionState(window: SessionState['window']): SessionState {
  return { window, current: null, lastAcceptedAt: null, lastOpenedSessionId: null };
}

/** When the caller must send a tick: the open session's deadline, or null when nothing is waiting. */
export function nextDeadline(state: SessionState): number | null {
  return state.current ? state.current.deadline : null;
}

export function transition(
  state: SessionState,
  input: SessionInput,
  policy: SessionPolicy,
): TransitionResult {
  // Time passes first: a session whose deadline is reached ends before the input is looked at, so a
  // press that arrives after the timeout but before the tick cannot rate a service that already timed out.
  const expired = expire(state, input.at);
  const result = apply(expired.state, input, policy);
  return { state: result.state, effects: [...expired.effects, ...result.effects] };
}

function expire(state: SessionState, at: number): TransitionResult {
  const open = state.current;
  if (open === null || at < open.deadline) return { state, effects: [] };
  return { state: { ...state, current: null }, effects: endEffects(open, at, 'timeout') };
}

function apply(state: SessionState, input: SessionInput, policy: SessionPolicy): TransitionResult {
  switch (input.type) {
    case 'service.completed':
      return openSession(state, input, policy);
    case 'press':
      return handlePress(state, input, policy);
    case 'reasons.submitted':
      return submitReasons(state, input);
    case 'level.change':
      return backToRating(state, input, policy);
    case 'citizen.identified':
      // §5: a card tapped during the session makes the rating real-name; the last card read wins.
      // With no session there is nothing to attach it to, and the engine keeps no identity between sessions.
      if (state.current === null) return { state, effects: [] };
      return {
        state: { ...state, current: withFlags({ ...state.current, citizen: input.citizen }, policy) },
        effects: [],
      };
    case 'window.status':
      return setWindow(state, input.status, input.at);
    case 'tick':
      return { state, effects: [] };
  }
}

function refuse(
  state: SessionState,
  error: ErrorCodeInfo,
  message: string,
  sessionId: string | null,
): TransitionResult {
  return { state, effects: [{ type: 'refused', code: error.code, message, sessionId }] };
}

type Input<T extends SessionInput['type']> = Extract<SessionInput, { type: T }>;

/** §2: a session opens only when the window system reports a completed service, and only while open. */
function openSession(
  state: SessionState,
  input: Input<'service.completed'>,
  policy: SessionPolicy,
): TransitionResult {
  // The same service announced twice (window-link.md: a repeat "opens nothing new") must neither supersede
  // itself nor reopen after it closed (rated, or timed out a moment before the repeat), which could rate
  // one service twice (§2). Older repeats are the window link's to answer: it keeps every sessionId.
  if (state.lastOpenedSessionId === input.service.sessionId) return { state, effects: [] };
  if (state.window !== 'open') {
    return refuse(
      state,
      SESSION_ERRORS.windowNotOpen,
      'The window is not open: no rating session.',
      input.service.sessionId,
    );
  }
  const old = state.current;

  const opened: OpenSession = withFlags(
    {
      service: input.service,
      openedAt: input.at,
      step: 'awaiting-rating',
      deadline: input.at + policy.timeoutMs,
      level: null,
      citizen: input.citizen,
      catalogue: input.catalogue,
      flags: [],
      firstPressAt: null,
      levelSource: null,
    },
    policy,
  );
  // §2: a new completed service supersedes the open session (the old one is then unrated).
  const superseded: SessionEffect[] = old === null ? [] : endEffects(old, input.at, 'superseded');
  return {
    state: { ...state, current: opened, lastOpenedSessionId: opened.service.sessionId },
    effects: [...superseded, { type: 'session.opened', session: opened }, padArm(opened, input.at)],
  };
}

/** The open session named by an intent from the screen, or the refusal to answer with. */
function namedSession(state: SessionState, sessionId: string): OpenSession | TransitionResult {
  const open = state.current;
  if (open === null || open.service.sessionId !== sessionId) {
    return refuse(state, SESSION_ERRORS.staleSession, 'That session is no longer open.', sessionId);
  }
  if (open.step !== 'awaiting-reason' || open.level === null || !isBadLevel(open.level)) {
    return refuse(
      state,
      SESSION_ERRORS.wrongStep,
      'No 差评 level is chosen: there are no reasons to give.',
      sessionId,
    );
  }
  return open;
}

function isSession(value: OpenSession | TransitionResult): value is OpenSession {
  return 'service' in value;
}

/** §3: a 差评 is accepted only with at least one reason from the catalogue for its level. */
function submitReasons(state: SessionState, input: Input<'reasons.submitted'>): TransitionResult {
  const open = namedSession(state, input.sessionId);
  if (!isSession(open)) return open;
  const level = open.level as BadLevel;
  const check = checkReasons(open.catalogue, level, input.codes, input.text);
  if (!check.ok) return refuse(state, check.error, check.message, input.sessionId);
  return acceptRating(state, open, {
    at: input.at,
    level,
    source: open.levelSource ?? 'touch',
    reasons: check.codes,
    text: check.text,
  });
}

/** "Back" on the reasons screen: the level is unchosen and the rating step starts again with a full timeout. */
function backToRating(
  state: SessionState,
  input: Input<'level.change'>,
  policy: SessionPolicy,
): TransitionResult {
  const open = namedSession(state, input.sessionId);
  if (!isSession(open)) return open;
  const next = enterStep(open, 'awaiting-rating', null, null, input.at, policy);
  return { state: { ...state, current: next }, effects: [stepEffect(next), padArm(next, input.at)] };
}

/** window-link.md: no ratings while paused or closed, so an open session ends there (no rating, §2/§3). */
function setWindow(state: SessionState, status: SessionState['window'], at: number): TransitionResult {
  const open = state.current;
  if (status === 'open' || open === null) return { state: { ...state, window: status }, effects: [] };
  return { state: { ...state, window: status, current: null }, effects: endEffects(open, at, 'window') };
}
