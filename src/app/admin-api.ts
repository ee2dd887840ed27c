/**
 * The admin service (admin-service.ts) as the KioskApi admin methods both hosts expose to the kiosk page.
 * The hosts have already checked that a call comes from the one kiosk window.
 */
import type { KioskApi } from '../shared/kiosk-api.js';
import { HOST_ERRORS } from '../shared/errors/index.js';
import { refusal, type AdminService } from './admin-contract.js';

type AdminMethods = Extract<keyof KioskApi, `admin${string}`>;

/** The KioskApi admin methods over a service (or refusing every call when the kiosk has none). */
export function adminApi(
  service: AdminService | undefined,
  publish: () => void,
): Pick<KioskApi, AdminMethods> {
  const none = refusal(HOST_ERRORS.adminNoSession);
  if (service === undefined) {
    const refuse = async () => none;
    return {
      adminOpen: refuse,
      adminEnter: refuse,
      adminSetPin: refuse,
      adminExit: refuse,
      adminTouch: refuse,
      adminDiagnostics: refuse,
      adminSyncNow: refuse,
      adminResend: refuse,
      adminKeyTest: refuse,
      adminLedTest: refuse,
      adminBuzzerTest: refuse,
      adminStorageCheck: refuse,
      adminExportLogs: refuse,
      adminEditConfig: refuse,
      adminFirstRun: refuse,
    };
  }
  return {
    adminOpen: async () => service.open('screen'),
    adminEnter: (pin) => service.enter(pin),
    adminSetPin: (pin) => service.setPin(pin),
    adminExit: async () => {
      service.exit('button');
      publish();
      return { ok: true };
    },
    adminTouch: async () => service.touch(),
    adminDiagnostics: async () => service.diagnostics(),
    adminSyncNow: async () => service.syncNow(),
    adminResend: async (seq) => service.resend(seq),
    adminKeyTest: async (on) => service.keyTest(on),
    adminLedTest: () => service.ledTest(),
    adminBuzzerTest: () => service.buzzerTest(),
    adminStorageCheck: async () => service.storageCheck(),
    adminExportLogs: (dir) => service.exportLogs(dir),
    adminEditConfig: async (patch) => service.editConfig(patch),
    adminFirstRun: (form) => service.firstRun(form),
  };
}
