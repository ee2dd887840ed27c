/**
 * Builders for the effects a session emits, and the ways a session ends. Shared by the engine and the
 * press handler so that every ending (timeout, window paused, superseded) reads the same.
 */
import type { LevelKey } from '../shared/levels.js';
import { FLAGS, sessionFlags } from '../policy/index.js';
import type {
  CloseOutcome,
  OpenSession,
  PressSource,
  SessionEffect,
  SessionPolicy,
  SessionState,
  SessionStep,
  TransitionResult,
} from './types.js';

/** RP/1 ARM carries the timeout as u16 seconds (rating-pad-rp1.md); round up so the pad never gives up first. */
const PAD_TIMEOUT_MAX_SEC = 0xffff;

export function padArm(session: OpenSession, at: number): SessionEffect {
  const seconds = Math.ceil((session.deadline - at) / 1000);
  return {
    type: 'pad.arm',
    padSessionId: session.service.padSessionId,
    timeoutSec: Math.min(PAD_TIMEOUT_MAX_SEC, Math.max(1, seconds)),
    prompt: session.step === 'awaiting-reason' ? 'reason' : 'rate',
  };
}

export function padDisarm(session: OpenSession): SessionEffect {
  return { type: 'pad.disarm', padSessionId: session.service.padSessionId };
}

export function stepEffect(session: OpenSession): SessionEffect {
  return {
    type: 'session.step',
    sessionId: session.service.sessionId,
    step: session.step,
    level: session.level,
    deadline: session.deadline,
  };
}

export function closedEffect(session: OpenSession, outcome: CloseOutcome, at: number): SessionEffect {
  const { sessionId, serviceId, ticketNo } = session.service;
  return { type: 'session.closed', sessionId, serviceId, ticketNo, outcome, at };
}

/** The session with its flags recomputed from its facts (§7); flags are derived, never hand-edited. */
export function withFlags(session: OpenSession, policy: SessionPolicy): OpenSession {
  const flags = sessionFlags(
    {
      openedAt: session.openedAt,
      firstPressAt: session.firstPressAt,
      citizenRatingsToday: session.citizen ? session.citizen.ratingsToday : null,
    },
    policy,
  );
  return { ...session, flags };
}

/** The session moved to `step`, its deadline restarted from `at` (each step has its own timeout, §2/§3). */
export function enterStep(
  session: OpenSession,
  step: SessionStep,
  level: LevelKey | null,
  source: PressSource | null,
  at: number,
  policy: SessionPolicy,
): OpenSession {
  const timeout = step === 'awaiting-reason' ? policy.reasonTimeoutMs : policy.timeoutMs;
  return { ...session, step, level, levelSource: source, deadline: at + timeout };
}

export type EndCause = 'timeout' | 'window' | 'superseded';

/**
 * Effects that end a session without a rating. On the rating step the service is unrated (§2), or
 * `superseded` when a new service took its place. On the reason step a 差评 level was already chosen, so
 * the session is `abandoned` with `no-reason` (§3), whatever ended it: recording it as unrated would later
 * earn it the 7-day default 基本满意 (§4), turning a 差评 into a neutral rating.
 */
export function endEffects(session: OpenSession, at: number, cause: EndCause): SessionEffect[] {
  if (session.step === 'awaiting-reason' && session.level !== null) {
    return [
      {
        type: 'abandoned',
        sessionId: session.service.sessionId,
        serviceId: session.service.serviceId,
        level: session.level,
        at,
        flags: [...session.flags, FLAGS.noReason],
        catalogueVersion: session.catalogue.version,
        citizen: session.citizen,
      },
      closedEffect(session, 'abandoned', at),
      padDisarm(session),
    ];
  }
  return [closedEffect(session, cause === 'superseded' ? 'superseded' : 'unrated', at), padDisarm(session)];
}

/** The one way a rating is accepted (§2 "the first accepted press closes the session"). */
export function acceptRating(
  state: SessionState,
  session: OpenSession,
  rating: { at: number; level: LevelKey; source: PressSource; reasons: string[]; text: string },
): TransitionResult {
  const { sessionId, serviceId } = session.service;
  return {
    state: { ...state, current: null, lastAcceptedAt: rating.at },
    effects: [
      {
        type: 'rating.accepted',
        sessionId,
        serviceId,
        level: rating.level,
        reasons: rating.reasons,
        text: rating.text,
        at: rating.at,
        openedAt: session.openedAt,
        flags: session.flags,
        citizen: session.citizen,
        catalogueVersion: session.catalogue.version,
        source: rating.source,
      },
      closedEffect(session, 'rated', rating.at),
      padDisarm(session),
    ],
  };
}
