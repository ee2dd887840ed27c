/** `createTransport(config)`: the one factory from the config's `deviceSchema` shape to a Transport. */
import { HidTransport, loadNodeHid, type HidModuleLike } from './hid.js';
import { SerialTransport } from './serial.js';
import { TcpTransport } from './tcp.js';
import type { Transport, TransportConfig } from './transport.js';
import { UsbBulkTransport, loadUsb, type UsbModuleLike } from './usb.js';

export type { Transport, TransportConfig, TransportDescription } from './transport.js';
export { TransportClosedError } from './transport.js';
export { SerialTransport, pickSerialPath, listSerialPorts, type SerialPortInfo } from './serial.js';
export { HidTransport, type HidModuleLike, type HidDeviceLike, type HidDeviceInfo } from './hid.js';
export { UsbBulkTransport, type UsbModuleLike, type UsbDeviceLike } from './usb.js';
export { TcpTransport, parseTcpUrl } from './tcp.js';
export { MockTransport, createMockPair } from './mock.js';

export interface TransportModules {
  /** Inject a fake node-hid (tests); the real module is loaded lazily otherwise. */
  hid?: HidModuleLike;
  usb?: UsbModuleLike;
  /** Overrides the serial path (the supervisor's `/dev/serial/by-id/…` resolution). */
  serialPath?: string;
}

/** Returns undefined for `keyboard` and `none` (no byte stream: keyboard pads arrive as window key events). */
export async function createTransport(
  config: TransportConfig,
  modules: TransportModules = {},
): Promise<Transport | undefined> {
  switch (config.transport) {
    case 'serial':
      return new SerialTransport({ path: modules.serialPath ?? config.path, baudRate: config.baudRate });
    case 'hid':
      return new HidTransport(config, modules.hid ?? (await loadNodeHid()));
    case 'usb':
      return new UsbBulkTransport(config, modules.usb ?? (await loadUsb()));
    case 'tcp':
      return new TcpTransport(config.url);
    case 'keyboard':
    case 'none':
      return undefined;
  }
}
