/**
 * Runs the pure session engine (src/session) against real time and the durable store. Every input goes
 * through `feed`, which applies the engine's effects in order and synchronously: a rating is committed
 * (rating + outbox + chain link in one SQLite transaction) before the view moves to the thanks screen, so a
 * citizen is never thanked for a rating that is not on disk. Nothing here waits for the network.
 */
import {
  initialSessionState,
  nextDeadline,
  transition,
  type SessionEffect,
  type SessionInput,
  type SessionPolicy,
  type SessionState,
  type WindowStatus,
} from '../session/index.js';
import type { KioskStore } from '../store/index.js';
import { isKioskError, STORE_ERRORS } from '../shared/errors/index.js';

type AcceptedRating = Extract<SessionEffect, { type: 'rating.accepted' }>;

/** An accepted rating as it goes to the store: the engine's effect, plus the pad event to de-duplicate on. */
export type RatingToCommit = Omit<AcceptedRating, 'type' | 'openedAt' | 'citizen'> & {
  padEvent?: { padSerial: string; eventCounter: number };
};

export interface SessionControllerDeps {
  store: KioskStore;
  policy: SessionPolicy;
  now: () => number;
  /** Builds the province record for a rating and commits it through the store (one transaction). */
  commitRating: (rating: RatingToCommit) => void;
  onEffect: (effect: SessionEffect) => void;
  log: (entry: { level: 'info' | 'warn' | 'error'; code?: string; msg: string }) => void;
  setTimer?: (fn: () => void, ms: number) => NodeJS.Timeout;
  clearTimer?: (timer: NodeJS.Timeout) => void;
}

export interface FeedResult {
  effects: SessionEffect[];
  refused: { code: string; message: string } | null;
}

export class SessionController {
  private state: SessionState;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Pad event carried by the press being fed, so the store can de-duplicate RP/1 replays in the same transaction. */
  private pendingPadEvent: { padSerial: string; eventCounter: number } | undefined;

  constructor(
    private readonly deps: SessionControllerDeps,
    initialWindow: WindowStatus,
  ) {
    this.state = initialSessionState(initialWindow);
  }

  get current(): SessionState {
    return this.state;
  }

  feed(input: SessionInput, padEvent?: { padSerial: string; eventCounter: number }): FeedResult {
    const { state, effects } = transition(this.state, input, this.deps.policy);
    this.state = state;
    this.pendingPadEvent = padEvent;
    let refused: FeedResult['refused'] = null;
    try {
      for (const effect of effects) {
        if (effect.type === 'refused') refused = { code: effect.code, message: effect.message };
        this.apply(effect);
      }
    } finally {
      this.pendingPadEvent = undefined;
    }
    this.schedule();
    return { effects, refused };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) (this.deps.clearTimer ?? clearTimeout)(this.timer);
    this.timer = null;
  }

  private apply(effect: SessionEffect): void {
    const { store } = this.deps;
    switch (effect.type) {
      case 'rating.accepted':
        this.commit(effect);
        break;
      case 'abandoned':
        store.recordAbandoned({
          serviceId: effect.serviceId,
          sessionId: effect.sessionId,
          level: effect.level,
          at: effect.at,
          flags: effect.flags,
          catalogueVersion: effect.catalogueVersion,
        });
        break;
      case 'session.closed':
        // `rated` and `abandoned` were closed inside their own transactions above.
        if (effect.outcome === 'unrated' || effect.outcome === 'superseded') {
          store.closeService(effect.serviceId, effect.outcome, effect.at);
        }
        break;
      case 'suppressed':
        store.recordSuppressed({
          at: effect.at,
          level: effect.level,
          source: effect.source,
          reason: effect.reason,
          sessionId: effect.sessionId,
          flags: effect.flags,
          ...(this.pendingPadEvent ? { padEvent: this.pendingPadEvent } : {}),
        });
        break;
      default:
        break;
    }
    this.deps.onEffect(effect);
  }

  private commit(effect: AcceptedRating): void {
    try {
      // The citizen stays behind its opaque ref: the store reads the identity of the service itself.
      const { type: _type, openedAt: _openedAt, citizen: _citizen, ...rating } = effect;
      this.deps.commitRating({
        ...rating,
        ...(this.pendingPadEvent ? { padEvent: this.pendingPadEvent } : {}),
      });
    } catch (error) {
      // A replayed pad event or a second rating for a service is refused by the store (一次一评): keep running.
      if (isKioskError(error) && error.code === STORE_ERRORS.duplicateRating.code) {
        this.deps.log({ level: 'warn', code: error.code, msg: 'duplicate rating refused by the store' });
        return;
      }
      throw error;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) (this.deps.clearTimer ?? clearTimeout)(this.timer);
    this.timer = null;
    const deadline = nextDeadline(this.state);
    if (deadline === null) return;
    const delay = Math.max(0, deadline - this.deps.now());
    this.timer = (this.deps.setTimer ?? setTimeout)(() => {
      this.timer = null;
      this.feed({ type: 'tick', at: this.deps.now() });
    }, delay + 5);
    this.timer.unref?.();
  }
}
