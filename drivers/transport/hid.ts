/**
 * HID transport over `node-hid` (injected, so tests use an in-memory fake). Pure framing in hid-framing.ts.
 */
import { joinReport, splitIntoReports } from './hid-framing.js';
import { TransportBase, TransportClosedError, type TransportDescription } from './transport.js';

/** The part of node-hid's `HIDAsync` we use. */
export interface HidDeviceLike {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  write(values: number[] | Buffer): Promise<number>;
  close(): Promise<void>;
}

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string | undefined;
}

export interface HidModuleLike {
  HIDAsync: { open(path: string): Promise<HidDeviceLike> };
  devicesAsync(): Promise<HidDeviceInfo[]>;
}

export interface HidOptions {
  vendorId: number;
  productId: number;
  path?: string | undefined;
}

export async function loadNodeHid(): Promise<HidModuleLike> {
  const mod = (await import('node-hid')) as unknown as HidModuleLike & { default?: HidModuleLike };
  return mod.default ?? mod;
}

export class HidTransport extends TransportBase {
  #device: HidDeviceLike | undefined;
  #path: string | undefined;
  /** Reports dropped because their count byte was out of range. */
  badReports = 0;

  constructor(
    readonly options: HidOptions,
    readonly hid: HidModuleLike,
  ) {
    super();
  }

  async open(): Promise<void> {
    if (this.opened) return;
    let path = this.options.path;
    if (!path) {
      const found = (await this.hid.devicesAsync()).find(
        (d) => d.vendorId === this.options.vendorId && d.productId === this.options.productId && d.path,
      );
      if (!found?.path) throw new Error(`no HID device ${this.#vidPid()}`);
      path = found.path;
    }
    const device = await this.hid.HIDAsync.open(path);
    this.#device = device;
    this.#path = path;
    device.on('data', (data) => {
      if (this.#device !== device) return;
      const payload = joinReport(data, data.length > 64);
      if (payload) this.emitData(Uint8Array.from(payload));
      else this.badReports += 1;
    });
    device.on('error', (error) => {
      // node-hid reports an unplug as a read error: the device is gone.
      if (this.#device !== device) return;
      this.#device = undefined;
      this.emitError(error);
      this.emitClose(error);
      void device.close().catch(() => undefined);
    });
    this.markOpen();
  }

  async close(): Promise<void> {
    const device = this.#device;
    this.#device = undefined;
    this.emitClose();
    await device?.close().catch(() => undefined);
  }

  async write(bytes: Uint8Array): Promise<void> {
    const device = this.#device;
    if (!device || !this.opened) throw new TransportClosedError(this.#vidPid());
    for (const report of splitIntoReports(bytes)) {
      // node-hid wants the report ID first: 0 for devices without numbered reports.
      await device.write([0, ...report]);
    }
  }

  #vidPid(): string {
    const hex = (n: number) => n.toString(16).padStart(4, '0');
    return `${hex(this.options.vendorId)}:${hex(this.options.productId)}`;
  }

  describe(): TransportDescription {
    return { transport: 'hid', path: this.#path ?? this.options.path ?? this.#vidPid() };
  }
}
