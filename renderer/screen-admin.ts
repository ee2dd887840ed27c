/**
 * The admin screens (view.screen `admin`): the PIN pad until the PIN is accepted, then diagnostics. Which
 * one is shown is the core's `view.admin.phase`; each phase is its own screenKey, so it is mounted afresh.
 */
import type { KioskView } from '../src/shared/kiosk-api.js';
import type { MountedScreen, ScreenContext } from './screen.js';
import { mountAdminDiagnostics } from './screen-admin-diag.js';
import { mountAdminPin } from './screen-admin-pin.js';

export function mountAdmin(view: KioskView, ctx: ScreenContext): MountedScreen {
  return view.admin?.phase === 'open' ? mountAdminDiagnostics(view, ctx) : mountAdminPin(view, ctx);
}
