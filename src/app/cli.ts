/**
 * The kiosk without Electron: the core plus the browser host serving the renderer on loopback. Opens
 * `chromium --app=<url>` when a display exists (unless --no-window). In demo mode writes
 * DATA_DIR/demo.json with the URLs and tokens tests and newcomers need. Ctrl-C / SIGTERM shut down cleanly:
 * SQLite commits are synchronous, so stopping only has to close ports and checkpoint the WAL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startBrowserHost } from '../host/browser/server.js';
import { CONFIG_ERRORS, isKioskError, KioskError } from '../shared/errors/index.js';
import { parseCliArgs } from './cli-args.js';
import { writeFileAtomic } from '../config/atomic-file.js';
import { createKioskCore } from './core-factory.js';
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
  const running = await createKioskCore({
    dataDir,
    linkPort: options.linkPort,
    log,
    ...(demoOverrides ? { demoOverrides } : {}),
  });
  const ui = await startBrowserHost({
    provider: running.core.provider,
    staticDir: path.join(root, 'dist', 'renderer'),
    port: options.uiPort ?? 0,
  });
  const linkUrl = running.link.url;
  if (running.demo) {
    const info = {
      uiUrl: ui.url,
      linkUrl,
      linkToken: running.config.link.linkToken,
      adminToken: running.config.link.adminToken,
    };
    // Atomically (temp file + rename): tests and scripts poll for this file and must never read half of it.
    writeFileAtomic(running.paths.demoInfo, JSON.stringify(info, null, 2) + '\n', 0o600);
    // Demo tokens are printed once so a newcomer can call the window link (window-link.md "Demo and tests").
    process.stdout.write(
      `演示模式 demo mode\n  UI:          ${ui.url}\n  window link: ${linkUrl}\n  link token:  ${info.linkToken}\n  admin token: ${info.adminToken}\n  (also in ${running.paths.demoInfo})\n`,
    );
  } else {
    process.stdout.write(`hcp-kiosk ready\n  UI: ${ui.url}\n  window link: ${linkUrl}\n`);
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
    await running.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (isKioskError(error)) {
    process.stderr.write(`${error.code} ${error.codeName}: ${error.message}\n`);
    const errors = (error.details as { errors?: Array<{ path: string; message: string }> } | undefined)
      ?.errors;
    for (const e of errors ?? []) process.stderr.write(`  ${e.path}: ${e.message}\n`);
  } else {
    process.stderr.write(`E8003 host.startup-failed: ${(error as Error)?.message ?? String(error)}\n`);
  }
  process.exit(1);
});
