/**
 * Carries out one window's part of the hall week against a real kiosk process: the window system's calls
 * (window link), the citizen's presses on the simulated pad and on the screen (KioskApi over the browser
 * host's WebSocket), cards on the simulated reader, power cuts (SIGKILL) and nights (SIGTERM). It waits for
 * events only (SSE, the pushed view, the pad's ARM, the province's ledger), never for a guessed time.
 *
 * It asserts nothing itself: what it sees differ from the expected ledger is a `Finding`, named with the
 * issue 15 item it most likely shows, and the day goes on, so one run lists everything still wrong.
 */
import type { PadSimulator } from '../../drivers/sim/pad-sim.js';
import type { ReaderSimulator } from '../../drivers/sim/reader-sim.js';
import type { KioskView } from '../../src/shared/kiosk-api.js';
import type { LevelKey } from '../../src/shared/levels.js';
import { until } from '../support/polling.js';
import { cardOf } from './cards.js';
import {
  defaultsDueBy,
  defaultsNotYetDue,
  type ExpectedService,
  type ExpectedWeek,
  type ResumeCheck,
} from './expected-ledger.js';
import { startProvisionedKiosk, type KioskChild } from './kiosk-child.js';
import { LinkClient } from './link-client.js';
import type { HallPlan, PlannedService, Step, WindowSpec } from './plan.js';
import type { ProvinceRecord } from './reconcile.js';
import { ScreenClient } from './screen-client.js';
import type { ScenarioClock } from './sim-clock.js';

export interface Finding {
  window: string;
  day: number;
  /** The issue 15 item this most likely shows, or null. */
  item: number | null;
  message: string;
}

export interface DriverContext {
  plan: HallPlan;
  week: ExpectedWeek;
  clock: ScenarioClock;
  provinceRecords: () => ProvinceRecord[];
  findings: Finding[];
  /** Session timings the kiosks were provisioned with (scenario seconds). */
  session: { timeoutSec: number; reasonTimeoutSec: number; responseIntervalSec: number };
}

export interface WindowRig {
  spec: WindowSpec;
  dataDir: string;
  pad: PadSimulator;
  reader: ReaderSimulator;
  linkToken: string;
  adminToken: string;
}

const KEY_OF: Readonly<Record<LevelKey, number>> = {
  very_satisfied: 1,
  satisfied: 2,
  basic: 3,
  dissatisfied: 4,
  very_dissatisfied: 5,
};
const isBad = (level: LevelKey) => level === 'dissatisfied' || level === 'very_dissatisfied';
const REASON_TEXT = '等候时间太长，窗口只开了一个';

/** HALL_WEEK_TRACE=1 prints each step with its real duration (where a slow week spends its time). */
const TRACE = process.env.HALL_WEEK_TRACE === '1';

/** Real-time bounds for things that happen by themselves within a few scenario seconds. */
const EVENT_MS = 15_000;

export class WindowDriver {
  kiosk: KioskChild | null = null;
  link: LinkClient | null = null;
  screen: ScreenClient | null = null;
  readonly #resumes: ResumeCheck[];
  readonly #expected = new Map<string, ExpectedService>();
  /** Session id → the plan's service it was opened for (a reused id shows a wrong service key). */
  readonly #sessionOf = new Map<string, string>();
  #lastRatedAt = Number.NEGATIVE_INFINITY;
  #catalogueReady = false;
  #day = 0;

  constructor(
    readonly rig: WindowRig,
    readonly ctx: DriverContext,
  ) {
    this.#resumes = ctx.week.resumes.filter((r) => r.window === rig.spec.key);
    for (const e of ctx.week.services)
      if (e.service.window === rig.spec.key) this.#expected.set(e.service.id, e);
  }

  get deviceId(): string {
    return this.rig.spec.deviceId;
  }

  #find(item: number | null, message: string): void {
    this.ctx.findings.push({ window: this.rig.spec.windowNo, day: this.#day, item, message });
  }

  async runDay(day: number): Promise<void> {
    this.#day = day;
    const steps = this.ctx.plan.schedule[this.rig.spec.key].find((d) => d.day === day)?.steps ?? [];
    for (const step of steps) {
      const began = performance.now();
      try {
        await this.#step(step);
        if (TRACE)
          console.log(
            `${this.rig.spec.windowNo} day ${day} ${step.kind}${step.kind === 'service' ? ` ${step.service.id} ${step.service.action.kind}` : ''}: ${Math.round(performance.now() - began)} ms`,
          );
      } catch (error) {
        // A step that threw (a call refused at the socket, a kiosk gone): noted with the kiosk's last words,
        // and a kiosk that died by itself is started again so the week goes on.
        const crashed = this.kiosk !== null && this.kiosk.child.exitCode !== null;
        this.#find(
          crashed ? 7 : null,
          `${step.kind}${step.kind === 'service' ? ` ${step.service.id}` : ''} failed: ${String(error)}${crashed ? ` (kiosk exited ${this.kiosk?.child.exitCode})` : ''}\n${this.kiosk?.output().slice(-1500) ?? ''}`,
        );
        if (crashed && step.kind !== 'stop') {
          this.#disconnect();
          this.kiosk = null;
          await this.boot();
        }
      }
    }
  }

  async #step(step: Step): Promise<void> {
    switch (step.kind) {
      case 'start':
        await this.boot();
        await this.#checkResume();
        await this.#checkDefaultsOfTheMorning();
        return;
      case 'sign-in':
        return this.#expectOk('sign-in', await this.#link().post('/v1/staff/signin', step.clerk));
      case 'sign-out':
        return this.#expectOk('sign-out', await this.#link().post('/v1/staff/signout', {}));
      case 'window': {
        const body = step.message ? { status: step.status, message: step.message } : { status: step.status };
        this.#expectOk(`window ${step.status}`, await this.#link().post('/v1/window/status', body));
        const screen = step.status === 'open' ? 'idle' : step.status;
        await this.#screen()
          .waitFor(`the screen to show ${screen}`, (v) => v.screen === screen, EVENT_MS)
          .catch(() =>
            this.#find(null, `window ${step.status}: the screen shows ${this.#screen().view?.screen}`),
          );
        return;
      }
      case 'refused-report': {
        const answer = await this.#link().post('/v1/service/completed', this.#report(step.service));
        if (answer.status !== 409)
          this.#find(2, `${step.service.ticketNo} reported while paused answered ${answer.status}, not 409`);
        return;
      }
      case 'service':
        return this.#serve(step.service);
      case 'power-cut':
        await this.powerCut();
        await this.#checkResume();
        return;
      case 'stop':
        return this.stop();
    }
  }

  // ── process ──────────────────────────────────────────────────────────────────────────────────────
  /** Starts the provisioned kiosk and waits until its devices are connected and its screen is up. */
  async boot(): Promise<void> {
    this.kiosk = await startProvisionedKiosk(this.rig.dataDir, this.ctx.clock);
    this.link = new LinkClient(this.kiosk.linkUrl, this.rig.linkToken, this.rig.adminToken);
    await this.link.openEvents();
    this.screen = await ScreenClient.connect(this.kiosk.uiUrl);
    const devicesUp = await until(
      'the pad and the reader to connect',
      async () => {
        const devices = ((await this.#link().diagnostics()).devices ?? []) as Array<{
          kind: string;
          state: string;
        }>;
        return ['pad', 'reader'].every((k) => devices.some((d) => d.kind === k && d.state === 'connected'));
      },
      EVENT_MS,
    ).catch(() => false);
    if (!devicesUp) this.#find(null, 'the pad or the reader did not connect after a start');
    if (!this.#catalogueReady) {
      // The first start downloads the province catalogue; until then sessions would offer the built-in one.
      this.#catalogueReady = await until(
        'the province catalogue',
        async () =>
          ((await this.#link().diagnostics()).catalogue as { source?: string } | undefined)?.source ===
          'province',
        EVENT_MS,
      ).catch(() => false);
      if (!this.#catalogueReady) this.#find(null, 'the province catalogue never arrived');
    }
  }

  /** SIGKILL, then the next start (a power cut and the power coming back). */
  async powerCut(): Promise<void> {
    this.#disconnect();
    await this.kiosk?.kill();
    this.kiosk = null;
    await this.boot();
  }

  /** The night: SIGTERM; a clean stop exits 0. */
  async stop(): Promise<void> {
    this.#disconnect();
    const code = await this.kiosk?.stop();
    if (code !== 0)
      this.#find(7, `SIGTERM ended the kiosk with ${code}:\n${this.kiosk?.output().slice(-2000)}`);
    this.kiosk = null;
  }

  #disconnect(): void {
    this.link?.closeEvents();
    this.screen?.close();
  }

  #link(): LinkClient {
    if (!this.link) throw new Error('no kiosk running');
    return this.link;
  }

  #screen(): ScreenClient {
    if (!this.screen) throw new Error('no kiosk running');
    return this.screen;
  }

  #expectOk(what: string, answer: { status: number; json: unknown }): void {
    if (answer.status < 200 || answer.status > 299)
      this.#find(null, `${what} answered ${answer.status} ${JSON.stringify(answer.json)}`);
  }

  // ── checks at a start ──────────────────────────────────────────────────────────────────────────────
  /** The window status, pause message and clerk left before the night or the power cut (domain-rules §11). */
  async #checkResume(): Promise<void> {
    const expected = this.#resumes.shift();
    if (!expected || expected.status === null) return;
    const screen = expected.status === 'open' ? 'idle' : expected.status;
    const matches = (v: KioskView) =>
      (v.screen === screen || (screen === 'idle' && v.screen === 'thanks')) &&
      (expected.status !== 'paused' || v.pauseMessage === expected.pauseMessage) &&
      (v.clerk?.staffId ?? null) === (expected.clerk?.staffId ?? null);
    await this.#screen()
      .waitFor('the window as it was left', matches, 5_000)
      .catch(() => {
        const v = this.#screen().view;
        this.#find(
          2,
          `after the ${expected.after} the screen shows ${v?.screen} with clerk ${v?.clerk?.staffId ?? 'none'}; ` +
            `expected ${screen} with clerk ${expected.clerk?.staffId ?? 'none'}`,
        );
      });
  }

  /** Each morning: every default due by today is at the province once the outbox drained; none early (§4). */
  async #checkDefaultsOfTheMorning(): Promise<void> {
    const due = defaultsDueBy(this.ctx.week, this.deviceId, this.#day);
    const early = defaultsNotYetDue(this.ctx.week, this.deviceId, this.#day);
    await this.drained();
    const defaults = new Set(
      this.ctx
        .provinceRecords()
        .filter((r) => r.deviceId === this.deviceId && r.isDefault === '1')
        .map((r) => r.projectNo),
    );
    const missing = due.filter((e) => !defaults.has(e.projectNo));
    const premature = early.filter((e) => defaults.has(e.projectNo));
    // Reported on the morning each falls due; the reconciliation at the end counts every one again.
    for (const e of missing.filter((m) => m.dueDay === this.#day))
      this.#find(
        e.service.action.kind === 'power-cut' ? 3 : e.service.citizen ? 4 : null,
        `day ${this.#day}: no default at the province for ${e.service.id} (day ${e.service.day}, ${e.service.action.kind}${e.service.citizen ? ', real-name' : ''})`,
      );
    for (const e of premature)
      this.#find(null, `day ${this.#day}: default for ${e.service.id} before 00:00 of day ${e.dueDay} (§4)`);
  }

  /** Until the kiosk's outbox is empty (delivered or dead-lettered), bounded; false when it was not. */
  async drained(timeoutMs = 60_000): Promise<boolean> {
    const ok = await until(
      'the outbox to drain',
      async () => ((await this.#link().diagnostics()).outbox as { depth?: number } | undefined)?.depth === 0,
      timeoutMs,
    ).catch(() => false);
    if (!ok) {
      const d = await this.#link()
        .diagnostics()
        .catch(() => null);
      this.#find(null, `the outbox did not drain: ${JSON.stringify({ outbox: d?.outbox, sync: d?.sync })}`);
    }
    return ok;
  }

  // ── a service ──────────────────────────────────────────────────────────────────────────────────────
  #report(s: PlannedService): Record<string, unknown> {
    const body: Record<string, unknown> = { ticketNo: s.ticketNo };
    if (s.projectNo)
      Object.assign(body, { projectNo: s.projectNo, taskCode: s.taskCode, taskName: s.taskName });
    if (s.staff) body.staff = s.staff;
    if (s.citizen?.via === 'link') {
      const p = s.citizen.person;
      body.citizen = { certType: p.certType, certKey: p.certKey, userName: p.userName };
    }
    return body;
  }

  async #serve(s: PlannedService): Promise<void> {
    const expected = this.#expected.get(s.id)!;
    const armsBefore = this.rig.pad.received.filter((m) => m.type === 'arm').length;
    const answer = await this.#link().post('/v1/service/completed', this.#report(s));
    const sessionId = answer.json?.sessionId;
    if (answer.status !== 202 || typeof sessionId !== 'string') {
      this.#find(
        s.citizen?.via === 'link' ? 5 : null,
        `${s.id} ${s.ticketNo}: report answered ${answer.status} ${JSON.stringify(answer.json)}`,
      );
      return;
    }
    const earlier = this.#sessionOf.get(sessionId);
    if (earlier !== undefined && earlier !== s.id) {
      this.#find(
        1,
        `${s.id} ${s.ticketNo}: answered the session of ${earlier} (service key without the day?)`,
      );
      return;
    }
    this.#sessionOf.set(sessionId, s.id);
    if (s.repeatReport) {
      const again = await this.#link().post('/v1/service/completed', this.#report(s));
      if (again.status !== 202 || again.json?.sessionId !== sessionId)
        this.#find(
          null,
          `${s.id}: a repeated report answered ${again.status} ${JSON.stringify(again.json)}, not the same session`,
        );
    }
    const opened = await this.#link()
      .waitForEvent(
        `session.opened for ${s.id}`,
        (e) => e.type === 'session.opened' && e.sessionId === sessionId,
        EVENT_MS,
      )
      .catch(() => null);
    const onScreen = await this.#screen()
      .waitFor(`${s.id} on the screen`, (v) => v.session?.sessionId === sessionId, EVENT_MS)
      .catch(() => null);
    if (!opened || !onScreen) {
      this.#find(
        s.projectNo === null && s.day > 1 ? 1 : null,
        `${s.id} ${s.ticketNo}: no session opened (SSE ${!!opened}, screen ${!!onScreen})`,
      );
      return;
    }
    if (s.citizen?.via === 'reader') await this.#tapCard(s, sessionId);

    const action = s.action;
    if (action.kind === 'power-cut') return this.#powerCutMidSession(s, expected);
    if (action.kind === 'rate' || action.kind === 'abandon') {
      await this.#spaceFromLastRating();
      const pressed = await this.#press(action.press, action.level, sessionId, armsBefore, s.id);
      if (!pressed) return;
      if (isBad(action.level)) {
        const reasons = await this.#screen()
          .waitFor(
            `${s.id}: the reasons step`,
            (v) => v.session?.sessionId === sessionId && v.session.step === 'reasons',
            EVENT_MS,
          )
          .catch(() => null);
        if (!reasons) {
          this.#find(null, `${s.id}: a 差评 press did not lead to the reasons step`);
        } else if (action.kind === 'rate') {
          await this.#submitReasons(reasons, sessionId, action.reasons ?? 'codes', s.id);
        }
      } else {
        // ⟨r2⟩ a good level may also pass through the (optional) reasons step: submit it as it is.
        const next = await this.#screen()
          .waitFor(
            `${s.id}: rated or reasons`,
            (v) => v.session?.sessionId !== sessionId || v.session.step === 'reasons',
            EVENT_MS,
          )
          .catch(() => null);
        if (next?.session?.sessionId === sessionId)
          await this.#screen().call('submitReasons', sessionId, [], '');
      }
    }
    // A time-out, an abandoned reasons step or the rating itself: the session ends with its state.
    const timeoutMs =
      this.ctx.clock.real((this.ctx.session.timeoutSec + this.ctx.session.reasonTimeoutSec) * 1000) +
      EVENT_MS;
    const closed = await this.#link()
      .waitForEvent(
        `session.closed for ${s.id}`,
        (e) => e.type === 'session.closed' && e.sessionId === sessionId,
        timeoutMs,
      )
      .catch(() => null);
    if (!closed) this.#find(null, `${s.id}: the session never closed`);
    else if (closed.state !== expected.sessionState)
      this.#find(null, `${s.id}: session closed ${closed.state}, expected ${expected.sessionState}`);
    if (closed?.state === 'rated') this.#lastRatedAt = this.ctx.clock.now();
    this.rig.reader.removeCard();
  }

  /** The response interval (§7) measures from the last accepted rating: the next citizen comes after it. */
  async #spaceFromLastRating(): Promise<void> {
    const after = this.#lastRatedAt + (this.ctx.session.responseIntervalSec + 1) * 1000;
    await until('the response interval to pass', () => this.ctx.clock.now() >= after, EVENT_MS);
  }

  /**
   * The citizen taps the card, and taps again (a new presentation, a new card serial) while the kiosk has not
   * taken it: at 5× speed a kiosk starved of CPU by the other window's start can miss a 100 ms reader reply
   * (E5008) and reopen the port, as a real reader does now and then. Given up 3 s before the session's end.
   */
  async #tapCard(s: PlannedService, sessionId: string): Promise<void> {
    const person = s.citizen!.person;
    const deadline = (this.#screen().view?.session?.deadline ?? this.ctx.clock.now()) - 3_000;
    const taken = (v: KioskView) => v.session?.sessionId === sessionId && v.session.citizen !== null;
    let read: KioskView | null = null;
    while (!read && this.ctx.clock.now() < deadline) {
      this.rig.reader.presentCard(cardOf(person));
      read = await this.#screen()
        .waitFor(
          `${s.id}: the card read`,
          taken,
          Math.max(1, Math.min(1_500, this.ctx.clock.real(deadline - this.ctx.clock.now()))),
        )
        .catch(() => null);
      this.rig.reader.removeCard();
    }
    if (!read) this.#find(5, `${s.id}: the reader's ${person.kind} card was not taken`);
  }

  /** A press on the pad (once the pad was armed for this session) or on the screen. */
  async #press(
    via: 'pad' | 'screen',
    level: LevelKey,
    sessionId: string,
    armsBefore: number,
    id: string,
  ): Promise<boolean> {
    if (via === 'screen') {
      const result = (await this.#screen().call('rate', sessionId, level)) as { ok?: boolean; code?: string };
      if (result?.ok !== true)
        this.#find(null, `${id}: the screen's rate answered ${JSON.stringify(result)}`);
      return result?.ok === true;
    }
    const armed = await until(
      `${id}: the pad armed`,
      () => this.rig.pad.received.filter((m) => m.type === 'arm').length > armsBefore,
      EVENT_MS,
    ).catch(() => false);
    if (!armed) {
      this.#find(null, `${id}: the pad was never armed for the session`);
      return false;
    }
    this.rig.pad.press(KEY_OF[level]);
    return true;
  }

  async #submitReasons(
    view: KioskView,
    sessionId: string,
    kind: 'codes' | 'codes+text',
    id: string,
  ): Promise<void> {
    const session = view.session!;
    const codes = session.reasons.slice(0, kind === 'codes' ? 2 : 1).map((r) => r.code);
    const text = kind === 'codes+text' && session.textAllowed ? REASON_TEXT.slice(0, session.textMax) : '';
    const result = (await this.#screen().call('submitReasons', sessionId, codes, text)) as { ok?: boolean };
    if (result?.ok !== true) this.#find(null, `${id}: submitReasons answered ${JSON.stringify(result)}`);
  }

  /** SIGKILL with the session open; after the start the service must read unrated (§2 ⟨r2⟩). */
  async #powerCutMidSession(s: PlannedService, expected: ExpectedService): Promise<void> {
    await this.powerCut();
    await this.#checkResume();
    const state = await this.#link().call('GET', `/v1/services/${encodeURIComponent(s.ticketNo)}`);
    const seen = (state.json as { state?: string } | null)?.state;
    if (seen !== expected.sessionState)
      this.#find(
        3,
        `${s.id}: open at the power cut, after the start it reads ${seen ?? state.status}, expected ${expected.sessionState}`,
      );
    this.rig.reader.removeCard();
  }
}
