/**
 * Host → pad reliability (rating-pad-rp1.md "Reliability"): a frame with bit0 set waits for the ACK (same SEQ
 * and TYPE); without it within 100 ms it is sent again with the same SEQ and bit3 set, up to 3 times.
 * One frame in flight at a time.
 */
import { PAD_ERRORS } from '../../src/shared/errors/devices.js';
import { KioskError } from '../../src/shared/errors/kiosk-error.js';
import type { Clock } from '../events.js';
import { FLAG, NAK_REASON, type Rp1Frame } from './rp1-codec.js';

type Outcome = 'ack' | 'nak' | 'busy' | 'fatal-nak' | 'timeout' | 'lost';

export interface RetransmitterDeps {
  clock: Clock;
  ackTimeoutMs: number;
  maxRetransmissions: number;
  onTimeout(): void;
  onNak(reason: number): void;
}

export class Retransmitter {
  #pending: { seq: number; type: number; settle: (o: Outcome) => void } | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RetransmitterDeps) {}

  /** `write(flags)` writes the frame with those FLAGS and this SEQ. */
  send(seq: number, type: number, write: (flags: number) => Promise<void>): Promise<void> {
    const run = this.#chain.then(() => this.#transmit(seq, type, write));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** An ACK or NAK frame from the pad: settles the frame in flight when SEQ and TYPE match. */
  answer(frame: Rp1Frame): void {
    const p = this.#pending;
    if (!p || p.seq !== frame.seq || p.type !== frame.type) return;
    if (frame.flags & FLAG.ack) return p.settle('ack');
    const reason = frame.payload[0] ?? 0;
    this.deps.onNak(reason);
    // CRC and busy are worth a retransmission; an unknown type or bad payload will not get better.
    if (reason === NAK_REASON.busy) return p.settle('busy');
    p.settle(reason === NAK_REASON.crc ? 'nak' : 'fatal-nak');
  }

  /** The link is gone: the frame in flight fails with E4004. */
  abort(): void {
    this.#pending?.settle('lost');
  }

  async #transmit(seq: number, type: number, write: (flags: number) => Promise<void>): Promise<void> {
    const { clock, ackTimeoutMs, maxRetransmissions } = this.deps;
    for (let attempt = 0; attempt <= maxRetransmissions; attempt += 1) {
      const flags = FLAG.ackRequested | (attempt > 0 ? FLAG.retransmission : 0);
      const outcome = await new Promise<Outcome>((resolve) => {
        const timer = clock.setTimeout(() => settle('timeout'), ackTimeoutMs);
        const settle = (o: Outcome) => {
          clock.clearTimeout(timer);
          this.#pending = undefined;
          resolve(o);
        };
        this.#pending = { seq, type, settle };
        write(flags).catch(() => settle('lost'));
      });
      if (outcome === 'ack') return;
      if (outcome === 'lost') throw new KioskError(PAD_ERRORS.linkLost);
      if (outcome === 'fatal-nak') throw new KioskError(PAD_ERRORS.nak);
      if (outcome === 'timeout') this.deps.onTimeout();
      // A busy pad would NAK an immediate repeat too: give it the ACK window before the retransmission
      // (all four attempts used to go out within a few ms, and the ARM was lost to a moment's busyness).
      if (outcome === 'busy' && attempt < maxRetransmissions)
        await new Promise<void>((resolve) => clock.setTimeout(resolve, ackTimeoutMs));
    }
    throw new KioskError(PAD_ERRORS.ackTimeout);
  }
}
