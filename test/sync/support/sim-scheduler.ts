/**
 * A simulated clock and timer queue (binary heap) for worker tests and the fleet bench: time only moves
 * when the test says so, and after every timer the microtask queue is drained so promise chains settle.
 */
import type { Timers } from '../../../src/sync/scheduler.js';

interface Entry {
  at: number;
  order: number;
  fn: () => void;
  cancelled: boolean;
}

const drain = () => new Promise<void>((resolve) => setImmediate(resolve));

export class SimScheduler implements Timers {
  private heap: Entry[] = [];
  private order = 0;
  constructor(public nowMs = Date.UTC(2026, 10, 26, 1, 0, 0)) {}

  readonly now = (): number => this.nowMs;

  setTimeout = (fn: () => void, ms: number): unknown => {
    const entry: Entry = {
      at: this.nowMs + Math.max(0, Math.round(ms)),
      order: this.order++,
      fn,
      cancelled: false,
    };
    this.push(entry);
    return entry;
  };

  clearTimeout = (handle: unknown): void => {
    if (handle) (handle as Entry).cancelled = true;
  };

  get pending(): number {
    return this.heap.filter((e) => !e.cancelled).length;
  }

  /** Runs every timer due up to now + ms (in time order), draining microtasks after each. */
  async advance(ms: number): Promise<void> {
    const until = this.nowMs + ms;
    await drain();
    for (;;) {
      const top = this.heap[0];
      if (!top || top.at > until) break;
      this.pop();
      if (top.cancelled) continue;
      this.nowMs = Math.max(this.nowMs, top.at);
      top.fn();
      await drain();
    }
    this.nowMs = until;
  }

  /** Advances in `step` ms increments until `done()` or `maxMs` elapsed; returns whether done. */
  async runUntil(done: () => boolean, maxMs: number, step = 1_000): Promise<boolean> {
    for (let t = 0; t < maxMs; t += step) {
      if (done()) return true;
      await this.advance(step);
    }
    return done();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (!last || h.length === 0) return;
    h[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
