/**
 * Heartbeat every 5 min when online (province-profile.md "Kiosk behaviour", payload per "Endpoints"
 * `/heartbeat`): outbox depth, oldest unsent, last chain link, and the count of 差评 abandoned without a
 * reason (domain-rules §3, `abandonedBad`). "Online" = the outbox worker is not backing off or halted.
 */
import type { OutboxPort } from './outbox-port.js';
import type { HeartbeatPayload, ProvinceAdapter } from './province/adapter.js';
import { realTimers, TimerSlot, type Timers } from './scheduler.js';
import { formatRecordTime } from './time.js';

export function buildHeartbeatPayload(
  port: OutboxPort,
  deviceId: string,
  appVersion: string,
): HeartbeatPayload {
  const stats = port.stats();
  const link = port.lastLink();
  return {
    deviceId,
    appVersion,
    outboxDepth: stats.depth,
    oldestUnsentAt: stats.oldestUnsentAt === null ? '' : formatRecordTime(stats.oldestUnsentAt),
    lastSeq: link.seq,
    lastHash: link.hash,
    abandonedBad: port.abandonedBadCount(),
  };
}

export interface HeartbeatOptions {
  adapter: Pick<ProvinceAdapter, 'heartbeat'>;
  port: OutboxPort;
  deviceId: string;
  appVersion: string;
  isOnline: () => boolean;
  now?: () => number;
  timers?: Timers;
  intervalMs?: number;
  log?: (event: string, details: Record<string, unknown>) => void;
}

export interface HeartbeatStatus {
  lastBeatAt: number | null;
  lastError: { code: string; at: number } | null;
  clockOffsetMs: number | null;
  serverTime: string | null;
}

export function createHeartbeat(options: HeartbeatOptions): {
  start(): void;
  stop(): void;
  beat(): Promise<boolean>;
  status(): HeartbeatStatus;
} {
  const now = options.now ?? Date.now;
  const slot = new TimerSlot(options.timers ?? realTimers);
  const interval = options.intervalMs ?? 300_000;
  const status: HeartbeatStatus = {
    lastBeatAt: null,
    lastError: null,
    clockOffsetMs: null,
    serverTime: null,
  };
  let beating = false;

  async function beat(): Promise<boolean> {
    if (beating) return false;
    beating = true;
    try {
      const outcome = await options.adapter.heartbeat(
        buildHeartbeatPayload(options.port, options.deviceId, options.appVersion),
      );
      if (outcome.clockOffsetMs !== null) status.clockOffsetMs = outcome.clockOffsetMs;
      if (!outcome.ok) {
        status.lastError = { code: outcome.failure.error.code, at: now() };
        options.log?.('sync.heartbeat-failed', { code: outcome.failure.error.code });
        return false;
      }
      status.lastBeatAt = now();
      status.serverTime = outcome.serverTime;
      return true;
    } catch (error) {
      options.log?.('sync.heartbeat-failed', { error: String(error) });
      return false;
    } finally {
      beating = false;
    }
  }

  const tick = () => {
    if (options.isOnline()) void beat();
    slot.arm(tick, interval);
  };

  return { start: () => slot.arm(tick, 0), stop: () => slot.clear(), beat, status: () => ({ ...status }) };
}

/** The outbox worker's view of "online" for the heartbeat. */
export function isOnlineState(state: string): boolean {
  return state === 'idle' || state === 'sending';
}
