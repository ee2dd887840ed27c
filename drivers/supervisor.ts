/**
 * Device supervisor: finds a device (configured path, or VID:PID via the serial list / HID devices), opens
 * it, lets the driver handshake, and after an unplug, a read error or lost liveness opens it again.
 *
 * When it reopens (issue 16): a device that is *absent* (its path or VID:PID cannot be seen, presence.ts)
 * is watched and opened the moment it reappears, however long it was away: no backoff, since nothing is
 * failing. Backoff (0.5 s doubling to 10 s) is only for a device that is there but fails to open or to
 * handshake. While connected the path is watched too, so an unplug is noticed at once even when
 * serialport 13 keeps "reading" 0 bytes from the vanished device (liveness is the second line).
 * Keeps per-device statistics and gives diagnostics a `snapshot()`.
 */
import { PAD_ERRORS, READER_ERRORS } from '../src/shared/errors/devices.js';
import { isKioskError } from '../src/shared/errors/kiosk-error.js';
import { realClock, TypedEmitter, type Clock } from './events.js';
import { presenceFor, type DevicePresence } from './presence.js';
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
  /** The code of the current state: null while connected, else why it is not (E4001 absent, E4004 lost…). */
  stateCode: string | null;
  /** The last error and its time (epoch ms), kept after the device recovered. */
  lastError: string | null;
  lastErrorAt: number | null;
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
  /**
   * Tests: how to tell whether the device is there; null: unknown (backoff only). Default: from the config
   * (presence.ts), or unknown when a `transportFactory` is given.
   */
  presence?: DevicePresence | null;
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
  #connecting = false;
  #stateCode: string | null = null;
  /** Resolved once (presenceFor may load node-hid / usb); null: presence cannot be known (tcp, mock). */
  #presence: DevicePresence | null | undefined;
  /** The last `/dev/serial/by-id/…` the port list gave, so presence can look for it while it is away. */
  #serialPath: string | undefined;
  /** Presence watching: what is being watched for, and how to stop it. */
  #watching: 'reappear' | 'vanish' | undefined;
  #absent = false;
  #stopWatching: () => void = () => undefined;

  constructor(options: SupervisorOptions) {
    super();
    this.#o = options;
    this.#clock = options.clock ?? realClock;
    this.#backoff = options.initialBackoffMs ?? 500;
    if (options.presence !== undefined) this.#presence = options.presence;
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
      if (e.state === 'connected' && this.#running) void this.#watch('vanish');
      // A connected link went away (unplug, read error, lost liveness): wait for the device, then reopen.
      if (e.state === 'disconnected' && this.#running && !this.#connecting) void this.#afterFailure();
    });
    void this.#connect();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#endWatching();
    this.#cancelRetry();
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
      stateCode: this.#stateCode,
      lastError: d.stats.lastError,
      lastErrorAt: d.stats.lastErrorAt,
      lastFrameAt: d.stats.lastFrameAt,
    };
    if ('hello' in d && d.hello)
      Object.assign(snap, { model: d.hello.model, firmware: d.hello.firmware, serial: d.hello.serial });
    if ('samId' in d && d.samId) snap.samId = d.samId;
    return snap;
  }

  async #connect(): Promise<void> {
    this.#endWatching();
    this.#cancelRetry();
    if (!this.#running) return;
    this.#connecting = true;
    const openFailed = this.#o.kind === 'pad' ? PAD_ERRORS.openFailed.code : READER_ERRORS.openFailed.code;
    this.#setState('connecting');
    let failed = false;
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
      failed = true;
    } finally {
      this.#connecting = false;
    }
    if (failed) await this.#afterFailure();
  }

  /** Serial with a configured VID:PID: prefer `/dev/serial/by-id/…` from the port list. */
  async #resolveSerial(): Promise<TransportModules> {
    const c = this.#o.config;
    if (c.transport !== 'serial' || c.vendorId === undefined || c.productId === undefined) return {};
    const ports = await (this.#o.listSerial ?? listSerialPorts)().catch(() => []);
    const path = pickSerialPath(ports, c.vendorId, c.productId);
    if (path) this.#serialPath = path;
    return path ? { serialPath: path } : {};
  }

  /**
   * The open or the link failed. An absent device is waited for (opened at once when it reappears); a
   * present one is retried after the backoff, unless it vanishes and reappears meanwhile (a replug).
   */
  async #afterFailure(): Promise<void> {
    if (!this.#running || this.#watching === 'reappear') return;
    this.#endWatching();
    this.#cancelRetry();
    // Another failure or a connect may have started while this one awaited: then it is theirs to handle.
    const superseded = () => !this.#running || this.#connecting || this.#watching !== undefined;
    const presence = await this.#presenceProbe();
    if (superseded()) return;
    if (!presence) return this.#scheduleBackoff();
    this.#absent = !(await presence.present());
    if (superseded()) return;
    if (this.#absent) this.#backoff = this.#o.initialBackoffMs ?? 500;
    else this.#scheduleBackoff();
    await this.#watch('reappear');
  }

  async #presenceProbe(): Promise<DevicePresence | null> {
    // A test's own transport factory decides what is opened: the configured path says nothing then.
    if (this.#presence === undefined && this.#o.transportFactory) this.#presence = null;
    if (this.#presence === undefined)
      this.#presence =
        (await presenceFor(this.#o.config, this.#o.modules ?? {}, () => this.#serialPath)) ?? null;
    return this.#presence;
  }

  /**
   * Watches presence (fs.watch hints + a cheap poll). 'reappear': the device was absent or failing; open
   * it as soon as it is seen again after being absent. 'vanish': it is connected; close the link the
   * moment its path goes away.
   */
  async #watch(goal: 'reappear' | 'vanish'): Promise<void> {
    this.#endWatching();
    const presence = await this.#presenceProbe();
    if (!presence || !this.#running) return;
    this.#watching = goal;
    let pollTimer: unknown;
    let checking = false;
    const check = async () => {
      if (checking || this.#watching !== goal) return;
      checking = true;
      const present = await presence.present();
      checking = false;
      if (this.#watching !== goal || !this.#running) return;
      if (goal === 'vanish') {
        if (!present) this.#vanished();
        return;
      }
      if (!present) {
        // Nothing is failing while the device is away: no backoff is owed when it comes back.
        this.#absent = true;
        this.#cancelRetry();
        this.#backoff = this.#o.initialBackoffMs ?? 500;
      } else if (this.#absent) {
        this.#absent = false;
        void this.#connect();
      }
    };
    const poll = () => {
      pollTimer = this.#clock.setTimeout(() => {
        void check();
        if (this.#watching === goal) poll();
      }, presence.pollMs);
    };
    const unwatch = presence.watch(() => void check());
    poll();
    this.#stopWatching = () => {
      unwatch();
      this.#clock.clearTimeout(pollTimer);
    };
  }

  #endWatching(): void {
    this.#stopWatching();
    this.#stopWatching = () => undefined;
    this.#watching = undefined;
  }

  #cancelRetry(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The connected device's path is gone (unplugged): close the link now rather than wait for liveness. */
  #vanished(): void {
    const code = this.#o.kind === 'pad' ? PAD_ERRORS.linkLost.code : READER_ERRORS.linkLost.code;
    this.#endWatching();
    this.#o.driver.stats.error(code);
    void this.#o.driver.detach(code);
  }

  #scheduleBackoff(): void {
    if (!this.#running || this.#timer !== undefined) return;
    const delay = this.#backoff;
    this.#backoff = Math.min(this.#backoff * 2, this.#o.maxBackoffMs ?? 10_000);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      void this.#connect();
    }, delay);
  }

  #setState(state: DeviceState, code?: string): void {
    if (state === this.#state && !code) return;
    this.#state = state;
    this.#stateCode = state === 'connected' ? null : (code ?? null);
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
