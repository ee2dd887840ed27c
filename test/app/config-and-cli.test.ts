import { describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/app/cli-args.js';
import { demoConfig, type DemoSecrets } from '../../src/app/demo.js';
import { starsFromSatisfaction } from '../../src/app/window-state.js';
import { parseConfig, redactConfig } from '../../src/config/schema.js';

const secrets: DemoSecrets = {
  linkToken: 'l'.repeat(43),
  adminToken: 'a'.repeat(43),
  appMark: 'demo',
  appWord: 'secret-app-word',
  provincePublicKey: '04' + 'ab'.repeat(64),
  provincePrivateKey: 'cd'.repeat(32),
};

describe('configuration schema', () => {
  it('fills every nested default (session, devices, ui) when the sections are left out', () => {
    const config = demoConfig(secrets, 'http://127.0.0.1:1', '127.0.0.1:0');
    expect(config.session).toEqual({
      timeoutSec: 30,
      reasonTimeoutSec: 60,
      responseIntervalSec: 5,
      tooFastMs: 300,
      idBurstPerDay: 10,
      thanksSec: 4,
    });
    expect(config.devices.pad).toEqual({ transport: 'none' });
    expect(config.devices.keyLevels).toEqual([
      'very_satisfied',
      'satisfied',
      'basic',
      'dissatisfied',
      'very_dissatisfied',
    ]);
    expect(config.ui.audio).toEqual({ enabled: true, volume: 0.8 });
    expect(config.province).toMatchObject({
      pf: '5',
      defaultChannel: '7',
      batchSize: 100,
      piiRetentionDays: 0,
    });
  });

  it('refuses out-of-range values with the field path in the error', () => {
    const result = parseConfig({
      ...demoConfig(secrets, 'http://127.0.0.1:1', '127.0.0.1:0'),
      session: { timeoutSec: 5 },
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toContain('session.timeoutSec');
  });

  it('demo overrides are validated by the same schema and refused with E1001 when invalid', () => {
    expect(
      demoConfig(secrets, 'http://127.0.0.1:1', '127.0.0.1:0', { session: { timeoutSec: 10 } }).session
        .timeoutSec,
    ).toBe(10);
    expect(() =>
      demoConfig(secrets, 'http://127.0.0.1:1', '127.0.0.1:0', { session: { timeoutSec: 'soon' } }),
    ).toThrowError(expect.objectContaining({ code: 'E1001' }));
  });

  it('redaction shows secrets only as "set" or "not set"', () => {
    const text = JSON.stringify(redactConfig(demoConfig(secrets, 'http://127.0.0.1:1', '127.0.0.1:0')));
    for (const secret of [secrets.linkToken, secrets.adminToken, secrets.appWord])
      expect(text).not.toContain(secret);
    expect(text).toContain('"appWord":"set"');
  });
});

describe('command line', () => {
  it('reads every option and refuses unknown ones with the list of known options', () => {
    expect(
      parseCliArgs([
        '--data-dir',
        '/d',
        '--no-window',
        '--link-port',
        '7420',
        '--ui-port',
        '0',
        '--demo-config',
        'x.json',
      ]),
    ).toEqual({
      dataDir: '/d',
      noWindow: true,
      linkPort: 7420,
      uiPort: 0,
      demoConfig: 'x.json',
      demo: false,
      linkHost: null,
    });
    expect(parseCliArgs(['--demo', '--link-host', '127.0.0.1'])).toMatchObject({
      demo: true,
      linkHost: '127.0.0.1',
    });
    expect(() => parseCliArgs(['--link-host', 'localhost'])).toThrow(/IP address/);
    expect(() => parseCliArgs(['--verbose'])).toThrow(/known: --data-dir/);
    expect(() => parseCliArgs(['--link-port', '70000'])).toThrow(/0–65535/);
    expect(() => parseCliArgs(['--data-dir'])).toThrow(/needs a directory/);
  });
});

describe('clerk stars', () => {
  it('are withheld below ten ratings and follow the satisfaction rate above', () => {
    expect(starsFromSatisfaction(9, 9)).toBeNull();
    expect(starsFromSatisfaction(100, 99)).toBe(5);
    expect(starsFromSatisfaction(100, 95)).toBe(4);
    expect(starsFromSatisfaction(100, 90)).toBe(3);
    expect(starsFromSatisfaction(100, 80)).toBe(2);
    expect(starsFromSatisfaction(100, 79)).toBe(1);
  });
});
