/**
 * buildView: the screen follows window status and session step; the view carries masked identity only and
 * the configured audio settings (config `ui.audio`).
 */
import { describe, expect, it } from 'vitest';
import { demoConfig, type DemoSecrets } from '../../src/app/demo.js';
import { buildView, type ViewInputs } from '../../src/app/view-builder.js';
import { initialWindowState } from '../../src/app/window-state.js';
import type { OpenSession } from '../../src/session/index.js';

const SECRETS: DemoSecrets = {
  linkToken: 'l'.repeat(43),
  adminToken: 'a'.repeat(43),
  appMark: 'demo-device',
  appWord: 'w'.repeat(43),
  provincePublicKey: '04' + '1'.repeat(128),
  provincePrivateKey: '2'.repeat(64),
};

function inputs(change: Partial<ViewInputs> = {}, overrides: Record<string, unknown> = {}): ViewInputs {
  return {
    version: 1,
    now: 1_000_000,
    config: demoConfig(SECRETS, 'http://127.0.0.1:1', '127.0.0.1:0', overrides),
    demo: true,
    online: true,
    language: 'zh-CN',
    largeType: false,
    window: initialWindowState(),
    stars: null,
    session: null,
    sessionProjectNo: null,
    catalogue: {
      version: 'builtin-1',
      reasons: {
        dissatisfied: [{ code: '501', text: { 'zh-CN': '等候时间过长' } }],
        very_dissatisfied: [{ code: '521', text: { 'zh-CN': '态度冷淡' } }],
      },
      textAllowed: true,
      textMax: 150,
    },
    thanksUntil: null,
    ...change,
  };
}

function open(change: Partial<OpenSession> = {}): OpenSession {
  return {
    service: { serviceId: 1, sessionId: 'sess-1', ticketNo: 'A001', padSessionId: 1 },
    openedAt: 999_000,
    step: 'awaiting-rating',
    deadline: 1_030_000,
    level: null,
    citizen: null,
    catalogue: {
      version: 'builtin-1',
      codes: { dissatisfied: ['501'], very_dissatisfied: ['521'] },
      textAllowed: true,
      textMax: 150,
    },
    flags: [],
    firstPressAt: null,
    levelSource: null,
    ...change,
  };
}

describe('buildView', () => {
  it('carries the configured audio settings (default on, 0.8)', () => {
    expect(buildView(inputs()).audio).toEqual({ enabled: true, volume: 0.8 });
    const quiet = buildView(inputs({}, { ui: { audio: { enabled: false, volume: 0.25 } } }));
    expect(quiet.audio).toEqual({ enabled: false, volume: 0.25 });
  });

  it('shows rate for an open session and reasons with the chosen level’s catalogue', () => {
    const rate = buildView(inputs({ session: open() }));
    expect(rate.screen).toBe('rate');
    expect(rate.session?.step).toBe('rate');
    expect(rate.session?.chosenLevel).toBeNull();
    const reasons = buildView(
      inputs({ session: open({ step: 'awaiting-reason', level: 'very_dissatisfied' }) }),
    );
    expect(reasons.screen).toBe('reasons');
    expect(reasons.session?.reasons.map((r) => r.code)).toEqual(['521']);
  });

  it('puts paused and closed before any session, and shows the pause message only when paused', () => {
    const paused = buildView(
      inputs({
        session: open(),
        window: { ...initialWindowState(), status: 'paused', pauseMessage: '午休' },
      }),
    );
    expect(paused).toMatchObject({ screen: 'paused', pauseMessage: '午休', session: null });
    const closed = buildView(
      inputs({ window: { ...initialWindowState(), status: 'closed', pauseMessage: '午休' } }),
    );
    expect(closed).toMatchObject({ screen: 'closed', pauseMessage: null });
  });

  it('shows thanks until thanksUntil, then idle', () => {
    expect(buildView(inputs({ thanksUntil: 1_000_500 })).screen).toBe('thanks');
    expect(buildView(inputs({ thanksUntil: 999_999 })).screen).toBe('idle');
  });

  it('passes only the masked citizen, and the online flag as given', () => {
    const citizen = {
      ref: 'service:1',
      maskedName: '张*',
      maskedId: '4601**********123X',
      ratingsToday: 0,
      source: 'reader' as const,
    };
    const view = buildView(inputs({ session: open({ citizen }), online: false }));
    expect(view.session?.citizen).toEqual({ maskedName: '张*', maskedId: '4601**********123X' });
    expect(view.online).toBe(false);
    expect(JSON.stringify(view)).not.toContain('ratingsToday');
  });
});
