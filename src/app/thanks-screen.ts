/**
 * The thanks screen's lifetime: shown for `thanksSec` after a rating, then back to idle in the default
 * language (the next citizen must not inherit the last one's language). One timer, cancelled when a new
 * session opens first.
 */
export class ThanksScreen {
  private until: number | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly onEnd: () => void) {}

  /** Epoch ms until which thanks shows, or null. */
  get shownUntil(): number | null {
    return this.until;
  }

  show(now: number, durationMs: number): void {
    this.clear();
    this.until = now + durationMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.until = null;
      this.onEnd();
    }, durationMs);
    this.timer.unref?.();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.until = null;
  }
}
