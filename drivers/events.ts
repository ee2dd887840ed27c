/**
 * A small typed event emitter: drivers emit discriminated, typed events (ARCHITECTURE "typed device events")
 * without Node's EventEmitter `error` semantics (an unhandled `error` must never crash the kiosk).
 */
import { reportListenerError } from '../src/shared/listener-errors.js';

export type Listener<T> = (payload: T) => void;

export class TypedEmitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  once<K extends keyof Events>(event: K, listener: Listener<Events[K]>): () => void {
    const off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  off<K extends keyof Events>(event: K, listener: Listener<Events[K]>): void {
    this.#listeners.get(event)?.delete(listener as Listener<never>);
  }

  /** Resolves with the next payload of `event` that passes `filter`, or rejects after `timeoutMs`. */
  next<K extends keyof Events>(
    event: K,
    timeoutMs: number,
    filter: (payload: Events[K]) => boolean = () => true,
  ): Promise<Events[K]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out waiting for ${String(event)}`));
      }, timeoutMs);
      const off = this.on(event, (payload) => {
        if (!filter(payload)) return;
        clearTimeout(timer);
        off();
        resolve(payload);
      });
    });
  }

  /** Calls every listener; answers false when one threw (the pad driver then does not ACK a RATING). */
  protected emit<K extends keyof Events>(event: K, payload: Events[K]): boolean {
    let allHandled = true;
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<Events[K]>)(payload);
      } catch (error) {
        // A listener's bug must not break the driver's read loop (nor crash the kiosk). Reported through
        // the one redacting sink (code and cause only), never console.error with a message that may hold PII.
        allHandled = false;
        reportListenerError(`listener for ${String(event)}`, error);
      }
    }
    return allHandled;
  }
}

/** Injectable clock and timers (parsers' silence timeout, liveness, backoff), so tests can drive time. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
