/**
 * Keeps the pad armed exactly while the kiosk has a session open for it (rating-pad-rp1.md ARM / DISARM /
 * PONG status bit0; issue 16 item 1). The kiosk's wish is the truth and the pad is brought to it:
 *
 * - after every (re)connect — a new HELLO — the open session's ARM is sent again: a replugged pad has
 *   restarted disarmed, and without it the citizen's presses are ignored while the keys are lit;
 * - an ARM that fails (the pad is away, or it never ACKed) is not dropped: the wish stays and is sent on
 *   the next HELLO, or on the next PONG that shows the pad disarmed;
 * - a PONG contradicting the wish (disarmed during an open session, armed with none) is corrected at once.
 *
 * A PONG is only trusted when no ARM/DISARM is in flight: the pad answers frames in order, so a PONG that
 * arrives after the ARM's ACK already reflects it. An ARM the pad refused outright (NAK "unknown type" or
 * "bad payload") is not repeated on every PONG — it would not get better — only on the next HELLO or wish.
 */
import { realClock, type Clock } from '../events.js';
import { PAD_ERRORS } from '../../src/shared/errors/devices.js';
import { isKioskError } from '../../src/shared/errors/kiosk-error.js';

/** What the keeper needs of the pad driver (PadDriver fits). */
export interface ArmablePad {
  arm(sessionId: number, timeoutS: number, prompt: 0 | 1): Promise<void>;
  disarm(sessionId: number): Promise<void>;
  on(event: 'pong', listener: (pong: { armed: boolean }) => void): () => void;
}

interface Wish {
  sessionId: number;
  timeoutS: number;
  prompt: 0 | 1;
  /** Clock time of the kiosk's ARM, so a re-ARM carries the time the session has left. */
  since: number;
}

export class PadArmKeeper {
  #wish: Wish | null = null;
  /** The last session the pad was told to arm: what a DISARM correction names. */
  #lastArmed: number | null = null;
  #inFlight = 0;
  #refused = false;
  readonly #offPong: () => void;

  constructor(
    private readonly pad: ArmablePad,
    private readonly clock: Clock = realClock,
  ) {
    this.#offPong = pad.on('pong', (pong) => this.#onPong(pong.armed));
  }

  /** The session engine armed a session (effect `pad.arm`). */
  arm(sessionId: number, timeoutS: number, prompt: 0 | 1): void {
    this.#wish = { sessionId, timeoutS, prompt, since: this.clock.now() };
    this.#refused = false;
    this.#sendArm();
  }

  /** The session engine disarmed a session (effect `pad.disarm`); an older session's DISARM is still sent. */
  disarm(sessionId: number): void {
    if (this.#wish?.sessionId === sessionId) this.#wish = null;
    this.#sendDisarm(sessionId);
  }

  /** A new HELLO (the pad (re)connected): bring it to the wish before anything else is sent. */
  reassert(): void {
    this.#refused = false;
    if (this.#wish) this.#sendArm();
  }

  stop(): void {
    this.#offPong();
  }

  #onPong(armed: boolean): void {
    if (this.#inFlight > 0) return;
    if (this.#wish && !armed && !this.#refused) this.#sendArm();
    else if (!this.#wish && armed && this.#lastArmed !== null) this.#sendDisarm(this.#lastArmed);
  }

  #sendArm(): void {
    const wish = this.#wish;
    if (!wish) return;
    // The pad's own timeout is what the session has left (at least 1 s), not a fresh full period.
    const elapsedS = (this.clock.now() - wish.since) / 1000;
    const timeoutS = Math.max(1, Math.min(0xffff, Math.ceil(wish.timeoutS - elapsedS)));
    this.#lastArmed = wish.sessionId;
    this.#track(this.pad.arm(wish.sessionId, timeoutS, wish.prompt), (error) => {
      // NAK "unknown type" / "bad payload" (the retransmitter's fatal NAKs) will not get better by repeating.
      if (isKioskError(error) && error.code === PAD_ERRORS.nak.code && this.#wish === wish)
        this.#refused = true;
    });
  }

  #sendDisarm(sessionId: number): void {
    this.#track(this.pad.disarm(sessionId), () => undefined);
  }

  /** Failures are the supervisor's and the next HELLO/PONG's business, never the session's. */
  #track(sent: Promise<void>, onError: (error: unknown) => void): void {
    this.#inFlight += 1;
    sent.then(
      () => (this.#inFlight -= 1),
      (error: unknown) => {
        this.#inFlight -= 1;
        onError(error);
      },
    );
  }
}
