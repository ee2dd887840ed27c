import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { attachCrashGuard, createCrashGuard, PAUSED_URL } from '../../src/host/electron/crash-guard.js';

const MIN = 60_000;

describe('the renderer crash guard', () => {
  it('reloads three times within five minutes, then pauses on the fourth crash', () => {
    let now = 0;
    const guard = createCrashGuard({ now: () => now });
    expect(guard.onRendererGone('crashed')).toBe('reload');
    now += MIN;
    expect(guard.onRendererGone('oom')).toBe('reload');
    now += MIN;
    expect(guard.onRendererGone('crashed')).toBe('reload');
    now += MIN;
    expect(guard.onRendererGone('crashed')).toBe('pause');
    expect(guard.diagnostics()).toMatchObject({
      paused: true,
      pausedSince: 3 * MIN,
      rendererGone: 4,
      lastReason: 'crashed',
    });
  });

  it('forgets crashes older than five minutes, so occasional crashes never pause the kiosk', () => {
    let now = 0;
    const guard = createCrashGuard({ now: () => now });
    for (let i = 0; i < 20; i++) {
      expect(guard.onRendererGone('crashed')).toBe('reload');
      now += 2 * MIN;
    }
    expect(guard.diagnostics().paused).toBe(false);
  });

  it('shows the paused page again when it crashes while paused, and resumes after thirty quiet minutes', () => {
    let now = 0;
    const guard = createCrashGuard({ now: () => now });
    for (let i = 0; i < 3; i++) guard.onRendererGone('crashed');
    expect(guard.onRendererGone('crashed')).toBe('pause');
    now += 10 * MIN;
    expect(guard.onRendererGone('crashed')).toBe('repaint-paused');
    now += 29 * MIN;
    expect(guard.tick()).toBe('none');
    now += MIN;
    expect(guard.tick()).toBe('resume');
    expect(guard.diagnostics()).toMatchObject({ paused: false, recentReloads: 0 });
    expect(guard.onRendererGone('crashed')).toBe('reload');
  });

  it('is resumed by hand from the diagnostics screen', () => {
    const guard = createCrashGuard({ now: () => 0, maxReloads: 0, autoResumeMs: 0 });
    expect(guard.onRendererGone('crashed')).toBe('pause');
    expect(guard.tick()).toBe('none');
    guard.resume();
    expect(guard.diagnostics().paused).toBe(false);
  });

  it('wired to a window, reloads, then loads app://kiosk/paused.html and reports the state', () => {
    let now = 0;
    const contents = Object.assign(new EventEmitter(), { reload: vi.fn() });
    const window = {
      webContents: contents,
      isDestroyed: () => false,
      loadURL: vi.fn(() => Promise.resolve()),
    };
    const states: boolean[] = [];
    let tick: () => void = () => undefined;
    const detach = attachCrashGuard(window as never, {
      guard: createCrashGuard({ now: () => now }),
      appUrl: 'app://kiosk/index.html',
      log: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
      onStateChange: (d) => states.push(d.paused),
      setInterval: (callback) => {
        tick = callback;
        return {};
      },
      clearInterval: () => undefined,
    });
    for (let i = 0; i < 4; i++)
      contents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    expect(contents.reload).toHaveBeenCalledTimes(3);
    expect(window.loadURL).toHaveBeenCalledWith(PAUSED_URL);
    expect(PAUSED_URL).toBe('app://kiosk/paused.html');
    now += 31 * MIN;
    tick();
    expect(window.loadURL).toHaveBeenLastCalledWith('app://kiosk/index.html');
    expect(states).toEqual([true, false]);
    detach();
    expect(contents.listenerCount('render-process-gone')).toBe(0);
  });
});
