/**
 * RP/1 pad simulator speaking the real bytes (rating-pad-rp1.md): HELLO on open, PONG, ACKs, RATING with a
 * persistent event counter ("non-volatile memory"), retransmission when not ACKed (also after a reconnect),
 * KEY_EVENT, plus faults for tests: garbage, stall, unplug mid-frame.
 */
import {
  createRp1Parser,
  decodeFrame,
  encodeFrame,
  FLAG,
  RP1_VERSION,
  type Rp1Frame,
} from '../pad/rp1-codec.js';
import { decodeMessage, encodeMessage, type Rp1Message } from '../pad/rp1-messages.js';
import { SimLink, type SimLinkOptions } from './sim-link.js';

export interface PadSimOptions {
  serial?: string;
  model?: string;
  firmware?: number;
  proto?: number;
  keyCount?: number;
  /** Persistent event counter: pass the last value to emulate the pad's non-volatile memory. */
  eventCounter?: number;
  ackTimeoutMs?: number;
  log?: (line: string) => void;
}

interface Outgoing {
  bytes: (retransmission: boolean) => Uint8Array;
  seq: number;
  type: number;
  attempts: number;
  timer?: NodeJS.Timeout;
}

export class PadSimulator {
  readonly link: SimLink;
  eventCounter: number;
  armedSession = 0;
  armedAt = 0;
  /** Received host messages, for assertions. */
  readonly received: Rp1Message[] = [];
  #seq = 0;
  #stalledUntil = 0;
  #deafUntil = 0;
  /** Until then every frame asking for an ACK is answered NAK `busy` (4). */
  #busyUntil = 0;
  /** The next frames of these types asking for an ACK are answered NAK with this reason. */
  #nakNext: { type: string; reason: number; count: number } | undefined;
  /** A busy spell that starts when the next frame of this type arrives (so a test need not race the kiosk). */
  #busyOnNext: { type: string; ms: number } | undefined;
  #lastHandled: string | undefined;
  /** RATINGs not yet ACKed: kept across unplugs, like the pad's non-volatile queue. */
  readonly #unacked: Outgoing[] = [];
  readonly #parser = createRp1Parser({ onFrame: (f) => this.#onFrame(decodeFrame(f)) });
  readonly #started = performance.now();

  constructor(
    link: SimLinkOptions,
    readonly options: PadSimOptions = {},
  ) {
    this.link = new SimLink(link);
    this.eventCounter = options.eventCounter ?? 0;
  }

  get kioskPath(): string {
    return this.link.kioskPath;
  }
  get serial(): string {
    return this.options.serial ?? 'SIM-PAD-0001';
  }

  async start(): Promise<void> {
    await this.link.start(
      (bytes) => {
        if (performance.now() >= Math.max(this.#stalledUntil, this.#deafUntil)) this.#parser.push(bytes);
      },
      () => this.#onConnect(),
    );
  }

  async stop(): Promise<void> {
    this.#unacked.forEach((o) => clearTimeout(o.timer));
    this.#parser.dispose();
    await this.link.stop();
  }

  /** A button press: KEY_EVENT down/up and a RATING (ack requested, counter +1). Returns the counter used. */
  press(key: number): number {
    const t = Math.round(performance.now() - this.#started);
    this.#send({ type: 'keyEvent', key, down: true, timestampMs: t });
    this.#send({ type: 'keyEvent', key, down: false, timestampMs: t + 80 });
    this.eventCounter += 1;
    const counter = this.eventCounter;
    const msSinceArm = this.armedAt ? Math.round(performance.now() - this.armedAt) : 0;
    this.#sendReliable({
      type: 'rating',
      sessionId: this.armedSession,
      key,
      eventCounter: counter,
      msSinceArm,
    });
    return counter;
  }

  /** Random bytes that cannot contain a frame (no SYNC byte 0xA5). */
  sendGarbage(n: number): void {
    const bytes = new Uint8Array(n).map(() => Math.floor(Math.random() * 255) ^ 0x5a);
    void this.link.write(bytes.map((b) => (b === 0xa5 ? 0 : b)));
  }

  /** The pad stops listening and answering for `ms` (firmware hang). */
  stall(ms: number): void {
    this.#stalledUntil = performance.now() + ms;
  }

  /**
   * The pad's receive line fails for `ms` while it still transmits: it never hears the kiosk's ACKs, so it
   * keeps its RATINGs queued and replays them after a reconnect (the lost-ACK case of RP/1 "Reliability").
   */
  deafen(ms: number): void {
    this.#deafUntil = performance.now() + ms;
  }

  /**
   * Cuts the cable: the pad loses power, so it comes back disarmed (its ARM lives in RAM), while pending
   * RATINGs and the event counter (non-volatile) stay and are retransmitted after the replug.
   */
  async unplug(): Promise<void> {
    this.#unacked.forEach((o) => clearTimeout(o.timer));
    this.armedSession = 0;
    this.armedAt = 0;
    await this.link.unplug();
  }

  /** A firmware reset without a USB re-enumeration (watchdog, brownout): disarmed, and the link stays up. */
  forgetArm(): void {
    this.armedSession = 0;
    this.armedAt = 0;
  }

  /** Answers every ACK-requested frame with NAK `busy` for `ms`. */
  busy(ms: number): void {
    this.#busyUntil = performance.now() + ms;
  }

  /** From the next ACK-requested frame of `type` on, answers every one with NAK `busy` for `ms`. */
  busyOnNext(type: Rp1Message['type'], ms: number): void {
    this.#busyOnNext = { type, ms };
  }

  /** Answers the next `count` ACK-requested frames of `type` (e.g. 'arm') with NAK `reason`. */
  nakNext(type: Rp1Message['type'], reason: number, count = 1): void {
    this.#nakNext = { type, reason, count };
  }

  /** A press whose RATING is cut after `bytes` bytes by an unplug: the kiosk sees half a frame, then nothing. */
  async pressAndUnplugMidFrame(key: number, bytes = 7): Promise<number> {
    this.eventCounter += 1;
    const counter = this.eventCounter;
    const msg: Rp1Message = {
      type: 'rating',
      sessionId: this.armedSession,
      key,
      eventCounter: counter,
      msSinceArm: 0,
    };
    const out = this.#reliable(msg);
    // Not in the replay queue until the cable is cut, so nothing sends it whole before the unplug.
    this.#unacked.splice(this.#unacked.indexOf(out), 1);
    await this.link.write(out.bytes(false).subarray(0, bytes));
    await new Promise((r) => setTimeout(r, 20));
    await this.unplug();
    this.#unacked.push(out);
    return counter;
  }

  async replug(): Promise<void> {
    await this.link.replug();
  }

  #onConnect(): void {
    this.#lastHandled = undefined;
    this.#send(this.#hello()); // "HELLO … on power-up"
    this.#replayUnacked();
  }

  /** Retransmits what was never ACKed, bit3 set (the kiosk store dedupes on (serial, counter)). */
  #replayUnacked(): void {
    for (const o of this.#unacked) {
      o.attempts = 0;
      this.#transmit(o, true);
    }
  }

  #hello(): Rp1Message {
    return {
      type: 'hello',
      proto: this.options.proto ?? RP1_VERSION,
      firmware: this.options.firmware ?? 0x0102,
      model: this.options.model ?? 'RP1-SIM',
      serial: this.serial,
      keyCount: this.options.keyCount ?? 5,
      capabilities: 0b011,
    };
  }

  #nextSeq(): number {
    this.#seq = (this.#seq + 1) & 0xff;
    return this.#seq;
  }

  #send(msg: Rp1Message, flags = 0, seq = this.#nextSeq()): void {
    const { type, payload } = encodeMessage(msg);
    void this.link.write(encodeFrame({ ver: this.options.proto ?? RP1_VERSION, flags, seq, type, payload }));
  }

  #reliable(msg: Rp1Message): Outgoing {
    const seq = this.#nextSeq();
    const { type, payload } = encodeMessage(msg);
    const o: Outgoing = {
      seq,
      type,
      attempts: 0,
      bytes: (re) =>
        encodeFrame({ flags: FLAG.ackRequested | (re ? FLAG.retransmission : 0), seq, type, payload }),
    };
    this.#unacked.push(o);
    return o;
  }

  #sendReliable(msg: Rp1Message): void {
    this.#transmit(this.#reliable(msg), false);
  }

  /** Up to 3 retransmissions 100 ms apart; then it waits in the queue for the next connection. */
  #transmit(o: Outgoing, retransmission: boolean): void {
    clearTimeout(o.timer);
    if (performance.now() >= this.#stalledUntil) void this.link.write(o.bytes(retransmission));
    o.timer = setTimeout(() => {
      if (!this.#unacked.includes(o) || o.attempts >= 3) return;
      o.attempts += 1;
      this.#transmit(o, true);
    }, this.options.ackTimeoutMs ?? 100);
  }

  #onFrame(frame: Rp1Frame): void {
    if (frame.flags & FLAG.ack) {
      const i = this.#unacked.findIndex((o) => o.seq === frame.seq && o.type === frame.type);
      if (i >= 0) clearTimeout(this.#unacked.splice(i, 1)[0]!.timer);
      return;
    }
    if (frame.flags & FLAG.nak) return;
    const decoded = decodeMessage(frame.type, frame.payload);
    const reply = (flags: number, payload: Uint8Array) =>
      void this.link.write(encodeFrame({ flags, seq: frame.seq, type: frame.type, payload }));
    if (!decoded.ok) {
      if (frame.flags & FLAG.ackRequested) reply(FLAG.nak, Uint8Array.of(decoded.nak));
      return;
    }
    if (frame.flags & FLAG.ackRequested) {
      const nak = this.#nakNext;
      if (nak && nak.type === decoded.message.type && nak.count > 0) {
        nak.count -= 1;
        return reply(FLAG.nak, Uint8Array.of(nak.reason));
      }
      if (this.#busyOnNext?.type === decoded.message.type) {
        this.#busyUntil = performance.now() + this.#busyOnNext.ms;
        this.#busyOnNext = undefined;
      }
      if (performance.now() < this.#busyUntil) return reply(FLAG.nak, Uint8Array.of(4)); // busy
      reply(FLAG.ack, new Uint8Array(0));
      const key = `${frame.seq}:${frame.type}`;
      if (key === this.#lastHandled) return;
      this.#lastHandled = key;
    }
    this.#handle(decoded.message);
  }

  #handle(m: Rp1Message): void {
    this.received.push(m);
    const uptimeS = Math.floor((performance.now() - this.#started) / 1000);
    const status = this.armedSession ? 1 : 0;
    switch (m.type) {
      case 'ping':
        return this.#send({ type: 'pong', uptimeS, status, eventCounter: this.eventCounter });
      case 'helloRequest':
        // A host that asks for HELLO has (re)connected: it may have missed RATINGs sent while it was away.
        this.#send(this.#hello());
        return this.#replayUnacked();
      case 'arm':
        this.armedSession = m.sessionId;
        this.armedAt = performance.now();
        return;
      case 'disarm':
        if (m.sessionId === this.armedSession) this.armedSession = 0;
        return;
      case 'getStatus':
        return this.#send({
          type: 'status',
          uptimeS,
          status,
          eventCounter: this.eventCounter,
          supplyMv: 5000,
          temperatureDeciC: 251,
        });
      default:
        this.options.log?.(`host sent ${m.type}`);
    }
  }
}
