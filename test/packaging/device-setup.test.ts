import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const build = path.join(root, 'build');
const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-device-setup-'));
});
afterEach(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/**
 * Stubs for every command the maintainer scripts use to change the system. They act on files under
 * $HCP_KIOSK_ROOT and log each call, so the scripts run unprivileged against a scratch root.
 */
const STUBS: Record<string, string> = {
  getent: `db="$HCP_KIOSK_ROOT/etc/$1"; [ -f "$db" ] && grep -q "^$2:" "$db"`,
  groupadd: `for a; do name=$a; done; grep -q "^$name:" "$HCP_KIOSK_ROOT/etc/group" && exit 9; echo "$name:x:999:" >> "$HCP_KIOSK_ROOT/etc/group"`,
  useradd: `for a; do name=$a; done; grep -q "^$name:" "$HCP_KIOSK_ROOT/etc/passwd" && exit 9; echo "$name:x:999:999::/var/lib/hcp-kiosk:/usr/sbin/nologin" >> "$HCP_KIOSK_ROOT/etc/passwd"`,
  usermod: `true`,
  chown: `true`,
  udevadm: `true`,
  systemctl: `[ "$1" = is-enabled ] && { [ -f "$HCP_KIOSK_ROOT/enabled" ]; exit $?; }; [ "$1" = enable ] && touch "$HCP_KIOSK_ROOT/enabled"; [ "$1" = disable ] && rm -f "$HCP_KIOSK_ROOT/enabled"; true`,
  'update-alternatives': `true`,
  unshare: `true`,
};

function runScript(name: 'postinst' | 'postrm', ...args: string[]) {
  const rootDir = path.join(scratch, 'root');
  const bin = path.join(scratch, 'stubs');
  fs.mkdirSync(bin, { recursive: true });
  for (const [command, body] of Object.entries(STUBS)) {
    fs.writeFileSync(
      path.join(bin, command),
      `#!/bin/sh\necho "${command} $*" >> "$HCP_KIOSK_ROOT/calls.log"\n${body}\n`,
      { mode: 0o755 },
    );
  }
  return spawnSync('sh', [path.join(build, 'deb', name), ...args], {
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin`, HCP_KIOSK_ROOT: rootDir },
  });
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      const key = path.relative(dir, full);
      if (key === 'calls.log') continue;
      if (entry.isDirectory()) walk(full);
      else out[key] = entry.isSymbolicLink() ? `-> ${fs.readlinkSync(full)}` : fs.readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('the .deb maintainer scripts', () => {
  function prepareRoot(): string {
    const rootDir = path.join(scratch, 'root');
    for (const dir of ['etc', 'run/systemd/system', 'run/udev', 'opt/好差评评价器'])
      fs.mkdirSync(path.join(rootDir, dir), { recursive: true });
    fs.writeFileSync(path.join(rootDir, 'etc/group'), 'root:x:0:\nvideo:x:44:\ninput:x:105:\n');
    fs.writeFileSync(path.join(rootDir, 'etc/passwd'), 'root:x:0:0::/root:/bin/sh\n');
    fs.writeFileSync(path.join(rootDir, 'opt/好差评评价器/chrome-sandbox'), '');
    return rootDir;
  }

  it('postinst creates the kiosk group, user and data folders once, however often it runs', () => {
    const rootDir = prepareRoot();
    const first = runScript('postinst', 'configure', '');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const afterFirst = snapshot(rootDir);
    const second = runScript('postinst', 'configure', '0.1.0');
    expect(second.status).toBe(0);
    expect(snapshot(rootDir)).toEqual(afterFirst);
    expect(afterFirst['etc/group']?.match(/^kiosk:/gm)).toHaveLength(1);
    expect(afterFirst['etc/passwd']?.match(/^kiosk:/gm)).toHaveLength(1);
    expect(fs.statSync(path.join(rootDir, 'var/lib/hcp-kiosk/logs')).isDirectory()).toBe(true);
    const calls = fs.readFileSync(path.join(rootDir, 'calls.log'), 'utf8');
    expect(calls.match(/^groupadd /gm)).toHaveLength(1);
    expect(calls.match(/^useradd /gm)).toHaveLength(1);
    expect(calls.match(/^systemctl enable hcp-kiosk.service/gm)).toHaveLength(1);
    expect(calls.match(/^systemctl start hcp-kiosk.service/gm)).toHaveLength(1);
    expect(calls).toMatch(/^udevadm control --reload-rules/m);
    expect(calls).toMatch(/^usermod -aG video kiosk/m);
  });

  it('postrm removes the service and link but keeps data and user, and can run twice', () => {
    const rootDir = prepareRoot();
    expect(runScript('postinst', 'configure', '').status).toBe(0);
    fs.mkdirSync(path.join(rootDir, 'usr/bin'), { recursive: true });
    fs.symlinkSync('/opt/好差评评价器/hcp-kiosk', path.join(rootDir, 'usr/bin/hcp-kiosk'));
    for (let i = 0; i < 2; i++) {
      const result = runScript('postrm', 'purge');
      expect(result.status).toBe(0);
    }
    expect(fs.existsSync(path.join(rootDir, 'usr/bin/hcp-kiosk'))).toBe(false);
    expect(fs.existsSync(path.join(rootDir, 'enabled'))).toBe(false);
    expect(fs.existsSync(path.join(rootDir, 'var/lib/hcp-kiosk'))).toBe(true);
    expect(fs.readFileSync(path.join(rootDir, 'etc/passwd'), 'utf8')).toMatch(/^kiosk:/m);
  });

  it('postrm leaves everything alone on upgrade', () => {
    const rootDir = prepareRoot();
    expect(runScript('postinst', 'configure', '').status).toBe(0);
    const before = snapshot(rootDir);
    expect(runScript('postrm', 'upgrade', '0.2.0').status).toBe(0);
    expect(snapshot(rootDir)).toEqual(before);
  });

  it('are POSIX sh and contain no brace expansions that electron-builder would take for macros', () => {
    for (const name of ['postinst', 'postrm']) {
      const file = path.join(build, 'deb', name);
      expect(spawnSync('sh', ['-n', file]).status).toBe(0);
      expect(fs.readFileSync(file, 'utf8')).not.toMatch(/\$\{[a-zA-Z]+\}/);
      expect(fs.statSync(file).mode & 0o111).not.toBe(0);
    }
  });
});

describe('the systemd unit', () => {
  const unit = fs.readFileSync(path.join(build, 'hcp-kiosk.service'), 'utf8');

  it('runs the app under cage as the kiosk user and always restarts it', () => {
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/cage .*-- \/opt\/好差评评价器\/hcp-kiosk /m);
    expect(unit).toMatch(/^User=kiosk$/m);
    expect(unit).toMatch(/^Restart=always$/m);
    expect(unit).toMatch(/^StartLimitIntervalSec=0$/m);
    expect(unit).toMatch(/^WantedBy=graphical.target$/m);
    expect(unit).toMatch(/^Environment=XDG_DATA_HOME=\/var\/lib$/m);
  });

  it('has only known sections and Key=Value lines', () => {
    let section = '';
    for (const line of unit.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const header = /^\[(Unit|Service|Install)\]$/.exec(line);
      if (header) section = header[1] ?? '';
      else expect(`${section}:${line}`).toMatch(/^(Unit|Service|Install):[A-Za-z]+=\S/);
    }
  });

  it.runIf(has('systemd-analyze'))('passes systemd-analyze verify (with cage stubbed)', () => {
    const cage = path.join(scratch, 'cage');
    fs.writeFileSync(cage, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const copy = path.join(scratch, 'hcp-kiosk.service');
    fs.writeFileSync(copy, unit.replace('/usr/bin/cage', cage));
    const result = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('the udev rules', () => {
  const text = fs.readFileSync(path.join(build, '99-hcp-kiosk.rules'), 'utf8');
  const rules = text.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const KEY =
    /^(SUBSYSTEMS?|KERNEL|ACTION|DRIVERS?|ATTRS?\{[\w]+\}|ENV\{[\w]+\}|MODE|GROUP|OWNER|SYMLINK|TAG|RUN)(==|!=|\+=|-=|:=|=)"[^"]*"$/;

  it('is made of well-formed key-operator-value pairs that match by VID:PID and assign group kiosk', () => {
    for (const rule of rules) {
      const pairs = rule.split(/,\s*/);
      for (const pair of pairs) expect(pair).toMatch(KEY);
      expect(pairs.some((p) => /idVendor\}=="[0-9a-f]{4}"/.test(p))).toBe(true);
      expect(pairs.some((p) => /idProduct\}=="[0-9a-f]{4}"/.test(p))).toBe(true);
      expect(pairs).toContain('GROUP="kiosk"');
      expect(pairs).toContain('MODE="0660"');
      expect(pairs.some((p) => p.startsWith('SYMLINK+="hcp-'))).toBe(true);
      // Matches use ==, assignments = or +=: a single = in a match key silently matches nothing.
      for (const pair of pairs) {
        if (/^(SUBSYSTEMS?|ATTRS?|ENV)/.test(pair)) expect(pair).toMatch(/==/);
      }
    }
  });

  const verifies = has('udevadm') && spawnSync('udevadm', ['verify', '--help']).status === 0;
  it.runIf(verifies)('passes udevadm verify', () => {
    const result = spawnSync('udevadm', ['verify', path.join(build, '99-hcp-kiosk.rules')], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
  });
});
