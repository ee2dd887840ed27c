/**
 * The diagnostics screen's actions that reach the rest of the kiosk (admin-service.ts): the diagnostics
 * answer, sync now, resend a dead letter, the on-demand storage check and the log export. Each runs through
 * the session guard, so none works without an admin session.
 */
import fs from 'node:fs';
import type {
  ActionResult,
  AdminDiagnostics,
  AdminDiagnosticsResult,
  AdminExportResult,
  AdminStorageCheckResult,
} from '../shared/kiosk-api.js';
import { HOST_ERRORS, isKioskError } from '../shared/errors/index.js';
import { refusal, type AdminServiceDeps } from './admin-contract.js';
import { projectDiagnostics } from './admin-diagnostics.js';
import { checkExportPath } from './admin-export-path.js';
import type { AdminSession } from './admin-session.js';
import type { Logger } from './logger.js';

export interface AdminActions {
  diagnostics(): AdminDiagnosticsResult;
  syncNow(): ActionResult;
  resend(seq: number): ActionResult;
  storageCheck(): AdminStorageCheckResult;
  exportLogs(dir: string): Promise<AdminExportResult>;
}

export function createAdminActions(
  deps: Pick<
    AdminServiceDeps,
    'diagnostics' | 'sync' | 'storageCheck' | 'exportLogs' | 'exportRoots' | 'audit' | 'now'
  >,
  session: Pick<AdminSession, 'guarded'>,
  readerTest: () => AdminDiagnostics['readerTest'],
  log: Logger,
): AdminActions {
  const { guarded } = session;
  return {
    diagnostics: () =>
      guarded(() => {
        // The automatic refresh is not activity: only touches and actions keep the session.
        const diagnostics = projectDiagnostics(
          deps.diagnostics(),
          deps.now(),
          readerTest(),
          deps.exportRoots,
        );
        return { ok: true as const, diagnostics };
      }, false),
    syncNow: () =>
      guarded(() => {
        deps.sync.syncNow();
        return { ok: true } as const;
      }),
    resend: (seq) =>
      guarded(() => {
        if (!deps.sync.resend(seq)) return refusal(HOST_ERRORS.adminNotDeadLetter);
        deps.audit.record('admin-screen', {
          type: 'records.resend',
          scope: 'dead-letters',
          count: 1,
          fromSeq: seq,
          toSeq: seq,
        });
        return { ok: true } as const;
      }),
    storageCheck: () =>
      guarded(() => {
        try {
          const { quickCheck: check, chain } = deps.storageCheck();
          return { ok: true as const, quickCheck: check, chain };
        } catch (error) {
          // A database SQLite cannot even open read-only is the worst quick_check answer.
          const code = isKioskError(error) ? error.code : 'unreadable';
          const chain = { ok: false, lastSeq: 0, brokenAt: null, code: null, verifiedAt: deps.now() };
          return { ok: true as const, quickCheck: [code], chain };
        }
      }),
    async exportLogs(dir) {
      const checked = guarded(() => checkExportPath(dir, deps.exportRoots));
      if (checked !== null && typeof checked === 'object') return checked;
      if (checked === null) return refusal(HOST_ERRORS.adminExportPath);
      const root = checked;
      try {
        await fs.promises.mkdir(dir, { recursive: true, mode: 0o750 });
        // Checked again once the folder exists: a link created meanwhile must not lead out of the root.
        if (checkExportPath(fs.realpathSync(dir), [fs.realpathSync(root)]) === null)
          return refusal(HOST_ERRORS.adminExportPath);
        const files = await deps.exportLogs(dir);
        const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
        log({ level: 'info', msg: `logs exported: ${files.length} files, ${bytes} bytes` });
        return { ok: true, files: files.length, bytes };
      } catch {
        log({ level: 'warn', code: HOST_ERRORS.adminExportFailed.code, msg: 'log export failed' });
        return refusal(HOST_ERRORS.adminExportFailed);
      }
    },
  };
}
