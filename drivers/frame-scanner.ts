/**
 * The resynchronising frame scanner both codecs share (RP/1 and SAM): hunt the sync bytes, read the length,
 * wait for the whole frame, check it; on any failure drop ONE byte and rescan (never flush the buffer);
 * drop a partial frame after a silence (rating-pad-rp1.md "Parsing", id-reader-sam.md "A parser must
 * resynchronise…"). Every byte that does not leave inside a good frame is counted as discarded.
 * Pure apart from the injectable clock; no I/O.
 */
import { realClock, type Clock } from './events.js';

export interface FramingRules {
  readonly sync: readonly number[];
  /** Bytes needed (from the sync) before `frameLength` can be asked. */
  readonly headerBytes: number;
  /** Whole frame length, or -1 when the header is impossible (e.g. LEN over the cap). */
  frameLength(buf: Uint8Array, offset: number): number;
  /** Checksum/CRC of a complete candidate frame. */
  check(buf: Uint8Array, offset: number, length: number): boolean;
  readonly maxFrameBytes: number;
}

export interface ScannerCounters {
  framesOut: number;
  discardedBytes: number;
  /** Complete frames that failed the CRC / checksum. */
  checkErrors: number;
  /** Headers rejected for their length field. */
  lengthRejects: number;
  /** Partial frames dropped after the silence timeout. */
  partialTimeouts: number;
}

export interface ScannerOptions {
  onFrame: (frame: Uint8Array) => void;
  /** Called with each failure, so a driver can count CRC errors as they happen. */
  onCheckError?: () => void;
  onDiscard?: (bytes: number) => void;
  silenceMs: number;
  clock?: Clock;
}

export class FrameScanner {
  readonly counters: ScannerCounters = {
    framesOut: 0,
    discardedBytes: 0,
    checkErrors: 0,
    lengthRejects: 0,
    partialTimeouts: 0,
  };
  #buf: Uint8Array;
  #start = 0;
  #end = 0;
  #lastDataAt = 0;
  #timer: unknown;
  readonly #clock: Clock;

  constructor(
    readonly rules: FramingRules,
    readonly options: ScannerOptions,
  ) {
    this.#clock = options.clock ?? realClock;
    this.#buf = new Uint8Array(Math.max(4096, rules.maxFrameBytes * 2));
  }

  /** Bytes held while waiting for the rest of a frame: always < maxFrameBytes after `push` returns. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  push(chunk: Uint8Array): void {
    const now = this.#clock.now();
    // The timer may not have fired yet (busy loop, fake clock): a stale partial is dropped first.
    if (this.buffered > 0 && now - this.#lastDataAt >= this.options.silenceMs) this.expire();
    this.#lastDataAt = now;
    this.#append(chunk);
    this.#scan();
    this.#armTimer();
  }

  /** Drops a partial frame after silence: one byte at a time, emitting any whole frame found behind it. */
  expire(): void {
    if (this.buffered === 0) return;
    this.counters.partialTimeouts += 1;
    while (this.buffered > 0) {
      this.#discard(1);
      this.#scan();
    }
  }

  /** Stops the silence timer (driver detach). */
  dispose(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #armTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.buffered === 0) return;
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      if (this.buffered > 0 && this.#clock.now() - this.#lastDataAt >= this.options.silenceMs) this.expire();
      else this.#armTimer();
    }, this.options.silenceMs);
  }

  #append(chunk: Uint8Array): void {
    const need = this.buffered + chunk.length;
    if (this.#end + chunk.length > this.#buf.length) {
      const next = need > this.#buf.length ? new Uint8Array(need * 2) : this.#buf;
      next.set(this.#buf.subarray(this.#start, this.#end), 0);
      this.#buf = next;
      this.#end = this.buffered;
      this.#start = 0;
    }
    this.#buf.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  #discard(n: number): void {
    this.#start += n;
    this.counters.discardedBytes += n;
    this.options.onDiscard?.(n);
    if (this.#start === this.#end) this.#start = this.#end = 0;
  }

  #scan(): void {
    const { sync, headerBytes } = this.rules;
    const buf = this.#buf;
    for (;;) {
      // Hunt the sync: skip to the first position where the sync (or a prefix of it, at the tail) matches.
      let p = this.#start;
      const end = this.#end;
      hunt: for (; p < end; p += 1) {
        for (let k = 0; k < sync.length && p + k < end; k += 1) if (buf[p + k] !== sync[k]) continue hunt;
        break;
      }
      if (p > this.#start) this.#discard(p - this.#start);
      if (end - p < headerBytes) return; // wait for the header
      const length = this.rules.frameLength(buf, p);
      if (length < 0) {
        this.counters.lengthRejects += 1;
        this.#discard(1);
        continue;
      }
      if (end - p < length) return; // wait for the whole frame
      if (!this.rules.check(buf, p, length)) {
        this.counters.checkErrors += 1;
        this.options.onCheckError?.();
        this.#discard(1);
        continue;
      }
      const frame = buf.slice(p, p + length);
      // Consumed bytes are zeroed: a card read (name, ID number, photo) must not linger in the buffer.
      buf.fill(0, p, p + length);
      this.#start = p + length;
      if (this.#start === this.#end) this.#start = this.#end = 0;
      this.counters.framesOut += 1;
      this.options.onFrame(frame);
    }
  }
}
