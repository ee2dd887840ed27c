/**
 * Starts the pad and ID-reader drivers under their supervisors and connects their events to the kiosk
 * core: RATING → session press, card read → real-name session (domain-rules §5). In demo mode the devices
 * are the project's simulators on socat ptys, so `npm start` exercises the real drivers and codecs.
 */
import type { KioskConfig, DeviceConfig } from '../config/schema.js';
import { DeviceSupervisor, type DeviceSnapshot } from '../../drivers/supervisor.js';
import { PadArmKeeper } from '../../drivers/pad/arm-keeper.js';
import { PadDriver } from '../../drivers/pad/pad-driver.js';
import { ratingName } from '../../drivers/idcard/identity.js';
import { cardProblemOf, describeCardForLog, ReaderDriver } from '../../drivers/idcard/reader-driver.js';
import type { KioskCore } from './kiosk-core.js';
import { padFeedback, samePadFeedback } from './pad-feedback.js';
import type { PadLed } from '../../drivers/pad/pad-types.js';
import type { Logger } from './logger.js';
import type { AdminPadPort } from './admin-service.js';
import { KioskError, SESSION_ERRORS } from '../shared/errors/index.js';

export interface DeviceServices {
  pad: {
    arm(id: number, timeoutSec: number, prompt: 'rate' | 'reason'): void;
    disarm(id: number): void;
  } | null;
  snapshot(): DeviceSnapshot[];
  /** The admin screens' LED, buzzer and key tests; null without an RP/1 pad. */
  padTest: AdminPadPort | null;
  /** Demo only: the simulators, for the console and tests. */
  simulators: { pad: unknown; reader: unknown } | null;
  stop(): Promise<void>;
}

/**
 * The pad's key LEDs follow the screen (armed keys lit, the reason step by pattern), the same for every
 * level so the clerk learns nothing. `resend` is for a new HELLO, since a replugged pad starts dark.
 */
function followScreenWithLeds(pad: PadDriver, core: KioskCore): { resend(): void; stop(): void } {
  let last: PadLed[] = [];
  const send = (leds: PadLed[]) => {
    if (!pad.hello?.capabilities.rgbLeds) return;
    last = leds;
    for (const led of leds) void pad.setLed(led).catch(() => undefined);
  };
  const offView = core.provider.subscribe((view) => {
    const next = padFeedback(view, pad.hello?.keyCount ?? 5);
    if (!samePadFeedback(next, last)) send(next);
  });
  return {
    resend: () => send(padFeedback(core.view(), pad.hello?.keyCount ?? 5)),
    stop: offView,
  };
}

function isPhysical(config: DeviceConfig): boolean {
  return config.transport !== 'none' && config.transport !== 'keyboard';
}

export async function startDevices(options: {
  config: KioskConfig;
  core: KioskCore;
  demo: boolean;
  log: Logger;
}): Promise<DeviceServices> {
  const { core, log } = options;
  let padConfig = options.config.devices.pad;
  let readerConfig = options.config.devices.reader;
  const stops: Array<() => Promise<void> | void> = [];
  let simulators: DeviceServices['simulators'] = null;

  if (options.demo) {
    const { PadSimulator } = await import('../../drivers/sim/pad-sim.js');
    const { ReaderSimulator } = await import('../../drivers/sim/reader-sim.js');
    const padSim = new PadSimulator({ kind: 'pty', name: 'demo-pad' });
    const readerSim = new ReaderSimulator({ kind: 'pty', name: 'demo-reader' });
    await Promise.all([padSim.start(), readerSim.start()]);
    stops.push(
      () => padSim.stop(),
      () => readerSim.stop(),
    );
    padConfig = { transport: 'serial', path: padSim.kioskPath, baudRate: 115200 };
    readerConfig = { transport: 'serial', path: readerSim.kioskPath, baudRate: 115200 };
    simulators = { pad: padSim, reader: readerSim };
    log({ level: 'info', msg: `demo devices: pad ${padSim.kioskPath}, reader ${readerSim.kioskPath}` });
  }

  const supervisors: DeviceSupervisor[] = [];
  let pad: PadDriver | null = null;
  if (isPhysical(padConfig)) {
    pad = new PadDriver();
    pad.on('rating', (e) => {
      const stored = core.padRating({
        padSerial: e.padSerial,
        eventCounter: e.eventCounter,
        padSessionId: e.padSessionId,
        key: e.key,
      });
      // Commit first, then ACK (issue 15 item 7): a listener that throws makes the driver NAK the RATING
      // (busy) instead of ACKing it, so the pad keeps it and sends it again. The failure itself was logged
      // and counted by the session controller (E7050).
      if (!stored) throw new KioskError(SESSION_ERRORS.commitFailed);
    });
    pad.on('key', (e) => core.padKeyEvent(e.key, e.down));
    pad.on('error', (e) => log({ level: 'warn', code: e.code, msg: 'pad error' }));
    supervisors.push(new DeviceSupervisor({ kind: 'pad', config: padConfig, driver: pad }));
  }
  if (isPhysical(readerConfig)) {
    const reader = new ReaderDriver();
    reader.on('card', ({ identity }) => {
      // Logs see the masked form only (domain-rules §5).
      log({ level: 'info', msg: `card read: ${describeCardForLog(identity)}` });
      core.cardRead({
        certKey: identity.certKey,
        // For an I/Y card the Chinese name when it has one, else the English one (issue 16).
        name: ratingName(identity),
        // By meaning; the 证件类型 code comes from the provisioned certTypes table (src/rating-path).
        certType: identity.certType,
      });
    });
    reader.on('error', (e) => {
      log({ level: 'warn', code: e.code, msg: 'reader error' });
      // A card the citizen tapped in vain is told on screen, instead of nothing (issue 16).
      const problem = cardProblemOf(e.code);
      if (problem) core.cardProblem(problem);
    });
    supervisors.push(new DeviceSupervisor({ kind: 'reader', config: readerConfig, driver: reader }));
  }
  for (const supervisor of supervisors) {
    supervisor.on('state', (e) =>
      log({ level: e.state === 'connected' ? 'info' : 'warn', code: e.code, msg: `${e.kind} ${e.state}` }),
    );
    supervisor.start();
  }

  // Driver commands are fire-and-forget for the session: a pad that does not answer is the supervisor's
  // business (reopen), never a reason to delay the citizen's screen. The arm keeper remembers the open
  // session's ARM and brings the pad back to it after a reconnect or a contradicting PONG (issue 16).
  let padCommands: DeviceServices['pad'] = null;
  if (pad) {
    const keeper = new PadArmKeeper(pad);
    const leds = followScreenWithLeds(pad, core);
    // After every HELLO: the ARM first, then the LEDs that match it, so the keys never light disarmed.
    const offHello = pad.on('hello', () => {
      keeper.reassert();
      leds.resend();
    });
    stops.push(() => {
      offHello();
      leds.stop();
      keeper.stop();
    });
    padCommands = {
      arm: (id, timeoutSec, prompt) => keeper.arm(id, timeoutSec, prompt === 'rate' ? 0 : 1),
      disarm: (id) => keeper.disarm(id),
    };
  }

  return {
    pad: padCommands,
    snapshot: () => supervisors.map((s) => s.snapshot()),
    padTest: pad
      ? {
          hello: () => (pad.connected ? (pad.hello ?? null) : null),
          setLed: (led) => pad.setLed(led),
          buzzer: (b) => pad.buzzer(b),
        }
      : null,
    simulators,
    async stop() {
      for (const supervisor of supervisors) await supervisor.stop();
      for (const stop of stops) await stop();
    },
  };
}
