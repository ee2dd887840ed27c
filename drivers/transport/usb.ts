/**
 * USB vendor-bulk transport over the `usb` package (v3: WebUSB-style API; injected, so tests use an
 * in-memory fake). Pure splitting in usb-framing.ts.
 */
import { TransportBase, TransportClosedError, type TransportDescription } from './transport.js';
import {
  SAM_HEAD_BYTES,
  USB_BODY_IN,
  USB_BODY_OUT,
  USB_HEAD_IN,
  USB_HEAD_OUT,
  bodyLength,
  endpointNumber,
  splitSamFrames,
} from './usb-framing.js';

export interface UsbInResult {
  data?: DataView | undefined;
  status?: string | undefined;
}

/** The part of a WebUSB `USBDevice` we use. */
export interface UsbDeviceLike {
  readonly opened: boolean;
  readonly configuration?: unknown;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(value: number): Promise<void>;
  claimInterface(n: number): Promise<void>;
  releaseInterface(n: number): Promise<void>;
  transferIn(endpoint: number, length: number): Promise<UsbInResult>;
  transferOut(endpoint: number, data: Uint8Array): Promise<unknown>;
}

export interface UsbModuleLike {
  usb: { findDeviceByIds(vendorId: number, productId: number): Promise<UsbDeviceLike | undefined> };
}

export async function loadUsb(): Promise<UsbModuleLike> {
  return (await import('usb')) as unknown as UsbModuleLike;
}

export interface UsbOptions {
  vendorId: number;
  productId: number;
  interfaceNumber?: number;
}

export class UsbBulkTransport extends TransportBase {
  #device: UsbDeviceLike | undefined;

  constructor(
    readonly options: UsbOptions,
    readonly usb: UsbModuleLike,
  ) {
    super();
  }

  async open(): Promise<void> {
    if (this.opened) return;
    const device = await this.usb.usb.findDeviceByIds(this.options.vendorId, this.options.productId);
    if (!device) throw new Error(`no USB device ${this.#vidPid()}`);
    if (!device.opened) await device.open();
    if (!device.configuration) await device.selectConfiguration(1);
    await device.claimInterface(this.options.interfaceNumber ?? 0);
    this.#device = device;
    this.markOpen();
    void this.#readLoop(device);
  }

  /** One reply = head (7 bytes) on IN 0x81, then LEN bytes on IN 0x85. */
  async #readLoop(device: UsbDeviceLike): Promise<void> {
    try {
      while (this.#device === device) {
        const head = bytesOf(await device.transferIn(endpointNumber(USB_HEAD_IN), 64));
        if (this.#device !== device) return;
        this.emitData(head);
        const len = bodyLength(head.subarray(0, SAM_HEAD_BYTES));
        if (len === undefined || head.length > SAM_HEAD_BYTES) continue;
        let got = 0;
        while (got < len && this.#device === device) {
          const body = bytesOf(await device.transferIn(endpointNumber(USB_BODY_IN), len - got));
          got += body.length;
          this.emitData(body);
        }
      }
    } catch (error) {
      if (this.#device !== device) return;
      this.#device = undefined;
      this.emitClose(error instanceof Error ? error : new Error(String(error)));
      void device.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const device = this.#device;
    this.#device = undefined;
    this.emitClose();
    if (!device) return;
    await device.releaseInterface(this.options.interfaceNumber ?? 0).catch(() => undefined);
    await device.close().catch(() => undefined);
  }

  async write(bytes: Uint8Array): Promise<void> {
    const device = this.#device;
    if (!device || !this.opened) throw new TransportClosedError(this.#vidPid());
    for (const { head, body } of splitSamFrames(bytes)) {
      await device.transferOut(endpointNumber(USB_HEAD_OUT), head);
      if (body.length > 0) await device.transferOut(endpointNumber(USB_BODY_OUT), body);
    }
  }

  #vidPid(): string {
    const hex = (n: number) => n.toString(16).padStart(4, '0');
    return `${hex(this.options.vendorId)}:${hex(this.options.productId)}`;
  }

  describe(): TransportDescription {
    return { transport: 'usb', path: this.#vidPid() };
  }
}

function bytesOf(result: UsbInResult): Uint8Array {
  const view = result.data;
  if (!view) return new Uint8Array(0);
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}
