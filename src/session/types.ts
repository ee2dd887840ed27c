/**
 * Types of the rating session engine (domain-rules §2, §3, §7). The engine is a pure transition
 * function: time arrives on every input (`at`, epoch ms from the caller's clock) and ids are supplied by
 * the caller, so the same inputs always give the same outputs.
 */
import type { LevelKey } from '../shared/levels.js';

export interface SessionPolicy {
  timeoutMs: number;
  reasonTimeoutMs: number;
  responseIntervalMs: number;
  tooFastMs: number;
  idBurstPerDay: number;
}

/** The engine never sees PII: `ref` is an opaque handle the caller resolves. */
export interface CitizenRef {
  ref: string;
  maskedName: string;
  maskedId: string;
  /** Ratings this ID card already gave today, before this service (drives `id-burst`, §7). */
  ratingsToday: number;
  source: 'window' | 'reader';
}

export interface ServiceRef {
  serviceId: number;
  sessionId: string;
  ticketNo: string;
  padSessionId: number;
}

/** Snapshot of the reason catalogue taken when the session opens (every rating records the version it used, §3). */
export interface CatalogueRef {
  version: string;
  codes: { dissatisfied: string[]; very_dissatisfied: string[] };
  textAllowed: boolean;
  textMax: number;
}

export type PressSource = 'pad' | 'touch' | 'keyboard';
export type WindowStatus = 'open' | 'paused' | 'closed';

export type SessionInput =
  | {
      type: 'service.completed';
      at: number;
      service: ServiceRef;
      citizen: CitizenRef | null;
      catalogue: CatalogueRef;
    }
  | {
      type: 'press';
      at: number;
      level: LevelKey;
      source: PressSource;
      /** touch: the session the screen shows. */
      sessionId?: string;
      /** pad: the session id carried by the RP/1 RATING frame. */
      padSessionId?: number;
    }
  | { type: 'reasons.submitted'; at: number; sessionId: string; codes: string[]; text: string }
  /** "Back" on the reasons screen. */
  | { type: 'level.change'; at: number; sessionId: string }
  /** ID card tapped during the session → real-name rating. */
  | { type: 'citizen.identified'; at: number; citizen: CitizenRef }
  | { type: 'window.status'; at: number; status: WindowStatus }
  | { type: 'tick'; at: number };

export type SessionStep = 'awaiting-rating' | 'awaiting-reason';

export interface OpenSession {
  service: ServiceRef;
  openedAt: number;
  step: SessionStep;
  /** When the current step times out (epoch ms). */
  deadline: number;
  /** The 差评 level chosen, while on the reason step; null on the rating step. */
  level: LevelKey | null;
  citizen: CitizenRef | null;
  catalogue: CatalogueRef;
  /** Policy flags so far (`too-fast`, `id-burst`); recomputed whenever the press or the citizen changes. */
  flags: string[];
  /** The first press accepted into this session (drives `too-fast`, §7). */
  firstPressAt: number | null;
  /** Where the press that chose `level` came from (reported on the rating). */
  levelSource: PressSource | null;
}

export interface SessionState {
  window: WindowStatus;
  current: OpenSession | null;
  /** Time of the last `rating.accepted` (response interval, §7). */
  lastAcceptedAt: number | null;
  /**
   * The session id most recently opened, open or not: a repeated announcement of it opens nothing, even
   * when it arrives just after that session ended (window-link.md: "a repeat … opens nothing new").
   */
  lastOpenedSessionId: string | null;
}

export type CloseOutcome = 'rated' | 'unrated' | 'abandoned' | 'superseded';
export type SuppressReason = 'no-session' | 'response-interval' | 'stale-session' | 'window-not-open';

export type SessionEffect =
  | { type: 'session.opened'; session: OpenSession }
  | { type: 'session.step'; sessionId: string; step: SessionStep; level: LevelKey | null; deadline: number }
  | {
      type: 'rating.accepted';
      sessionId: string;
      serviceId: number;
      level: LevelKey;
      reasons: string[];
      text: string;
      at: number;
      openedAt: number;
      flags: string[];
      citizen: CitizenRef | null;
      catalogueVersion: string;
      source: PressSource;
    }
  | {
      type: 'abandoned';
      sessionId: string;
      serviceId: number;
      level: LevelKey;
      at: number;
      flags: string[];
      catalogueVersion: string;
      /** Added: the citizen, when known, so the local 差评-without-reason record stays real-name (§3, §5). */
      citizen: CitizenRef | null;
    }
  | {
      type: 'session.closed';
      sessionId: string;
      serviceId: number;
      ticketNo: string;
      outcome: CloseOutcome;
      at: number;
    }
  | {
      type: 'suppressed';
      at: number;
      level: LevelKey | null;
      source: PressSource;
      reason: SuppressReason;
      sessionId: string | null;
      flags: string[];
    }
  /** Invalid intent (bad reasons, wrong step): nothing stored, the caller answers an error. */
  | { type: 'refused'; code: string; message: string; sessionId: string | null }
  | { type: 'pad.arm'; padSessionId: number; timeoutSec: number; prompt: 'rate' | 'reason' }
  | { type: 'pad.disarm'; padSessionId: number };

export interface TransitionResult {
  state: SessionState;
  effects: SessionEffect[];
}
