/**
 * Is the device there? The supervisor asks this while a device is away so that it can open it the moment
 * it is plugged back (issue 16: ≤ 1 s from replug to handshake, however long it was away), instead of
 * waiting out an open-failure backoff that grew while nothing was plugged in.
 *
 * - serial: the device node or its stable symlink (`/dev/serial/by-id/…`, the simulators' pty link) exists.
 *   A `stat` is a few microseconds, so it is simply polled; an `fs.watch` on the nearest existing parent
 *   directory wakes the supervisor at once when the kernel (or udev) creates the name. Checked on this
 *   machine: inotify reports socat's pty links and `/dev/pts` entries; the poll stays as the fallback for
 *   file systems that do not (the watch is only a shortcut).
 * - hid / usb: the VID:PID is in the module's device list (hidapi / libusb enumeration, ~ms): polled.
 * - tcp and anything else: presence cannot be known without connecting, so there is no probe and the
 *   supervisor keeps its backoff (a TCP peer that refuses is "there but failing to open").
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadNodeHid } from './transport/hid.js';
import type { TransportModules } from './transport/index.js';
import type { TransportConfig } from './transport/transport.js';
import { loadUsb } from './transport/usb.js';

export interface DevicePresence {
  /** Whether the device can be seen now. Never throws. */
  present(): Promise<boolean>;
  /** Calls `onMaybeChanged` when the device may have appeared or vanished (a hint: re-check `present`). */
  watch(onMaybeChanged: () => void): () => void;
  /** How often the supervisor re-checks `present()` by itself, ms. */
  readonly pollMs: number;
}

/** Serial presence: any of the candidate paths exists (a dangling symlink does not count). */
export function pathPresence(paths: () => string[], pollMs = 100): DevicePresence {
  return {
    pollMs,
    present: async () => paths().some((p) => existsFollowingLinks(p)),
    watch(onMaybeChanged) {
      const watchers = [...new Set(paths().map(nearestExistingDir))].flatMap((dir) => {
        try {
          const watcher = fs.watch(dir, { persistent: false }, () => onMaybeChanged());
          // A watched directory that goes away (a pty's temp dir) must not throw: the poll covers it.
          watcher.on('error', () => watcher.close());
          return [watcher];
        } catch {
          return [];
        }
      });
      return () => watchers.forEach((w) => w.close());
    },
  };
}

/** HID / USB presence: the VID:PID is enumerated. */
export function enumerationPresence(find: () => Promise<boolean>, pollMs = 250): DevicePresence {
  return {
    pollMs,
    present: () => find().catch(() => false),
    watch: () => () => undefined,
  };
}

/**
 * The probe for a configured device, or undefined where presence cannot be known (tcp, mock, none).
 * `serialPath` is the supervisor's last `/dev/serial/by-id/…` resolution, tried before the configured path.
 */
export async function presenceFor(
  config: TransportConfig,
  modules: TransportModules,
  serialPath: () => string | undefined,
): Promise<DevicePresence | undefined> {
  switch (config.transport) {
    case 'serial':
      return pathPresence(() => [serialPath(), config.path].filter((p): p is string => !!p));
    case 'hid': {
      const hid = modules.hid ?? (await loadNodeHid().catch(() => undefined));
      if (!hid) return undefined;
      return enumerationPresence(async () =>
        (await hid.devicesAsync()).some(
          (d) => d.vendorId === config.vendorId && d.productId === config.productId,
        ),
      );
    }
    case 'usb': {
      const usb = modules.usb ?? (await loadUsb().catch(() => undefined));
      if (!usb) return undefined;
      return enumerationPresence(
        async () => (await usb.usb.findDeviceByIds(config.vendorId, config.productId)) !== undefined,
      );
    }
    default:
      return undefined;
  }
}

function existsFollowingLinks(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** `/dev/serial/by-id` vanishes when no serial device is plugged in: watch the closest directory that exists. */
function nearestExistingDir(p: string): string {
  let dir = path.dirname(p);
  while (dir !== path.dirname(dir) && !existsFollowingLinks(dir)) dir = path.dirname(dir);
  return dir;
}
