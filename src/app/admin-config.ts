/**
 * The admin screen's two ways into the configuration (admin-service.ts), both through the one config
 * service (src/config/provisioning.ts), both only inside an admin session:
 *
 * - 设置 (provisioned devices): `editConfig(patch)` → `applyAdminEdit(patch, 'admin-screen')`. The host has
 *   already limited the patch to the on-site settings (api-validate.ts); the config schema checks ranges
 *   and answers field errors by config path. Secrets are never read into the settings nor editable here.
 * - 首次设置 (demo devices): `firstRun(form)` → `provisionFromDemo({ config, pin }, 'first-run')`. The
 *   form carries secrets (appWord, PIN): it is never logged nor audited (the config service audits field
 *   paths only). The generated link/admin tokens are answered exactly once: the renderer shows them once
 *   to the technician standing at the device who just set it up, and they are never shown again (the
 *   stored copy is sealed and the admin screens only ever say "set").
 */
import type { ApplyOutcome, Refusal } from '../config/provisioning.js';
import type { KioskConfig } from '../config/schema.js';
import type {
  AdminConfigPatch,
  AdminConfigRefusal,
  AdminEditConfigResult,
  AdminFirstRunForm,
  AdminFirstRunResult,
  AdminSettings,
} from '../shared/kiosk-api.js';
import { CONFIG_ERRORS } from '../shared/errors/index.js';
import { refusal, type AdminServiceDeps } from './admin-contract.js';
import type { AdminSession } from './admin-session.js';
import type { Logger } from './logger.js';

/** The config service as far as the admin screens need it. */
export type AdminConfigPort = NonNullable<AdminServiceDeps['config']>;

export interface AdminConfig {
  /** The stored settings (cached until an edit or the session ends); null when unprovisioned. */
  settings(): AdminSettings | null;
  editConfig(patch: AdminConfigPatch): AdminEditConfigResult;
  firstRun(form: AdminFirstRunForm): Promise<AdminFirstRunResult>;
  /** Forgets the cached settings (the admin screens closed). */
  reset(): void;
}

/** The on-site settings of a configuration: no secret is read. */
export function settingsOf(config: KioskConfig): AdminSettings {
  return {
    windowNo: config.windowNo,
    department: { name: config.department.name },
    session: {
      timeoutSec: config.session.timeoutSec,
      responseIntervalSec: config.session.responseIntervalSec,
    },
    openingHours: config.openingHours.map((p) => ({ days: [...p.days], open: p.open, close: p.close })),
    ui: {
      defaultLanguage: config.ui.defaultLanguage,
      audio: { enabled: config.ui.audio.enabled, volume: config.ui.audio.volume },
      largeType: config.ui.largeType,
    },
  };
}

function refused(outcome: Refusal): AdminConfigRefusal {
  switch (outcome.reason) {
    case 'invalid-config':
      return { ...refusal(CONFIG_ERRORS.invalid), fields: outcome.errors };
    case 'not-provisioned':
      return refusal(CONFIG_ERRORS.notProvisioned);
    case 'already-provisioned':
      return refusal(CONFIG_ERRORS.alreadyProvisioned);
    case 'bad-signature':
      return refusal(CONFIG_ERRORS.badSignature);
  }
}

/** The first-run form as a configuration (the PIN travels apart and is hashed by the config service). */
function firstRunConfig(form: AdminFirstRunForm): Record<string, unknown> {
  return {
    hall: { name: form.hall.name, code: form.hall.code, areaCode: form.hall.areaCode },
    department: { code: form.department.code, name: form.department.name },
    windowNo: form.windowNo,
    window: {
      defaultStaff: { staffId: form.window.defaultStaff.staffId, name: form.window.defaultStaff.name },
    },
    deviceId: form.deviceId,
    province: {
      baseUrl: form.province.baseUrl,
      appMark: form.province.appMark,
      appWord: form.province.appWord,
      publicKey: form.province.publicKey,
      dataSource: form.province.dataSource,
    },
  };
}

export function createAdminConfig(
  port: AdminConfigPort | undefined,
  session: Pick<AdminSession, 'guarded' | 'publish'>,
  log: Logger,
): AdminConfig {
  let cached: { value: AdminSettings | null } | null = null;
  const current = (): KioskConfig | null => {
    try {
      return port?.current() ?? null;
    } catch {
      return null; // unreadable stored config: nothing to edit here (diagnostics show the cause)
    }
  };
  const settings = (): AdminSettings | null => {
    if (cached === null) {
      const config = current();
      cached = { value: config === null ? null : settingsOf(config) };
    }
    return cached.value;
  };
  const after = (outcome: ApplyOutcome, what: string): void => {
    cached = null;
    if (outcome.ok)
      log({ level: 'info', msg: `${what}: ${outcome.changed.length} fields changed on the admin screen` });
    else log({ level: 'warn', msg: `${what} refused (${outcome.reason})` });
    session.publish();
  };

  return {
    settings,
    reset() {
      cached = null;
    },
    editConfig(patch) {
      return session.guarded((): AdminEditConfigResult => {
        if (port === undefined) return refusal(CONFIG_ERRORS.notProvisioned);
        const outcome = port.applyAdminEdit(patch, 'admin-screen');
        after(outcome, 'settings');
        if (!outcome.ok) return refused(outcome);
        return { ok: true, restartRequired: outcome.restartRequired, changed: outcome.changed };
      });
    },
    async firstRun(form) {
      const started = session.guarded(() => ({ ok: true }) as const);
      if (!started.ok) return started;
      if (port === undefined) return refusal(CONFIG_ERRORS.alreadyProvisioned);
      const outcome = await port.provisionFromDemo(
        { config: firstRunConfig(form), pin: form.pin },
        'first-run',
      );
      after(outcome, 'first-run setup');
      if (!outcome.ok) return refused(outcome);
      // Answered once; the renderer shows them once (see the header comment).
      return { ok: true, restartRequired: outcome.restartRequired, issued: { ...outcome.issued } };
    },
  };
}
