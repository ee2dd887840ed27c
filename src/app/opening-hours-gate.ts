/**
 * Opening hours (config.openingHours, Beijing time, periods may cross midnight) close the window: outside
 * them the screen shows closed and no session opens. Checked every 30 s, on every service completion and on
 * a configuration change, so the window closes and reopens on time without any event from the hall.
 */
import type { OpeningPeriod } from '../ops/opening-hours.js';
import { isOpenAt } from '../ops/opening-hours.js';

export class OpeningHoursGate {
  private closedNow = false;
  private readonly timer: NodeJS.Timeout;

  /** `onChange` runs whenever the gate opens or closes (feed the engine, publish the view). Starts open: call `refresh()` once the owner is wired. */
  constructor(
    private readonly hours: () => readonly OpeningPeriod[],
    private readonly now: () => number,
    private readonly onChange: () => void,
  ) {
    this.timer = setInterval(() => this.refresh(), 30_000);
    this.timer.unref();
  }

  /** True outside the configured hours (never when none are configured). */
  get closed(): boolean {
    return this.closedNow;
  }

  refresh(): void {
    const hours = this.hours();
    const closed = hours.length > 0 && !isOpenAt(hours, this.now());
    if (closed === this.closedNow) return;
    this.closedNow = closed;
    this.onChange();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
