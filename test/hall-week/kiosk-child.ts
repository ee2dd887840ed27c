/**
 * One real kiosk process (`src/app/cli.ts`, browser host, no window) on the scenario clock: the first boot of
 * an unprovisioned device (setup mode, provisioned over `POST /v1/admin/provision` as a hall manager does),
 * and every later start of the provisioned kiosk. A sibling of test/support/kiosk-process.ts, which starts
 * demo kiosks.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, waitForExit } from '../support/kiosk-process.js';
import { until } from '../support/polling.js';
import type { ScenarioClock } from './sim-clock.js';

export interface KioskChild {
  child: ChildProcess;
  uiUrl: string;
  linkUrl: string;
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL (a power cut) and wait until the process is gone. */
  kill(): Promise<void>;
}

/** The most a start may take in real time (node + tsx + the kiosk, two at once on a loaded 2-core machine). */
const START_TIMEOUT_MS = 60_000;
const OUTPUT_KEPT = 200_000;

function spawnKiosk(
  dataDir: string,
  clock: ScenarioClock,
  extraArgs: string[],
): { child: ChildProcess; output: () => string } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(ROOT, 'src', 'app', 'cli.ts'),
      '--data-dir',
      dataDir,
      '--no-window',
      ...extraArgs,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DISPLAY: '', ...clock.childEnv() },
    },
  );
  clock.track(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > OUTPUT_KEPT) output = output.slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

function handle(child: ChildProcess, output: () => string, uiUrl: string, linkUrl: string): KioskChild {
  return {
    child,
    uiUrl,
    linkUrl,
    output,
    stop: async () => {
      child.kill('SIGTERM');
      return waitForExit(child);
    },
    kill: async () => {
      child.kill('SIGKILL');
      await waitForExit(child);
    },
  };
}

async function waitForOutput(
  child: ChildProcess,
  output: () => string,
  pattern: RegExp,
  what: string,
): Promise<RegExpMatchArray> {
  return until(
    what,
    () => {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(
          `kiosk exited (${child.exitCode ?? child.signalCode}) before ${what}:\n${output().slice(-4000)}`,
        );
      return output().match(pattern);
    },
    START_TIMEOUT_MS,
  ).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}\n${output().slice(-4000)}`);
  });
}

const UI_LINE = /UI:\s+(http:\/\/127\.0\.0\.1:\d+\/#s=[A-Za-z0-9_-]+)/;
const LINK_LINE = /window link:\s+(http:\/\/[\d.]+:\d+)/;

/** A provisioned kiosk start: resolves once it printed `hcp-kiosk ready` with its UI and link URLs. */
export async function startProvisionedKiosk(dataDir: string, clock: ScenarioClock): Promise<KioskChild> {
  const { child, output } = spawnKiosk(dataDir, clock, []);
  await waitForOutput(
    child,
    output,
    /hcp-kiosk ready[\s\S]*window link:\s+\S+/,
    'the provisioned kiosk to be ready',
  );
  const text = output().slice(output().lastIndexOf('hcp-kiosk ready'));
  return handle(child, output, text.match(UI_LINE)![1]!, text.match(LINK_LINE)![1]!);
}

/**
 * First boot of an unprovisioned device: setup mode on 127.0.0.1:`linkPort`; the setup admin token is read
 * from its 0600 file (window-link.md "Setup, demo and tests"), the signed file posted to
 * `/v1/admin/provision`, and the kiosk stopped once it has taken the configuration.
 */
export async function provisionFirstBoot(
  dataDir: string,
  clock: ScenarioClock,
  linkPort: number,
  document: unknown,
): Promise<{ status: number; body: unknown; output: string }> {
  const { child, output } = spawnKiosk(dataDir, clock, [
    '--link-host',
    '127.0.0.1',
    '--link-port',
    String(linkPort),
  ]);
  try {
    const setupInfo = path.join(dataDir, 'setup.json');
    await until(
      'setup mode’s setup.json',
      () => {
        if (child.exitCode !== null)
          throw new Error(`kiosk exited (${child.exitCode}) in setup mode:\n${output()}`);
        return fs.existsSync(setupInfo);
      },
      START_TIMEOUT_MS,
    );
    const info = JSON.parse(fs.readFileSync(setupInfo, 'utf8')) as {
      linkUrl: string;
      adminTokenFile: string;
    };
    const adminToken = fs.readFileSync(info.adminTokenFile, 'utf8').trim();
    const response = await fetch(new URL('/v1/admin/provision', info.linkUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(document),
    });
    const body: unknown = await response.json().catch(() => null);
    if (response.status === 200)
      await waitForOutput(child, output, /hcp-kiosk ready/, 'the kiosk to take its configuration');
    return { status: response.status, body, output: output() };
  } finally {
    child.kill('SIGTERM');
    await waitForExit(child);
  }
}
