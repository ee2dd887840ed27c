/**
 * Device supervisor: finds a device (configured path, or VID:PID via the serial list / HID devices), opens
 * it, lets the driver handshake, and after an unplug, a read error or lost liveness reopens it with backoff
 * 0.5 s doubling to 10 s. Keeps per-device statistics and gives diagnostics a `snapshot()`.
 */
import { PAD_ERRORS, READER_ERRORS } from '../src/shared/errors/devices.js';
import { isKioskError } from '../src/shared/errors/kiosk-error.js';
import { realClock, TypedEmitter, type Clock } from './events.js';
import type { DeviceCounters, DeviceState, DeviceStateEvent, DeviceStats } from './stats.js';
import { createTransport, type TransportModules } from './transport/index.js';
import { listSerialPorts, pickSerialPath, type SerialPortInfo } from './transport/serial.js';
import type { Transport, TransportConfig } from './transport/transport.js';

export interface DeviceSnapshot {
  kind: 'pad' | 'reader';
  transport: string;
  path: string;
  state: DeviceState;
  model?: string;
  firmware?: string;
  serial?: string;
  samId?: string;
  counters: DeviceCounters;
  lastError: string | null;
  lastFrameAt: number | null;
}

/** What the supervisor needs of a driver (PadDriver and ReaderDriver both fit). */
export interface SupervisedDriver {
  readonly stats: DeviceStats;
  attach(transport: Transport): Promise<unknown>;
  detach(code?: string): Promise<void>;
  on(event: 'state', listener: (e: DeviceStateEvent) => void): () => void;
  readonly hello?: { model: string; firmware: string; serial: string } | undefined;
  readonly samId?: string | undefined;
}

export interface SupervisorOptions {
  kind: 'pad' | 'reader';
  config: TransportConfig;
  driver: SupervisedDriver;
  clock?: Clock;
  modules?: TransportModules;
  /** `SerialPort.list()` (needs udevadm); injectable for tests. */
  listSerial?: () => Promise<SerialPortInfo[]>;
  /** Tests: build the transport yourself (e.g. a mock). */
  transportFactory?: (config: TransportConfig, modules: TransportModules) => Promise<Transport | undefined>;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export class DeviceSupervisor extends TypedEmitter<{ state: DeviceStateEvent & { kind: 'pad' | 'reader' } }> {
  readonly #o: SupervisorOptions;
  readonly #clock: Clock;
  #state: DeviceState = 'disconnected';
  #transport: Transport | undefined;
  #path = '';
  #backoff: number;
  #timer: unknown;
  #running = false;
  #everConnected = false;
  #offDriver: () => void = () => undefined;

  constructor(options: SupervisorOptions) {
    super();
    this.#o = options;
    this.#clock = options.clock ?? realClock;
    this.#backoff = options.initialBackoffMs ?? 500;
  }

  get state(): DeviceState {
    return this.#state;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#offDriver = this.#o.driver.on('state', (e: DeviceStateEvent) => {
      if (e.state === 'connected') {
        // Counted before the state is passed on, so a listener reading the snapshot sees it.
        if (this.#everConnected) this.#o.driver.stats.counters.reconnects += 1;
        this.#everConnected = true;
      }
      this.#setState(e.state, e.code);
      // A connected link went away (unplug, read error, lost liveness): reopen with backoff.
      if (e.state === 'disconnected' && this.#running && this.#timer === undefined && !this.#connecting) {
        this.#schedule();
      }
    });
    void this.#connect();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#offDriver();
    await this.#o.driver.detach();
    await this.#transport?.close();
    this.#setState('disconnected');
  }

  snapshot(): DeviceSnapshot {
    const d = this.#o.driver;
    const snap: DeviceSnapshot = {
      kind: this.#o.kind,
      transport: this.#o.config.transport,
      path: this.#path || describeConfig(this.#o.config),
      state: this.#state,
      counters: d.stats.snapshot(),
      lastError: d.stats.lastError,
      lastFrameAt: d.stats.lastFrameAt,
    };
    if ('hello' in d && d.hello)
      Object.assign(snap, { model: d.hello.model, firmware: d.hello.firmware, serial: d.hello.serial });
    if ('samId' in d && d.samId) snap.samId = d.samId;
    return snap;
  }

  #connecting = false;

  async #connect(): Promise<void> {
    this.#timer = undefined;
    if (!this.#running) return;
    this.#connecting = true;
    const openFailed = this.#o.kind === 'pad' ? PAD_ERRORS.openFailed.code : READER_ERRORS.openFailed.code;
    this.#setState('connecting');
    try {
      const modules = { ...this.#o.modules, ...(await this.#resolveSerial()) };
      const transport = await (this.#o.transportFactory ?? createTransport)(this.#o.config, modules);
      if (!transport) return;
      this.#transport = transport;
      this.#path = transport.describe().path;
      try {
        await transport.open();
      } catch (error) {
        this.#o.driver.stats.error(openFailed);
        throw error;
      }
      await this.#o.driver.attach(transport);
      this.#backoff = this.#o.initialBackoffMs ?? 500;
    } catch (error) {
      const code = isKioskError(error) ? error.code : openFailed;
      await this.#transport?.close().catch(() => undefined);
      this.#setState('disconnected', code);
      this.#schedule();
    } finally {
      this.#connecting = false;
    }
  }

  /** Serial with a configured VID:PID: prefer `/dev/serial/by-id/…` from the port list. */
  async #resolveSerial(): Promise<TransportModules> {
    const c = this.#o.config;
    if (c.transport !== 'serial' || c.vendorId === undefined || c.productId === undefined) return {};
    const ports = await (this.#o.listSerial ?? listSerialPorts)().catch(() => []);
    const path = pickSerialPath(ports, c.vendorId, c.productId);
    return path ? { serialPath: path } : {};
  }

  #schedule(): void {
    if (!this.#running || this.#timer !== undefined) return;
    const delay = this.#backoff;
    this.#backoff = Math.min(this.#backoff * 2, this.#o.maxBackoffMs ?? 10_000);
    this.#timer = this.#clock.setTimeout(() => void this.#connect(), delay);
  }

  #setState(state: DeviceState, code?: string): void {
    if (state === this.#state && !code) return;
    this.#state = state;
    this.emit('state', code ? { kind: this.#o.kind, state, code } : { kind: this.#o.kind, state });
  }
}

function describeConfig(c: TransportConfig): string {
  if (c.transport === 'serial') return c.path;
  if (c.transport === 'tcp') return c.url;
  if (c.transport === 'hid' || c.transport === 'usb') {
    return `${c.vendorId.toString(16).padStart(4, '0')}:${c.productId.toString(16).padStart(4, '0')}`;
  }
  return c.transport;
}
