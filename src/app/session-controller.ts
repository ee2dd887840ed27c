/**
 * Runs the pure session engine (src/session) against real time and the durable store. Every input goes
 * through `feed`, which applies the engine's effects in order and synchronously: a rating is committed
 * (rating + outbox + chain link in one SQLite transaction) before the view moves to the thanks screen, so a
 * citizen is never thanked for a rating that is not on disk. Nothing here waits for the network.
 *
 * Commit first, then move (issue 15 item 7): the effects that write to the store run before the engine's new
 * state is adopted and before any other effect (screen, pad, window link). A write that fails (disk full,
 * read-only database) leaves the session exactly as it was, open, so the citizen can press again; the press
 * answers E7050 (never the raw SQLITE_FULL), the failure is logged and counted. The pad's RATING is ACKed
 * only after this returns stored (pad-driver.ts).
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
import { isKioskError, SESSION_ERRORS, STORE_ERRORS } from '../shared/errors/index.js';
import { errorCause } from '../shared/listener-errors.js';

/** After a failed write, the next timed retry (a timeout to close) waits this long, not a tight loop. */
export const WRITE_RETRY_MS = 1000;

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
  /** True when a store write failed: nothing moved, `refused` is E7050 and `effects` is empty. */
  writeFailed: boolean;
}

/** Effects that write to the store; they all run, in order, before anything else happens. */
const STORE_EFFECTS: ReadonlySet<SessionEffect['type']> = new Set([
  'rating.accepted',
  'abandoned',
  'session.closed',
  'suppressed',
]);

export class SessionController {
  private state: SessionState;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failures = 0;
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
    this.pendingPadEvent = padEvent;
    try {
      for (const effect of effects) if (STORE_EFFECTS.has(effect.type)) this.store(effect);
    } catch (error) {
      return this.writeFailed(error);
    } finally {
      this.pendingPadEvent = undefined;
    }
    // On disk: only now does the session move on and the screen, the pad and the window link hear of it.
    this.state = state;
    let refused: FeedResult['refused'] = null;
    for (const effect of effects) {
      if (effect.type === 'refused') refused = { code: effect.code, message: effect.message };
      this.deps.onEffect(effect);
    }
    this.schedule();
    return { effects, refused, writeFailed: false };
  }

  /** Store writes that failed since start (diagnostics). */
  get writeFailures(): number {
    return this.failures;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) (this.deps.clearTimer ?? clearTimeout)(this.timer);
    this.timer = null;
  }

  /**
   * Nothing was stored and nothing moved. Earlier writes of the same input that did succeed are safe to
   * repeat: closing a closed service changes nothing and a second rating for a service is refused (E2203).
   */
  private writeFailed(error: unknown): FeedResult {
    this.failures += 1;
    // The cause's code only (SQLITE_FULL, SQLITE_READONLY, E…): a message may carry anything.
    this.deps.log({
      level: 'error',
      code: SESSION_ERRORS.commitFailed.code,
      msg: `session write failed, session kept open (cause ${errorCause(error)})`,
    });
    this.schedule(WRITE_RETRY_MS);
    return {
      effects: [],
      refused: {
        code: SESSION_ERRORS.commitFailed.code,
        message: 'The rating could not be saved; press again.',
      },
      writeFailed: true,
    };
  }

  private store(effect: SessionEffect): void {
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

  private schedule(minDelayMs = 0): void {
    if (this.stopped) return;
    if (this.timer) (this.deps.clearTimer ?? clearTimeout)(this.timer);
    this.timer = null;
    const deadline = nextDeadline(this.state);
    if (deadline === null) return;
    const delay = Math.max(minDelayMs, deadline - this.deps.now());
    this.timer = (this.deps.setTimer ?? setTimeout)(() => {
      this.timer = null;
      this.feed({ type: 'tick', at: this.deps.now() });
    }, delay + 5);
    this.timer.unref?.();
  }
}
