/**
 * SAM ID reader driver (id-reader-sam.md "Session"): poll cycle SAM status → find (about once a second) →
 * select → read. A card serial is "already read" until find answers 80 again (some readers will not read
 * the same card twice in a row). A reply timeout closes the link (E5008) so the supervisor reopens it:
 * a vanished serial device may otherwise read 0 bytes forever (device quirk).
 */
import { READER_ERRORS } from '../../src/shared/errors/devices.js';
import { KioskError } from '../../src/shared/errors/kiosk-error.js';
import { realClock, TypedEmitter, type Clock } from '../events.js';
import type { FrameScanner } from '../frame-scanner.js';
import { DeviceStats, type DeviceStateEvent } from '../stats.js';
import type { Transport } from '../transport/transport.js';
import type { CardIdentity } from './identity.js';
import { maskIdNumber } from './mask.js';
import {
  SW3,
  SW3_MEANING,
  createSamParser,
  decodeReply,
  encodeRequest,
  formatSamId,
  takeTextBlock,
  type SamCommand,
  type SamReply,
} from './sam-codec.js';
import { decodeTextBlock } from './text-block.js';

export interface ReaderEvents {
  card: { identity: CardIdentity; at: number };
  /** The card left the field (find answered 80 after a read). */
  removed: { at: number };
  sam: { samId: string };
  state: DeviceStateEvent;
  error: { code: string; detail?: string };
}

export interface ReaderDriverOptions {
  clock?: Clock;
  stats?: DeviceStats;
  pollIntervalMs?: number;
  replyTimeoutMs?: number;
  /** The text+photo reply is 1295 bytes: 113 ms at 115200 baud, 1.35 s at 9600. */
  readTimeoutMs?: number;
  /** false: no poll loop (tests, bench call `readOnce`). */
  autoPoll?: boolean;
  /**
   * The SAM id request at attach is tried this many times, `attachTimeoutMs` apart: a reader that has just
   * reappeared can miss the first request (its port was not yet open when the kiosk wrote; the socat pty of
   * the simulator and a USB-CDC reader still enumerating both do), and a whole reply timeout plus the
   * supervisor's backoff would break the 1 s replug-to-handshake bound (issue 16).
   */
  attachAttempts?: number;
  attachTimeoutMs?: number;
}

/** SW3 → error code; undefined for the normal answers. */
export function codeForSw3(sw3: number): string | undefined {
  if (sw3 === SW3.success || sw3 === SW3.cardFound || sw3 === SW3.noCard || sw3 === SW3.noContent)
    return undefined;
  if (sw3 === SW3.samSelfTest) return READER_ERRORS.samSelfTest.code;
  if (sw3 === SW3.samNotAuthorised) return READER_ERRORS.samNotAuthorised.code;
  if (sw3 === SW3.unknownCardType) return READER_ERRORS.unknownCardType.code;
  if ([0x41, 0x47, 0x31, 0x32, 0x33, 0x81].includes(sw3)) return READER_ERRORS.readFailed.code;
  return READER_ERRORS.status.code;
}

export class ReaderDriver extends TypedEmitter<ReaderEvents> {
  readonly stats: DeviceStats;
  samId: string | undefined;
  readonly #clock: Clock;
  readonly #o: Required<Omit<ReaderDriverOptions, 'clock' | 'stats'>>;
  #transport: Transport | undefined;
  #parser: FrameScanner | undefined;
  #off: Array<() => void> = [];
  #waiter: ((reply: SamReply | KioskError) => void) | undefined;
  #lastSerial: string | undefined;
  #lastStatusCode: string | undefined;
  #pollTimer: unknown;

  constructor(options: ReaderDriverOptions = {}) {
    super();
    this.#clock = options.clock ?? realClock;
    this.stats = options.stats ?? new DeviceStats();
    this.#o = {
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      replyTimeoutMs: options.replyTimeoutMs ?? 500,
      readTimeoutMs: options.readTimeoutMs ?? 2000,
      autoPoll: options.autoPoll ?? true,
      attachAttempts: options.attachAttempts ?? 3,
      attachTimeoutMs: options.attachTimeoutMs ?? 250,
    };
  }

  get connected(): boolean {
    return this.#transport !== undefined;
  }

  /** Takes an open transport, checks the SAM and reads its id, then starts polling. */
  async attach(transport: Transport): Promise<{ samId: string }> {
    await this.detach();
    this.#transport = transport;
    this.#lastSerial = undefined;
    this.#parser = createSamParser({
      clock: this.#clock,
      onFrame: (frame) => {
        this.stats.frameIn();
        const reply = decodeReply(frame);
        frame.fill(0); // the reply holds a copy; the raw frame (text and photo) is wiped at once
        if (reply) this.#waiter?.(reply);
      },
      onCheckError: () => {
        this.stats.counters.checkErrors += 1;
        // The corrupted frame was the reply we wait for: fail this command now rather than time out.
        this.#report(READER_ERRORS.checksum.code);
        this.#waiter?.(new KioskError(READER_ERRORS.checksum));
      },
      onDiscard: (n) => (this.stats.counters.bytesDiscarded += n),
    });
    this.#off = [
      transport.onData((bytes) => this.#parser?.push(bytes)),
      transport.onClose(() => this.#lost(transport, READER_ERRORS.linkLost.code)),
    ];
    this.emit('state', { state: 'connecting' });
    try {
      const id = await this.#readSamIdAtAttach();
      this.samId = id.sw3 === SW3.success ? formatSamId(id.data) : undefined;
    } catch (error) {
      const code = error instanceof KioskError ? error.code : READER_ERRORS.openFailed.code;
      this.#report(code);
      await this.detach(code);
      throw error;
    }
    this.stats.connected();
    this.emit('state', { state: 'connected' });
    if (this.samId) this.emit('sam', { samId: this.samId });
    if (this.#o.autoPoll) this.#schedule(0);
    return { samId: this.samId ?? '' };
  }

  async detach(code?: string): Promise<void> {
    const transport = this.#transport;
    if (!transport) return;
    this.#transport = undefined;
    this.#off.forEach((off) => off());
    this.#parser?.dispose();
    this.#clock.clearTimeout(this.#pollTimer);
    this.#waiter?.(new KioskError(READER_ERRORS.timeout, 'link closed'));
    this.stats.disconnected();
    this.emit('state', code ? { state: 'disconnected', code } : { state: 'disconnected' });
    await transport.close().catch(() => undefined);
  }

  /** The first request on a fresh link, retried on a timeout only (see `attachAttempts`). */
  async #readSamIdAtAttach(): Promise<SamReply> {
    for (let attempt = 1; ; attempt += 1) {
      const last = attempt >= this.#o.attachAttempts;
      try {
        return await this.#command('readSamId', last ? this.#o.replyTimeoutMs : this.#o.attachTimeoutMs);
      } catch (error) {
        const timedOut = error instanceof KioskError && error.code === READER_ERRORS.timeout.code;
        if (last || !timedOut || !this.#transport) throw error;
      }
    }
  }

  /**
   * One poll cycle. Resolves with the identity read, or null (no card, same card, SAM or card error,
   * each reported as an `error` event). Rejects only when the link is unusable (timeout: E5008).
   */
  async readOnce(): Promise<CardIdentity | null> {
    const status = await this.#command('samStatus');
    if (status.sw3 !== SW3.success) return this.#statusProblem(status.sw3);
    this.#lastStatusCode = undefined;
    const find = await this.#command('findCard');
    if (find.sw3 === SW3.noCard) {
      if (this.#lastSerial !== undefined) this.emit('removed', { at: Date.now() });
      this.#lastSerial = undefined;
      return null;
    }
    if (find.sw3 !== SW3.cardFound) return this.#statusProblem(find.sw3);
    const select = await this.#command('selectCard');
    if (select.sw3 !== SW3.success) return this.#statusProblem(select.sw3);
    const serial = Buffer.from(select.data).toString('hex');
    if (serial === this.#lastSerial) return null; // already read: wait until find answers 80
    const read = await this.#command('readText', this.#o.readTimeoutMs);
    if (read.sw3 !== SW3.success) return this.#statusProblem(read.sw3);
    this.#lastSerial = serial;
    const text = takeTextBlock(read);
    if (!text) return this.#report(READER_ERRORS.readFailed.code, 'short read reply');
    const decoded = decodeTextBlock(text);
    text.fill(0);
    if (!decoded.ok) return this.#report(decoded.code, decoded.reason);
    this.emit('card', { identity: decoded.identity, at: Date.now() });
    return decoded.identity;
  }

  #schedule(ms: number): void {
    this.#pollTimer = this.#clock.setTimeout(() => {
      const transport = this.#transport;
      if (!transport) return;
      this.readOnce().then(
        () => this.#schedule(this.#o.pollIntervalMs),
        (error: unknown) => {
          const code = error instanceof KioskError ? error.code : READER_ERRORS.timeout.code;
          if (code === READER_ERRORS.checksum.code) return this.#schedule(this.#o.pollIntervalMs);
          this.#lost(transport, code);
        },
      );
    }, ms);
  }

  #command(name: SamCommand, timeoutMs = this.#o.replyTimeoutMs): Promise<SamReply> {
    const transport = this.#transport;
    if (!transport) return Promise.reject(new KioskError(READER_ERRORS.timeout, 'not attached'));
    return new Promise<SamReply>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        this.stats.counters.timeouts += 1;
        settle(new KioskError(READER_ERRORS.timeout));
      }, timeoutMs);
      const settle = (r: SamReply | KioskError) => {
        this.#clock.clearTimeout(timer);
        this.#waiter = undefined;
        if (r instanceof KioskError) reject(r);
        else resolve(r);
      };
      this.#waiter = settle;
      this.stats.counters.framesOut += 1;
      transport
        .write(encodeRequest(name))
        .catch(() => settle(new KioskError(READER_ERRORS.linkLost, 'write failed')));
    });
  }

  /** SAM-level problems (60, 66, …) are reported once per change, not every poll. */
  #statusProblem(sw3: number): null {
    const code = codeForSw3(sw3) ?? READER_ERRORS.status.code;
    const samLevel = code === READER_ERRORS.samSelfTest.code || code === READER_ERRORS.samNotAuthorised.code;
    if (samLevel && code === this.#lastStatusCode) return null;
    if (samLevel) this.#lastStatusCode = code;
    return this.#report(code, `SW3 ${sw3.toString(16)} ${SW3_MEANING[sw3] ?? ''}`.trim());
  }

  #report(code: string, detail?: string): null {
    this.stats.error(code);
    this.emit('error', detail ? { code, detail } : { code });
    return null;
  }

  #lost(transport: Transport, code: string): void {
    if (this.#transport !== transport) return;
    this.#report(code);
    void this.detach(code);
  }
}

/**
 * What the citizen is told when a tapped card gave no identity (issue 16): a card that could not be read
 * (SW3 41/47/31/32/33, a short reply, a failed check digit) is worth tapping again; an unknown type is not.
 * SAM and link problems are the technician's (diagnostics), not the citizen's.
 */
export function cardProblemOf(code: string): 'unreadable' | 'unsupported' | null {
  if (code === READER_ERRORS.readFailed.code || code === READER_ERRORS.checkDigit.code) return 'unreadable';
  if (code === READER_ERRORS.unknownCardType.code) return 'unsupported';
  return null;
}

/** For logs and diagnostics: the identity with every PII field masked or dropped. */
export function describeCardForLog(identity: CardIdentity): string {
  return `${identity.cardType} ${maskIdNumber(identity.certKey)}`;
}
