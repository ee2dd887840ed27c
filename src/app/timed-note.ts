/**
 * Something the screen shows for a while and then drops by itself: the thanks screen after a rating, the note
 * after a card tap that gave no identity (issue 16). One timer per note, cancelled when the note is shown
 * again or cleared first; `onEnd` runs when it ran out (to publish the view, reset the language…).
 */
export class TimedNote<T extends object> {
  private shown: (T & { until: number }) | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly onEnd: () => void) {}

  /** What shows now, with the epoch ms it shows until, or null. */
  get current(): (T & { until: number }) | null {
    return this.shown;
  }

  show(value: T, now: number, durationMs: number): void {
    this.clear();
    this.shown = { ...value, until: now + durationMs };
    this.timer = setTimeout(() => {
      this.timer = null;
      this.shown = null;
      this.onEnd();
    }, durationMs);
    this.timer.unref?.();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.shown = null;
  }
}
