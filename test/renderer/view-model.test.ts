import { describe, expect, it } from 'vitest';
import type { KioskView } from '../../src/shared/kiosk-api.js';
import {
  canSubmitReasons,
  clampText,
  countdownSeconds,
  effectiveScreen,
  isStale,
  offeredLanguages,
  reasonText,
  safePhotoSrc,
  safeQrUrl,
  screenKey,
  selectedCodes,
  starCount,
  starSlots,
} from '../../renderer/view-model.js';
import { idleView, rateSession, SAMPLE_REASONS } from '../host-browser/scripted-provider.js';

describe('The countdown', () => {
  it('counts from the main-process clock, not the renderer clock', () => {
    // Deadline 30 s after the view was made, whatever Date.now() says here.
    expect(countdownSeconds(1_000_030_000, 1_000_000_000, 0)).toBe(30);
  });

  it('subtracts the time elapsed since the view arrived and rounds up to whole seconds', () => {
    expect(countdownSeconds(30_000, 0, 1)).toBe(30);
    expect(countdownSeconds(30_000, 0, 1000)).toBe(29);
    expect(countdownSeconds(30_000, 0, 29_001)).toBe(1);
  });

  it('never shows a negative number once the deadline has passed', () => {
    expect(countdownSeconds(30_000, 0, 30_000)).toBe(0);
    expect(countdownSeconds(30_000, 40_000, 0)).toBe(0);
    expect(countdownSeconds(Number.NaN, 0, 0)).toBe(0);
  });

  it('ignores a negative elapsed time from a clock that went backwards', () => {
    expect(countdownSeconds(10_000, 0, -5000)).toBe(10);
  });
});

describe('The 星级 stars', () => {
  it('fills as many of five slots as the rounded star value', () => {
    expect(starSlots(4)).toEqual([true, true, true, true, false]);
    expect(starSlots(3.6)).toEqual([true, true, true, true, false]);
    expect(starCount(5)).toBe(5);
  });

  it('clamps values outside 0–5 and hides stars when there are too few ratings', () => {
    expect(starCount(9)).toBe(5);
    expect(starCount(-1)).toBe(0);
    expect(starSlots(null)).toBeNull();
    expect(starCount(Number.NaN)).toBeNull();
  });
});

describe('Which screen shows', () => {
  it('falls back to idle when a rate or reasons view has no session', () => {
    expect(effectiveScreen(idleView({ screen: 'rate', session: null }))).toBe('idle');
    expect(effectiveScreen(idleView({ screen: 'rate', session: rateSession() }))).toBe('rate');
    expect(effectiveScreen(idleView({ screen: 'paused' }))).toBe('paused');
  });

  it('keeps the screen (and its typed text) across views of the same session and step', () => {
    const a = idleView({
      screen: 'reasons',
      session: rateSession({ step: 'reasons', reasons: SAMPLE_REASONS }),
    });
    const b: KioskView = { ...a, version: 2, now: a.now + 1000, online: false };
    expect(screenKey(b)).toBe(screenKey(a));
  });

  it('rebuilds the screen for a new session, a new level, a new language or a new catalogue', () => {
    const base = idleView({
      screen: 'reasons',
      session: rateSession({ step: 'reasons', chosenLevel: 'dissatisfied', reasons: SAMPLE_REASONS }),
    });
    const session = base.session!;
    const variants: KioskView[] = [
      { ...base, session: { ...session, sessionId: 'sess-0002' } },
      { ...base, session: { ...session, chosenLevel: 'very_dissatisfied' } },
      { ...base, language: 'en' },
      { ...base, session: { ...session, reasons: SAMPLE_REASONS.slice(1) } },
    ];
    for (const variant of variants) expect(screenKey(variant)).not.toBe(screenKey(base));
  });

  it('ignores a view older than the one shown but accepts the same or a newer version', () => {
    const shown = idleView({ version: 5 });
    expect(isStale(idleView({ version: 4 }), shown)).toBe(true);
    expect(isStale(idleView({ version: 5 }), shown)).toBe(false);
    expect(isStale(idleView({ version: 6 }), shown)).toBe(false);
    expect(isStale(idleView({ version: 1 }), null)).toBe(false);
  });
});

describe('The reasons screen', () => {
  it('shows a reason in the UI language and falls back to zh-CN when the catalogue lacks it', () => {
    const [first, second, third] = SAMPLE_REASONS;
    expect(reasonText(first!, 'zh-TW')).toBe('等候時間過長');
    expect(reasonText(second!, 'zh-TW')).toBe('办理时间过长');
    expect(reasonText(third!, 'en')).toBe('态度冷淡或不耐烦');
  });

  it('allows submit only once at least one listed reason is chosen', () => {
    expect(canSubmitReasons(new Set(), SAMPLE_REASONS)).toBe(false);
    expect(canSubmitReasons(new Set(['999']), SAMPLE_REASONS)).toBe(false);
    expect(canSubmitReasons(new Set(['502']), SAMPLE_REASONS)).toBe(true);
  });

  it('sends the chosen codes in catalogue order and drops codes no longer listed', () => {
    expect(selectedCodes(new Set(['521', '999', '501']), SAMPLE_REASONS)).toEqual(['501', '521']);
  });

  it('never sends more text than the session or the host allows', () => {
    expect(clampText('x'.repeat(200), 150)).toHaveLength(150);
    expect(clampText('x'.repeat(200), 40)).toHaveLength(40);
    expect(clampText('x'.repeat(200), 500)).toHaveLength(150);
  });
});

describe('Values from outside', () => {
  it('shows only inline raster photos', () => {
    expect(safePhotoSrc('data:image/jpeg;base64,/9j/4AAQ==')).toBe('data:image/jpeg;base64,/9j/4AAQ==');
    expect(safePhotoSrc('https://evil.example/x.jpg')).toBeNull();
    expect(safePhotoSrc('data:image/svg+xml;base64,PHN2Zz4=')).toBeNull();
    expect(safePhotoSrc('data:image/jpeg;base64,AA" onerror="x')).toBeNull();
  });

  it('draws a QR only for a web address', () => {
    expect(safeQrUrl('https://zwfw.example.gov.cn/r?p=1')).toBe('https://zwfw.example.gov.cn/r?p=1');
    expect(safeQrUrl('javascript:alert(1)')).toBeNull();
    expect(safeQrUrl(null)).toBeNull();
  });

  it('offers only configured languages, in a fixed order, and never none', () => {
    const all = ['zh-CN', 'zh-TW', 'en'] as const;
    expect(offeredLanguages(idleView({ languages: ['en', 'zh-CN'] }), all)).toEqual(['zh-CN', 'en']);
    expect(offeredLanguages(idleView({ languages: [], defaultLanguage: 'zh-TW' }), all)).toEqual(['zh-TW']);
  });
});
