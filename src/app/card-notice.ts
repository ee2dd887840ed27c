/**
 * The on-screen note after a card tap that gave no identity (issue 16): "未能读取证件，请重新放置" for a card
 * that could not be read, "暂不支持此证件" for one of a type the kiosk does not read. Shown for a few
 * seconds on whatever screen the citizen faces, instead of nothing; a good read ends it at once.
 */
import type { CardNoticeKind } from '../shared/kiosk-api.js';

/** Long enough to read twice at a counter, short enough not to linger for the next citizen. */
export const CARD_NOTICE_MS = 5_000;

export class CardNotice {
  private shown: { kind: CardNoticeKind; until: number } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly onEnd: () => void) {}

  /** What the view shows, or null. */
  get current(): { kind: CardNoticeKind; until: number } | null {
    return this.shown;
  }

  show(kind: CardNoticeKind, now: number, durationMs = CARD_NOTICE_MS): void {
    this.clear();
    this.shown = { kind, until: now + durationMs };
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
