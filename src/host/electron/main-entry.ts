/**
 * The packaged app's main script (electron-builder.yml extraMetadata.main →
 * dist/main/src/host/electron/main-entry.js). The only host file that imports Electron's runtime module;
 * everything it calls takes that module as a parameter. Not unit-tested (it needs a real Electron).
 *
 * Flags: `--windowed` runs a packaged build in a normal window with devtools (for technicians);
 * `--kiosk` forces kiosk mode in an unpackaged run; `--demo` runs demo mode on an unprovisioned device
 * (a packaged build refuses it with E8061: it ships no dev-tools). Unprovisioned without `--demo`: setup
 * mode (window-link.md "Setup, demo and tests" r2), and once provisioned the app restarts, since the
 * window's keyboard map and opening hours are read at start: packaged it quits and systemd's
 * Restart=always starts it again inside cage (a relaunched child would lose cage's display when the first
 * process exits); an unpackaged run relaunches itself.
 */
import path from 'node:path';
import { app, BrowserWindow, Menu, ipcMain, powerSaveBlocker, protocol, session } from 'electron';
import { createKioskCore, isProvisioned } from '../../app/core-factory.js';
import { setupBanner, startSetupMode } from '../../app/setup-mode.js';
import { defaultDataDir } from '../../app/paths.js';
import { runElectronKiosk } from './main.js';

// app.getAppPath() is the folder (or app.asar) holding package.json, whatever the module format of this
// file, so no __dirname / import.meta is needed.
const root = app.getAppPath();
const argv = process.argv.slice(1);

// Called synchronously at module evaluation so the app:// scheme is registered before `ready`.
void runElectronKiosk(
  async () => {
    const dataDir = defaultDataDir();
    const demo = argv.includes('--demo');
    if (!demo && !isProvisioned(dataDir)) {
      const setup = await startSetupMode({ dataDir });
      process.stdout.write(setupBanner(setup, null));
      void setup.provisioned.then(() => {
        if (!app.isPackaged) app.relaunch();
        app.quit();
      });
      return { provider: setup.provider, stop: () => setup.stop() };
    }
    const running = await createKioskCore({ dataDir, demo });
    const keyboardPad = running.config.devices.pad.transport === 'keyboard';
    return {
      provider: running.core.provider,
      stop: () => running.stop(),
      keyboardMap: keyboardPad ? running.config.devices.keyboardMap : undefined,
      openingHours: running.config.openingHours,
    };
  },
  {
    electron: { app, BrowserWindow, Menu, ipcMain, powerSaveBlocker, protocol, session },
    rendererDir: path.join(root, 'dist', 'renderer'),
    preloadPath: path.join(root, 'dist', 'main', 'src', 'host', 'electron', 'preload.cjs'),
    kiosk: argv.includes('--kiosk') || (app.isPackaged && !argv.includes('--windowed')),
  },
).catch((error: unknown) => {
  console.error(`[E8003] ${String(error)}`);
  app.exit(1);
});
