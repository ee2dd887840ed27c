/**
 * Demo mode (window-link.md "Setup, demo and tests" r2), asked for with `--demo` (`npm start` from a
 * checkout passes it): the kiosk makes up a complete, valid configuration for a fictitious Haikou window,
 * with fresh random tokens and a fresh SM2 key pair for the
 * loopback province test server. The secrets are kept in a 0600 file in the data directory so that a
 * restart keeps the same tokens (tests restart the kiosk), and are printed once at start-up.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { sm2 } from 'sm-crypto-v2';
import { parseConfig, type KioskConfig, type KioskConfigInput } from '../config/schema.js';
import { CONFIG_ERRORS, HOST_ERRORS, KioskError } from '../shared/errors/index.js';
import type { Logger } from './logger.js';

export interface DemoSecrets {
  linkToken: string;
  adminToken: string;
  appMark: string;
  appWord: string;
  provincePublicKey: string;
  provincePrivateKey: string;
}

function randomToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function loadOrCreateDemoSecrets(file: string): DemoSecrets {
  try {
    const existing = JSON.parse(fs.readFileSync(file, 'utf8')) as DemoSecrets;
    if (existing.linkToken && existing.adminToken && existing.provincePrivateKey) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !(error instanceof SyntaxError)) throw error;
  }
  const keys = sm2.generateKeyPairHex();
  const secrets: DemoSecrets = {
    linkToken: randomToken(),
    adminToken: randomToken(),
    appMark: 'demo-device',
    appWord: randomToken(),
    provincePublicKey: keys.publicKey,
    provincePrivateKey: keys.privateKey,
  };
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** A valid configuration for a fictitious window of the Haikou hall, pointing at the loopback province server. */
/** Deep-merges plain objects (arrays and scalars replace). */
function merge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] =
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current &&
      typeof current === 'object' &&
      !Array.isArray(current)
        ? merge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

export function demoConfig(
  secrets: DemoSecrets,
  provinceUrl: string,
  linkListen: string,
  overrides: Record<string, unknown> = {},
): KioskConfig {
  const input: KioskConfigInput = {
    hall: { name: '海口市政务服务中心（演示）', code: 'HK01', areaCode: '460100000000' },
    department: { code: '11460100MB0000000X', name: '市场监督管理局（演示）' },
    windowNo: 'A08',
    window: { defaultStaff: { staffId: 'D001', name: '窗口负责人（演示）' } },
    deviceId: 'demo-0001',
    province: {
      baseUrl: provinceUrl,
      appMark: secrets.appMark,
      appWord: secrets.appWord,
      publicKey: secrets.provincePublicKey,
      dataSource: '001',
    },
    link: { listen: linkListen, linkToken: secrets.linkToken, adminToken: secrets.adminToken },
    ui: { qrUrlTemplate: 'https://hcp.example.invalid/rate?projectNo={projectNo}' },
  };
  const parsed = parseConfig(merge(input as Record<string, unknown>, overrides));
  if (!parsed.ok)
    throw new KioskError(CONFIG_ERRORS.invalid, 'The demo configuration overrides are invalid.', {
      errors: parsed.errors,
    });
  return parsed.config;
}

/**
 * Loads a demo-only module (dev-tools/, drivers/sim/) by a path the compiler does not follow, so no
 * production module imports it statically. A packaged build ships neither: E8061, saying so.
 */
export async function loadDevTool<T>(specifier: string, what: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new KioskError(
        HOST_ERRORS.demoToolsMissing,
        `Demo mode needs ${what}, which this build does not ship (a packaged kiosk has no dev-tools).`,
        undefined,
        { cause: error },
      );
    throw error;
  }
}

interface PtyLedgerModule {
  recordPtysIn(file: string | null): void;
  reapLeftoverPtys(file: string): Promise<{ killed: number[]; removed: string[]; problems: string[] }>;
}

const PTY_LEDGER_MODULE = '../../drivers/sim/pty-ledger.js';

/**
 * Before the simulators start (issue 18 item 7): reaps the socat processes and temp folders an earlier
 * demo run left when it crashed or was killed, then records this run's in `ledgerFile` (data dir).
 */
export async function prepareDemoSimulators(ledgerFile: string, log: Logger): Promise<void> {
  const ledger = await loadDevTool<PtyLedgerModule>(PTY_LEDGER_MODULE, 'the device simulators');
  const report = await ledger.reapLeftoverPtys(ledgerFile);
  if (report.killed.length > 0 || report.removed.length > 0)
    log({
      level: 'info',
      msg: `demo: reaped ${report.killed.length} leftover socat and ${report.removed.length} temp folders of an earlier run`,
    });
  for (const problem of report.problems)
    log({ level: 'warn', code: HOST_ERRORS.demoLeftoverReap.code, msg: `demo leftover: ${problem}` });
  ledger.recordPtysIn(ledgerFile);
}
