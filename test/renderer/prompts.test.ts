/**
 * Which prompt sound a screen change plays (renderer/view-model.ts). Domain-rules §5: the clerk hears the
 * kiosk, so the sounds must not tell a 好评 from a 差评.
 */
import { describe, expect, it } from 'vitest';
import { LEVEL_KEYS, isBadLevel } from '../../src/shared/levels.js';
import { audioSettings, promptFor, type ShownState } from '../../renderer/view-model.js';
import { idleView, rateSession } from '../host-browser/scripted-provider.js';

const at = (screen: ShownState['screen'], sessionId: string | null = null): ShownState => ({
  screen,
  sessionId,
});

describe('promptFor', () => {
  it('invites when a session’s rate screen appears, from any other screen or another session', () => {
    for (const from of ['idle', 'thanks', 'paused', 'closed'] as const)
      expect(promptFor(at(from), at('rate', 's1'))).toBe('invite');
    expect(promptFor(null, at('rate', 's1'))).toBe('invite');
    expect(promptFor(at('rate', 's1'), at('rate', 's2'))).toBe('invite');
    expect(promptFor(at('reasons', 's1'), at('rate', 's2'))).toBe('invite');
  });

  it('stays silent on updates of the same session and on the way back from reasons', () => {
    expect(promptFor(at('rate', 's1'), at('rate', 's1'))).toBeNull();
    expect(promptFor(at('reasons', 's1'), at('rate', 's1'))).toBeNull();
    expect(promptFor(at('reasons', 's1'), at('reasons', 's1'))).toBeNull();
  });

  it('plays the same ack for every level: rate → thanks (好评) and rate → reasons (差评)', () => {
    const played = LEVEL_KEYS.map((level) =>
      isBadLevel(level)
        ? promptFor(at('rate', 's1'), at('reasons', 's1'))
        : promptFor(at('rate', 's1'), at('thanks')),
    );
    expect(new Set(played)).toEqual(new Set(['ack']));
  });

  it('plays nothing that only a 差评 produces (reasons → thanks) and nothing on timeouts or pauses', () => {
    expect(promptFor(at('reasons', 's1'), at('thanks'))).toBeNull();
    expect(promptFor(at('rate', 's1'), at('idle'))).toBeNull();
    expect(promptFor(at('reasons', 's1'), at('idle'))).toBeNull();
    expect(promptFor(at('rate', 's1'), at('paused'))).toBeNull();
    expect(promptFor(at('thanks'), at('idle'))).toBeNull();
  });
});

describe('audioSettings', () => {
  it('follows the view, clamps the volume and is silent when the core sends none', () => {
    expect(audioSettings(idleView({ audio: { enabled: true, volume: 0.5 } }))).toEqual({
      enabled: true,
      volume: 0.5,
    });
    expect(audioSettings(idleView({ audio: { enabled: true, volume: 7 } }))).toEqual({
      enabled: true,
      volume: 1,
    });
    expect(audioSettings(idleView({ audio: { enabled: false, volume: 0.5 } })).enabled).toBe(false);
    expect(audioSettings(idleView({ audio: { enabled: true, volume: 0 } })).enabled).toBe(false);
    expect(audioSettings(idleView({ audio: { enabled: true, volume: Number.NaN } })).enabled).toBe(false);
    expect(audioSettings(idleView({ session: rateSession() })).enabled).toBe(false);
  });
});
