/**
 * RP/1 pad driver (rating-pad-rp1.md): HELLO handshake, PING/PONG liveness, reliable host frames with
 * retransmission, ACK + de-dup of pad frames, typed events. The (pad serial, event counter) de-dup across
 * reconnects belongs to the kiosk store: this driver reports every RATING and ACKs it once its listeners
 * have stored it (a RATING they could not store is NAKed busy, so the pad sends it again).
 */
import { PAD_ERRORS } from '../../src/shared/errors/devices.js';
import { KioskError } from '../../src/shared/errors/kiosk-error.js';
import { realClock, TypedEmitter, type Clock } from '../events.js';
import type { FrameScanner } from '../frame-scanner.js';
import { Liveness } from '../liveness.js';
import { DeviceStats } from '../stats.js';
import type {
  PadBuzzer,
  PadDriverOptions,
  PadEvents,
  PadHello,
  PadLed,
  PadRatingEvent,
  PadStatus,
} from './pad-types.js';
import { helloFromMessage } from './pad-types.js';
import type { Transport } from '../transport/transport.js';
import {
  FLAG,
  NAK_REASON,
  RP1_VERSION,
  createRp1Parser,
  decodeFrame,
  encodeFrame,
  majorVersion,
  type Rp1Frame,
} from './rp1-codec.js';
import { Retransmitter } from './retransmitter.js';
import { decodeMessage, encodeMessage, type Rp1Message } from './rp1-messages.js';

export type * from './pad-types.js';

export class PadDriver extends TypedEmitter<PadEvents> {
  readonly stats: DeviceStats;
  readonly #clock: Clock;
  readonly #o: Required<Omit<PadDriverOptions, 'clock' | 'stats'>>;
  #transport: Transport | undefined;
  #parser: FrameScanner | undefined;
  #unsubscribe: Array<() => void> = [];
  #seq = 0;
  #hello: PadHello | undefined;
  #lastHandled: string | undefined;
  #reliable: Retransmitter | undefined;
  #ratingsBeforeHello: Array<Omit<PadRatingEvent, 'padSerial'>> = [];
  #helloWaiter: ((hello: PadHello | KioskError) => void) | undefined;
  readonly #liveness: Liveness;
  #statusWaiter: ((s: PadStatus) => void) | undefined;

  constructor(options: PadDriverOptions = {}) {
    super();
    this.#clock = options.clock ?? realClock;
    this.stats = options.stats ?? new DeviceStats();
    this.#o = {
      pingIntervalMs: options.pingIntervalMs ?? 1000,
      missedPongsLimit: options.missedPongsLimit ?? 3,
      ackTimeoutMs: options.ackTimeoutMs ?? 100,
      maxRetransmissions: options.maxRetransmissions ?? 3,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? 1500,
    };
    this.#liveness = new Liveness(
      this.#clock,
      this.#o.pingIntervalMs,
      this.#o.missedPongsLimit,
      () => void this.#send({ type: 'ping' }).catch(() => undefined),
      () => {
        this.stats.counters.timeouts += 1;
        if (this.#transport) this.#linkLost(this.#transport);
      },
    );
  }

  get hello(): PadHello | undefined {
    return this.#hello;
  }
  get connected(): boolean {
    return this.#transport !== undefined && this.#hello !== undefined;
  }

  /** Takes an open transport, handshakes (HELLO_REQUEST → HELLO) and starts liveness. Rejects with E4002/E4003. */
  async attach(transport: Transport): Promise<PadHello> {
    await this.detach();
    this.#transport = transport;
    this.#hello = undefined;
    this.#lastHandled = undefined; // a new link: the pad's SEQ may have restarted
    this.#parser = createRp1Parser({
      clock: this.#clock,
      onFrame: (bytes) => this.#onFrame(decodeFrame(bytes)),
      onCheckError: () => {
        this.stats.counters.checkErrors += 1;
        this.stats.error(PAD_ERRORS.crcError.code);
      },
      onDiscard: (n) => (this.stats.counters.bytesDiscarded += n),
    });
    this.#unsubscribe = [
      transport.onData((bytes) => this.#parser?.push(bytes)),
      transport.onClose(() => this.#linkLost(transport)),
    ];
    this.emit('state', { state: 'connecting' });
    const result = await new Promise<PadHello | KioskError>((resolve) => {
      const timer = this.#clock.setTimeout(
        () => resolve(new KioskError(PAD_ERRORS.handshakeFailed)),
        this.#o.handshakeTimeoutMs,
      );
      this.#helloWaiter = (r) => {
        this.#clock.clearTimeout(timer);
        resolve(r);
      };
      this.#send({ type: 'helloRequest' }).catch(() => undefined);
    });
    this.#helloWaiter = undefined;
    if (result instanceof KioskError) {
      this.#fail(result.code);
      await this.detach(result.code);
      throw result;
    }
    this.stats.connected();
    this.emit('state', { state: 'connected' });
    this.#liveness.start();
    return result;
  }

  /** Stops liveness and closes the transport; reports `disconnected` once. */
  async detach(code?: string): Promise<void> {
    const transport = this.#transport;
    if (!transport) return;
    this.#transport = undefined;
    this.#unsubscribe.forEach((off) => off());
    this.#parser?.dispose();
    this.#liveness.stop();
    this.#reliable?.abort();
    this.#hello = undefined;
    this.stats.disconnected();
    this.emit('state', code ? { state: 'disconnected', code } : { state: 'disconnected' });
    await transport.close().catch(() => undefined);
  }

  arm(sessionId: number, timeoutS: number, prompt: 0 | 1 = 0): Promise<void> {
    return this.#sendReliable({ type: 'arm', sessionId, timeoutS, prompt });
  }
  disarm(sessionId: number): Promise<void> {
    return this.#sendReliable({ type: 'disarm', sessionId });
  }
  setLed(led: PadLed): Promise<void> {
    return this.#sendReliable({ type: 'setLed', ...led });
  }
  buzzer(b: PadBuzzer): Promise<void> {
    return this.#sendReliable({ type: 'buzzer', ...b });
  }
  getStatus(timeoutMs = 500): Promise<PadStatus> {
    return new Promise((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        this.stats.counters.timeouts += 1;
        reject(new KioskError(PAD_ERRORS.ackTimeout, 'no STATUS'));
      }, timeoutMs);
      this.#statusWaiter = (s) => {
        this.#clock.clearTimeout(timer);
        resolve(s);
      };
      this.#send({ type: 'getStatus' }).catch(reject);
    });
  }

  #send(msg: Rp1Message, flags = 0, seq = this.#nextSeq()): Promise<void> {
    const { type, payload } = encodeMessage(msg);
    return this.#write(encodeFrame({ flags, seq, type, payload }));
  }

  #write(bytes: Uint8Array): Promise<void> {
    const transport = this.#transport;
    if (!transport) return Promise.reject(new KioskError(PAD_ERRORS.linkLost));
    this.stats.counters.framesOut += 1;
    return transport.write(bytes);
  }

  #nextSeq(): number {
    this.#seq = (this.#seq + 1) & 0xff; // "per sender, wraps 255 → 0"
    return this.#seq;
  }

  /** Reliable send (see retransmitter.ts); a failure after three retransmissions is reported as E4007. */
  async #sendReliable(msg: Rp1Message): Promise<void> {
    const seq = this.#nextSeq();
    this.#reliable ??= new Retransmitter({
      clock: this.#clock,
      ackTimeoutMs: this.#o.ackTimeoutMs,
      maxRetransmissions: this.#o.maxRetransmissions,
      onTimeout: () => (this.stats.counters.timeouts += 1),
      onNak: (reason) => {
        this.stats.counters.naks += 1;
        this.#fail(PAD_ERRORS.nak.code, `reason ${reason}`);
      },
    });
    try {
      await this.#reliable.send(seq, encodeMessage(msg).type, (flags) => this.#send(msg, flags, seq));
    } catch (error) {
      if (error instanceof KioskError && error.code === PAD_ERRORS.ackTimeout.code) this.#fail(error.code);
      throw error;
    }
  }

  #onFrame(frame: Rp1Frame): void {
    this.stats.frameIn();
    this.#liveness.alive(); // any good frame proves the link
    if (majorVersion(frame.ver) !== majorVersion(RP1_VERSION)) {
      this.#helloWaiter?.(new KioskError(PAD_ERRORS.versionUnsupported));
      return;
    }
    if (frame.flags & (FLAG.ack | FLAG.nak)) return this.#reliable?.answer(frame);
    const decoded = decodeMessage(frame.type, frame.payload);
    const wantsAck = (frame.flags & FLAG.ackRequested) !== 0;
    if (!decoded.ok) {
      if (wantsAck) this.#reply(frame, FLAG.nak, Uint8Array.of(decoded.nak));
      return;
    }
    if (wantsAck) {
      // A repeat of the (SEQ, TYPE) handled last is dropped, but still ACKed.
      const key = `${frame.seq}:${frame.type}`;
      if (key === this.#lastHandled) return this.#reply(frame, FLAG.ack, new Uint8Array(0));
      if (decoded.message.type === 'rating') {
        // Commit first, then ACK (issue 15 item 7): the listeners store the rating synchronously, well
        // inside the 100 ms. A RATING none of them could store is NAKed `busy`, so the pad keeps it and sends
        // it again (retransmission, or replay after a reconnect); the store's (pad serial, event counter)
        // de-duplication makes a replay of one that was stored harmless.
        if (!this.#handleRating(decoded.message, frame)) {
          return this.#reply(frame, FLAG.nak, Uint8Array.of(NAK_REASON.busy));
        }
        this.#lastHandled = key;
        return this.#reply(frame, FLAG.ack, new Uint8Array(0));
      }
      this.#reply(frame, FLAG.ack, new Uint8Array(0));
      this.#lastHandled = key;
    }
    this.#handle(decoded.message, frame);
  }

  /** Reports a RATING; false when a listener could not take it (its commit failed), so it is not ACKed. */
  #handleRating(m: Extract<Rp1Message, { type: 'rating' }>, frame: Rp1Frame): boolean {
    const r = {
      eventCounter: m.eventCounter,
      padSessionId: m.sessionId,
      key: m.key,
      msSinceArm: m.msSinceArm,
      retransmitted: (frame.flags & FLAG.retransmission) !== 0,
    };
    if (this.#hello) return this.emit('rating', { padSerial: this.#hello.serial, ...r });
    // A pad may replay a stored RATING before answering HELLO_REQUEST: hold it until we know its serial.
    if (this.#ratingsBeforeHello.length < 16) this.#ratingsBeforeHello.push(r);
    return true;
  }

  #reply(frame: Rp1Frame, flag: number, payload: Uint8Array): void {
    this.#write(encodeFrame({ flags: flag, seq: frame.seq, type: frame.type, payload })).catch(
      () => undefined,
    );
  }

  #handle(m: Rp1Message, frame: Rp1Frame): void {
    switch (m.type) {
      case 'hello': {
        if (majorVersion(m.proto) !== majorVersion(RP1_VERSION)) {
          this.#helloWaiter?.(new KioskError(PAD_ERRORS.versionUnsupported));
          return;
        }
        const hello = helloFromMessage(m);
        this.#hello = hello;
        this.emit('hello', hello);
        this.#helloWaiter?.(hello);
        for (const r of this.#ratingsBeforeHello.splice(0))
          this.emit('rating', { padSerial: hello.serial, ...r });
        return;
      }
      case 'rating':
        // A RATING sent without ack requested (not RP/1, but tolerated): reported all the same.
        this.#handleRating(m, frame);
        return;
      case 'keyEvent':
        this.emit('key', { key: m.key, down: m.down, at: Date.now(), padMs: m.timestampMs });
        return;
      case 'pong':
        // The kiosk's arm keeper compares the pad's armed bit with the open session (issue 16).
        this.emit('pong', { status: m.status, armed: (m.status & 1) !== 0, at: this.#clock.now() });
        return;
      case 'status':
        this.#statusWaiter?.(m);
        this.#statusWaiter = undefined;
        this.emit('status', m);
        return;
      case 'error':
        return this.#fail(PAD_ERRORS.padError.code, `pad error ${m.code}`);
      default:
        return; // host → pad messages echoed back are ignored
    }
  }

  #linkLost(transport: Transport): void {
    if (this.#transport !== transport) return;
    this.#helloWaiter?.(new KioskError(PAD_ERRORS.linkLost));
    this.#fail(PAD_ERRORS.linkLost.code);
    void this.detach(PAD_ERRORS.linkLost.code);
  }

  #fail(code: string, detail?: string): void {
    this.stats.error(code);
    this.emit('error', detail ? { code, detail } : { code });
  }
}
