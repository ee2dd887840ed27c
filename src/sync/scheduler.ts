/** Injectable clock and timers, so the worker runs under fake timers and in the fleet simulation. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** One named timer slot: re-arming replaces the previous timer. */
export class TimerSlot {
  private handle: unknown = null;
  constructor(private readonly timers: Timers) {}

  arm(fn: () => void, ms: number): void {
    this.clear();
    this.handle = this.timers.setTimeout(
      () => {
        this.handle = null;
        fn();
      },
      Math.max(0, ms),
    );
  }

  clear(): void {
    if (this.handle !== null) this.timers.clearTimeout(this.handle);
    this.handle = null;
  }

  get armed(): boolean {
    return this.handle !== null;
  }
}
