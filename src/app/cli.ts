/**
 * The kiosk without Electron: the core plus the browser host serving the renderer on loopback. Opens
 * `chromium --app=<url>` when a display exists (unless --no-window). Three modes (window-link.md r2):
 * provisioned; demo (`--demo`, unprovisioned), which writes DATA_DIR/demo.json with the URLs and tokens
 * tests and newcomers need; setup (unprovisioned, no `--demo`), which writes DATA_DIR/setup.json and, once
 * a provisioning file is accepted, hands over to the provisioned kiosk in place (same page, same process).
 * Ctrl-C / SIGTERM shut down cleanly: SQLite commits are synchronous, so stopping only has to close ports
 * and checkpoint the WAL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startBrowserHost } from '../host/browser/server.js';
import { CONFIG_ERRORS, isKioskError, KioskError } from '../shared/errors/index.js';
import { parseCliArgs } from './cli-args.js';
import { writeFileAtomic } from '../config/atomic-file.js';
import { createKioskCore, isProvisioned, type RunningCore } from './core-factory.js';
import { setupBanner, startSetupMode, type RunningSetup } from './setup-mode.js';
import { createSwitchableProvider } from './switchable-provider.js';
import type { Logger } from './logger.js';
import { createFileLogger, RotatingLogFile } from '../ops/log-file.js';
import { defaultDataDir } from './paths.js';

function readJsonFile(file: string): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new KioskError(
      CONFIG_ERRORS.unreadable,
      `Cannot read ${path.basename(file)} as JSON.`,
      {},
      { cause: error },
    );
  }
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

async function main(): Promise<void> {
  const options = parseCliArgs(process.argv.slice(2));
  const dataDir = path.resolve(options.dataDir ?? defaultDataDir());
  // Structured JSON lines, redacted at the logger, to a rotating file in the data dir (exported from the
  // diagnostics screen) and mirrored on stderr for journald / the terminal.
  fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true, mode: 0o700 });
  const log = createFileLogger(new RotatingLogFile({ dir: path.join(dataDir, 'logs') }), {
    mirror: (line) => process.stderr.write(`${line}\n`),
  });
  const demoOverrides = options.demoConfig ? readJsonFile(options.demoConfig) : undefined;
  const startCore = () =>
    createKioskCore({
      dataDir,
      linkPort: options.linkPort,
      log,
      demo: options.demo,
      ...(demoOverrides ? { demoOverrides } : {}),
    });
  let running: RunningCore | null = null;
  let setup: RunningSetup | null = null;
  if (isProvisioned(dataDir) || options.demo) running = await startCore();
  else
    setup = await startSetupMode({
      dataDir,
      log,
      ...(options.linkHost ? { linkHost: options.linkHost } : {}),
      ...(options.linkPort !== null ? { linkPort: options.linkPort } : {}),
    });
  const provider = createSwitchableProvider(running?.core.provider ?? setup!.provider);
  const ui = await startBrowserHost({
    provider: provider.provider,
    staticDir: path.join(root, 'dist', 'renderer'),
    port: options.uiPort ?? 0,
  });
  if (running) announceKiosk(running, ui.url);
  else if (setup) {
    announceSetup(setup, ui.url);
    const waiting = setup;
    void waiting.provisioned.then(async () => {
      // In place: the setup link closes (its port is the provisioned one too), the kiosk starts on the
      // stored configuration, and the open page is switched over to it.
      try {
        await waiting.stop();
        setup = null;
        running = await startCore();
        await provider.switchTo(running.core.provider);
        announceKiosk(running, ui.url);
      } catch (error) {
        reportFatal(error, log);
        process.exit(1);
      }
    });
  }

  let browser: ChildProcess | null = null;
  if (
    !options.noWindow &&
    (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) &&
    fs.existsSync('/usr/bin/chromium')
  ) {
    const profile = path.join(dataDir, 'chromium-profile');
    browser = spawn(
      '/usr/bin/chromium',
      [
        `--app=${ui.url}`,
        `--user-data-dir=${profile}`,
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--kiosk',
        // The spoken invitation plays when a session opens, before any touch (适老化 audio prompts).
        '--autoplay-policy=no-user-gesture-required',
      ],
      { stdio: 'ignore' },
    );
    browser.on('error', () => undefined);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log({ level: 'info', msg: `${signal}: shutting down` });
    browser?.kill('SIGTERM');
    await ui.close();
    await setup?.stop();
    await running?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** The provisioned or demo banner; demo writes demo.json (tests and newcomers poll for it). */
function announceKiosk(running: RunningCore, uiUrl: string): void {
  const linkUrl = running.link.url;
  if (running.demo) {
    const info = {
      uiUrl,
      linkUrl,
      linkToken: running.config.link.linkToken,
      adminToken: running.config.link.adminToken,
    };
    // Atomically (temp file + rename): tests and scripts poll for this file and must never read half of it.
    writeFileAtomic(running.paths.demoInfo, JSON.stringify(info, null, 2) + '\n', 0o600);
    // Demo tokens are printed once so a newcomer can call the window link (window-link.md "Demo and tests").
    process.stdout.write(
      `演示模式 demo mode\n  UI:          ${uiUrl}\n  window link: ${linkUrl}\n  link token:  ${info.linkToken}\n  admin token: ${info.adminToken}\n  (also in ${running.paths.demoInfo})\n`,
    );
  } else {
    process.stdout.write(`hcp-kiosk ready\n  UI: ${uiUrl}\n  window link: ${linkUrl}\n`);
  }
}

/**
 * Setup mode's console: the admin token is printed once, on the start that made it (it stays in its 0600
 * file); DATA_DIR/setup.json gives tests and tools the URLs, never the token.
 */
function announceSetup(setup: RunningSetup, uiUrl: string): void {
  const info = {
    uiUrl,
    linkUrl: setup.link.url,
    deviceId: setup.deviceId,
    fingerprint: setup.deviceKey.fingerprint,
    adminTokenFile: setup.adminToken.file,
  };
  writeFileAtomic(path.join(setup.paths.dir, 'setup.json'), JSON.stringify(info, null, 2) + '\n', 0o600);
  process.stdout.write(setupBanner(setup, uiUrl));
}

function reportFatal(error: unknown, log?: Logger): void {
  if (log && isKioskError(error)) log({ level: 'error', code: error.code, msg: 'start-up failed' });
  if (isKioskError(error)) {
    process.stderr.write(`${error.code} ${error.codeName}: ${error.message}\n`);
    const errors = (error.details as { errors?: Array<{ path: string; message: string }> } | undefined)
      ?.errors;
    for (const e of errors ?? []) process.stderr.write(`  ${e.path}: ${e.message}\n`);
  } else {
    process.stderr.write(`E8003 host.startup-failed: ${(error as Error)?.message ?? String(error)}\n`);
  }
}

main().catch((error: unknown) => {
  reportFatal(error);
  process.exit(1);
});
