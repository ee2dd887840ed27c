/** Typed events of the pad driver (rating-pad-rp1.md "Messages"). */
import type { Clock } from '../events.js';
import type { DeviceStateEvent, DeviceStats } from '../stats.js';
import type { Rp1Message } from './rp1-messages.js';
import { formatFirmware } from './rp1-codec.js';

export interface PadHello {
  model: string;
  serial: string;
  /** "fw version u16" as major.minor. */
  firmware: string;
  keyCount: number;
  capabilities: { rgbLeds: boolean; buzzer: boolean; textDisplay: boolean };
}

export interface PadRatingEvent {
  padSerial: string;
  eventCounter: number;
  padSessionId: number;
  key: number;
  msSinceArm: number;
  /** FLAGS bit3: the pad sent it before (the store dedupes on (padSerial, eventCounter)). */
  retransmitted: boolean;
}

export interface PadKeyEvent {
  key: number;
  down: boolean;
  /** Host epoch ms at reception; `padMs` is the pad's raw timestamp (technician's key test). */
  at: number;
  padMs: number;
}

export type PadStatus = Extract<Rp1Message, { type: 'status' }>;
export type PadLed = Omit<Extract<Rp1Message, { type: 'setLed' }>, 'type'>;
export type PadBuzzer = Omit<Extract<Rp1Message, { type: 'buzzer' }>, 'type'>;

export interface PadEvents {
  rating: PadRatingEvent;
  key: PadKeyEvent;
  hello: PadHello;
  state: DeviceStateEvent;
  error: { code: string; detail?: string };
  status: PadStatus;
  /** A PONG: `armed` is status bit0; `at` is the driver clock's time of reception. */
  pong: { status: number; armed: boolean; at: number };
}

export interface PadDriverOptions {
  clock?: Clock;
  stats?: DeviceStats;
  /** "the host sends PING every 1 s; three missing PONGs = link down". */
  pingIntervalMs?: number;
  missedPongsLimit?: number;
  /** "answered within 100 ms": our wait before a retransmission. */
  ackTimeoutMs?: number;
  /** "retransmits up to 3 times". */
  maxRetransmissions?: number;
  handshakeTimeoutMs?: number;
}

/** HELLO payload → event ("capabilities u8 (bit0 RGB LEDs, bit1 buzzer, bit2 text display)"). */
export function helloFromMessage(m: Extract<Rp1Message, { type: 'hello' }>): PadHello {
  return {
    model: m.model,
    serial: m.serial,
    firmware: formatFirmware(m.firmware),
    keyCount: m.keyCount,
    capabilities: {
      rgbLeds: !!(m.capabilities & 1),
      buzzer: !!(m.capabilities & 2),
      textDisplay: !!(m.capabilities & 4),
    },
  };
}
