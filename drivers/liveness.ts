/**
 * PING/PONG liveness (rating-pad-rp1.md "Liveness": PING every 1 s, three missing PONGs = link down).
 * Needed because a vanished serial device can leave serialport 13 reading 0 bytes forever instead of
 * closing (device quirk): only a missing answer reveals the dead link.
 */
import type { Clock } from './events.js';

export class Liveness {
  #timer: unknown;
  #awaiting = false;
  #missed = 0;
  #running = false;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
    private readonly limit: number,
    private readonly ping: () => void,
    private readonly dead: () => void,
  ) {}

  start(): void {
    this.stop();
    this.#running = true;
    this.#awaiting = false;
    this.#missed = 0;
    this.#schedule();
  }

  stop(): void {
    this.#running = false;
    if (this.#timer !== undefined) this.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Any good frame from the device counts as an answer. */
  alive(): void {
    this.#awaiting = false;
    this.#missed = 0;
  }

  #schedule(): void {
    this.#timer = this.clock.setTimeout(() => {
      if (!this.#running) return;
      if (this.#awaiting) this.#missed += 1;
      if (this.#missed >= this.limit) {
        this.stop();
        this.dead();
        return;
      }
      this.#awaiting = true;
      this.ping();
      this.#schedule();
    }, this.intervalMs);
  }
}
