/**
 * Starts the real kiosk (`src/app/cli.ts`, browser host) as a child process with its own data directory:
 * `startKiosk` in demo mode (`--demo`; a provisioned data dir runs provisioned whatever the flag) and waits
 * for DATA_DIR/demo.json, `startSetupKiosk` without it (setup mode) and waits for DATA_DIR/setup.json.
 * Used by the e2e and crash tests; everything is on loopback.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface DemoInfo {
  uiUrl: string;
  linkUrl: string;
  linkToken: string;
  adminToken: string;
}

export interface KioskProcess {
  child: ChildProcess;
  info: DemoInfo;
  dataDir: string;
  output: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

export function makeDataDir(prefix = 'hcp-kiosk-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Spawns the kiosk's CLI (browser host, no window) on `dataDir`, collecting stdout and stderr. */
function spawnCli(dataDir: string, args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'src', 'app', 'cli.ts'),
      '--data-dir',
      dataDir,
      '--no-window',
      ...args,
    ],
    // PATH keeps socat's folder (/usr/bin): setup-mode tests check instead that no socat child runs.
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DISPLAY: '' } },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/**
 * Waits until the kiosk wrote `file` and printed `banner` (the banner comes after the file is written; the log
 * line before it does not), then answers the file's JSON. A kiosk that exits or takes over 30 s fails the wait.
 */
async function waitForStart<T>(
  child: ChildProcess,
  output: () => string,
  file: string,
  banner: string,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  while (!fs.existsSync(file) || !output().includes(banner)) {
    if (child.exitCode !== null) throw new Error(`kiosk exited with ${child.exitCode}: ${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`kiosk did not start within 30 s: ${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

const stopper = (child: ChildProcess) => async () => {
  child.kill('SIGTERM');
  return waitForExit(child);
};

export async function startKiosk(dataDir: string, extraArgs: string[] = []): Promise<KioskProcess> {
  const demoFile = path.join(dataDir, 'demo.json');
  fs.rmSync(demoFile, { force: true });
  const { child, output } = spawnCli(dataDir, ['--demo', ...extraArgs]);
  const info = await waitForStart<DemoInfo>(child, output, demoFile, '演示模式 demo mode');
  return {
    child,
    info,
    dataDir,
    output,
    stop: stopper(child),
    kill: async () => {
      child.kill('SIGKILL');
      await waitForExit(child);
    },
  };
}

/** Runs the kiosk expecting it to refuse to start; resolves with its exit code and output. */
export function runKioskExpectingFailure(dataDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const { child, output } = spawnCli(dataDir, ['--demo']);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output() });
    });
  });
}

export interface SetupInfo {
  uiUrl: string;
  linkUrl: string;
  deviceId: string;
  fingerprint: string;
  adminTokenFile: string;
}

export interface SetupKioskProcess {
  child: ChildProcess;
  info: SetupInfo;
  /** The setup admin token, read from its 0600 file. */
  adminToken: string;
  dataDir: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/**
 * Starts an unprovisioned kiosk without `--demo` (setup mode) on loopback, and waits for DATA_DIR/setup.json
 * and the 设备待配置 banner.
 */
export async function startSetupKiosk(dataDir: string, extraArgs: string[] = []): Promise<SetupKioskProcess> {
  const setupFile = path.join(dataDir, 'setup.json');
  fs.rmSync(setupFile, { force: true });
  const { child, output } = spawnCli(dataDir, ['--link-host', '127.0.0.1', '--link-port', '0', ...extraArgs]);
  const info = await waitForStart<SetupInfo>(child, output, setupFile, '设备待配置 setup mode');
  return {
    child,
    info,
    adminToken: fs.readFileSync(info.adminTokenFile, 'utf8').trim(),
    dataDir,
    output,
    stop: stopper(child),
  };
}

/** A window-link call with the bearer token; returns status and parsed JSON (or null). */
export async function linkCall(
  info: DemoInfo,
  method: 'GET' | 'POST',
  pathname: string,
  body?: unknown,
  token: string | null = info.linkToken,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(new URL(pathname, info.linkUrl), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json };
}
