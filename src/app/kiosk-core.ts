/**
 * The kiosk core: one object that is both the renderer's KioskApi and the window link's backend. It turns
 * window-system calls, touches, pad presses and card reads into session-engine inputs (SessionController)
 * and publishes a fresh KioskView after each change. All clocks and ids are injected so tests control them.
 */
import type { KioskConfig } from '../config/schema.js';
import type { KioskApiProvider } from '../host/provider.js';
import type { CompletedServiceInput, LinkBackend, LinkEvent, ServiceState } from '../link/index.js';
import type { SessionEffect, WindowStatus } from '../session/index.js';
import type { CardNoticeKind, KioskApi, KioskView, Language } from '../shared/kiosk-api.js';
import { KioskError, LINK_ERRORS } from '../shared/errors/index.js';
import { createCspReporter, type CspReporter } from './csp-reporter.js';
import { DEFAULT_KEY_LEVELS, type LevelKey } from '../shared/levels.js';
import type { KioskStore } from '../store/index.js';
import type { PersonCertType } from '../shared/cert-type.js';
import {
  citizenIdentityOf,
  createServiceIntake,
  shanghaiDay,
  type ServiceIntake,
} from '../rating-path/index.js';
import type { CatalogueSource } from './catalogue-source.js';
import { createAuditTrail, findStaffByCard, type AuditTrail } from '../config/index.js';
import { DAY_MS, parseShanghaiDate } from '../sync/time.js';
import { SessionController, type RatingToCommit } from './session-controller.js';
import { citizenApi } from './citizen-api.js';
import { TimedNote } from './timed-note.js';
import { OpeningHoursGate } from './opening-hours-gate.js';
import { catalogueRefFrom, citizenRefFor } from './session-inputs.js';
import { buildView } from './view-builder.js';
import { starsFromSatisfaction, windowStateFrom, withStatus, type WindowState } from './window-state.js';
import { reportListenerError } from '../shared/listener-errors.js';
import { SESSION_ERRORS } from '../shared/errors/index.js';
import type { SessionInput } from '../session/index.js';
import type { FeedResult } from './session-controller.js';
import { maskIdNumber, maskName } from '../../drivers/idcard/mask.js';
import { adminApi, type AdminService } from './admin-service.js';

export interface PadCommands {
  arm(padSessionId: number, timeoutSec: number, prompt: 'rate' | 'reason'): void;
  disarm(padSessionId: number): void;
}

export interface KioskCoreDeps {
  config: KioskConfig;
  demo: boolean;
  version: string;
  store: KioskStore;
  catalogue: CatalogueSource;
  now: () => number;
  log: (entry: { level: 'info' | 'warn' | 'error'; code?: string; msg: string }) => void;
  /** Builds the province record draft and commits it (store.commitRating) in one transaction. */
  commitRating: (rating: RatingToCommit) => void;
  projectNoFor: (service: { ticketNo: string; projectNo: string | null; completedAt: number }) => string;
  pad?: PadCommands;
  online?: () => boolean;
  syncNow?: () => void;
  diagnostics?: () => unknown;
  health?: () => { status: 'ok' | 'degraded' };
  /** `POST /v1/admin/provision` (src/config/provisioning.ts). */
  provision?: LinkBackend['provision'];
  audit?: AuditTrail;
  /** The admin screens (admin-service.ts); without it every admin call is refused. */
  admin?: AdminService;
}

/** A card note: long enough to read twice at a counter, short enough not to linger for the next citizen. */
const CARD_NOTICE_MS = 5_000;
const STAR_WINDOW_MS = 30 * 24 * 3600 * 1000;

export class KioskCore implements LinkBackend {
  readonly provider: KioskApiProvider;
  private readonly controller: SessionController;
  /** Resumed from the store at start and written there on every change (domain-rules §11). */
  private window: WindowState;
  /** Set when the citizen's last press could not be saved (E7050): the rate screen asks to press again. */
  private saveFailed: { code: string } | null = null;
  private readonly viewListeners = new Set<(view: KioskView) => void>();
  private readonly linkListeners = new Set<(event: LinkEvent) => void>();
  private language: Language;
  private largeType: boolean;
  /**
   * The note after a card tap that gave no identity (issue 16): "未能读取证件，请重新放置" or "暂不支持此证件", on
   * whatever screen the citizen faces; a good read ends it at once.
   */
  private readonly cardNotice = new TimedNote<{ kind: CardNoticeKind }>(() => this.publish());
  /** Thanks for `thanksSec`, then idle in the default language: the next citizen must not inherit it. */
  private readonly thanks = new TimedNote<object>(() => {
    this.language = this.deps.config.ui.defaultLanguage;
    this.publish();
  });
  private viewVersion = 0;
  private padSessionCounter = 0;
  private stars: number | null = null;

  readonly provision: LinkBackend['provision'];
  /** Closed by opening hours (config.openingHours), as opposed to closed by the window system. */
  private readonly hours: OpeningHoursGate;
  /** Reported services → stored rows (key, clerk, identity): src/rating-path/intake.ts. */
  private readonly intake: ServiceIntake;
  /** Sign-ins and sign-outs go to the audit trail (the factory's, or one on this store). */
  private readonly audit: AuditTrail;
  /** CSP violations the page reported (E8013), shown on diagnostics. */
  private readonly csp: CspReporter;

  constructor(private deps: KioskCoreDeps) {
    this.window = windowStateFrom(deps.store.windowState());
    this.intake = createServiceIntake({
      store: deps.store,
      defaultStaff: () => this.deps.config.window.defaultStaff,
    });
    this.csp = createCspReporter(deps.log);
    this.language = deps.config.ui.defaultLanguage;
    this.largeType = deps.config.ui.largeType;
    const s = deps.config.session;
    this.controller = new SessionController(
      {
        store: deps.store,
        policy: {
          timeoutMs: s.timeoutSec * 1000,
          reasonTimeoutMs: s.reasonTimeoutSec * 1000,
          responseIntervalMs: s.responseIntervalSec * 1000,
          tooFastMs: s.tooFastMs,
          idBurstPerDay: s.idBurstPerDay,
        },
        now: deps.now,
        commitRating: deps.commitRating,
        onEffect: (effect) => this.onEffect(effect),
        log: deps.log,
        // A session ended by its own deadline (timeout, walk-away) must reach the screen, the pad LEDs and
        // the window system like any other change.
        setTimer: (fn, ms) =>
          setTimeout(() => {
            fn();
            this.publish();
          }, ms),
      },
      this.window.status,
    );
    this.provision = deps.provision;
    this.audit = deps.audit ?? createAuditTrail(deps.store, deps.now);
    deps.admin?.bind({
      canOpen: () => this.controller.current.current === null,
      onChange: () => this.publish(),
    });
    this.refreshStars();
    this.hours = new OpeningHoursGate(
      () => this.deps.config.openingHours,
      deps.now,
      () => {
        this.feedSession({ type: 'window.status', at: this.deps.now(), status: this.effectiveStatus() });
        this.publish();
      },
    );
    this.hours.refresh();
    const api = this.createApi();
    this.provider = {
      api,
      subscribe: (listener) => {
        this.viewListeners.add(listener);
        return () => this.viewListeners.delete(listener);
      },
    };
  }

  stop(): void {
    this.deps.admin?.stop();
    this.controller.stop();
    this.hours.stop();
    this.thanks.clear();
    this.cardNotice.clear();
    this.viewListeners.clear();
    this.linkListeners.clear();
  }

  cspViolationCount(): number {
    return this.csp.count();
  }

  /** Session writes (rating commits, closes) that failed since start, for diagnostics (E7050). */
  commitFailureCount(): number {
    return this.controller.writeFailures;
  }

  currentConfig(): KioskConfig {
    return this.deps.config;
  }

  /** Settings that apply without a restart (staff roster, opening hours, UI, admin). */
  applyLiveConfig(config: KioskConfig): void {
    this.deps.config = config;
    this.hours.refresh();
    this.publish();
  }

  /** The status the session engine and the screen see: the window system's, or closed outside opening hours. */
  private effectiveStatus(): WindowStatus {
    return this.hours.closed ? 'closed' : this.window.status;
  }

  view(): KioskView {
    const session = this.controller.current.current;
    let projectNo: string | null = null;
    if (session) {
      const service = this.deps.store.getService(session.service.serviceId);
      if (service) projectNo = this.deps.projectNoFor(service);
    }
    const built = buildView({
      version: this.viewVersion,
      now: this.deps.now(),
      config: this.deps.config,
      demo: this.deps.demo,
      online: this.deps.online?.() ?? true,
      language: this.language,
      largeType: this.largeType,
      window: { ...this.window, status: this.effectiveStatus() },
      stars: this.stars,
      session,
      sessionProjectNo: projectNo,
      catalogue: this.deps.catalogue.current(),
      thanksUntil: this.thanks.current?.until ?? null,
      cardNotice: this.cardNotice.current,
    });
    const view: KioskView = { ...built, saveFailed: session ? this.saveFailed : null };
    // While the admin screens are open no rating session is shown (one opening closes them, see onEffect).
    const admin = this.deps.admin?.view() ?? null;
    return admin ? { ...view, screen: 'admin', session: null, thanksUntil: null, admin } : view;
  }

  // ── LinkBackend (window-link.md) ────────────────────────────────────────────────────────────────
  staffSignIn(input: { staffId: string; name: string; title: string | null; photo: string | null }): void {
    this.signIn(input, 'link');
  }

  staffSignOut(): void {
    const staffId = this.window.clerk?.staffId ?? null;
    this.changeWindow({ ...this.window, clerk: null });
    this.audit.record(staffId ? `staff:${staffId}` : 'link', {
      type: 'staff.sign-out',
      staffId,
      via: 'link',
    });
    this.publish();
  }

  setWindowStatus(status: WindowStatus, message: string | null): void {
    this.changeWindow(withStatus(this.window, status, message));
    this.feedSession({ type: 'window.status', at: this.deps.now(), status: this.effectiveStatus() });
    this.publish();
  }

  serviceCalled(ticketNo: string): void {
    this.changeWindow({ ...this.window, calledTicket: ticketNo });
    this.publish();
  }

  serviceCompleted(input: CompletedServiceInput): { sessionId: string; created: boolean } {
    // The rating write path (src/rating-path/intake.ts) decides the key, the clerk and the identity stored.
    const existing = this.intake.existing(input);
    if (existing) return { sessionId: existing.sessionId, created: false };
    this.hours.refresh();
    if (this.effectiveStatus() !== 'open') throw new KioskError(LINK_ERRORS.windowNotOpen);
    const now = this.deps.now();
    const row = this.intake.record(input, this.window.clerk, now);
    const citizen = input.citizen ? citizenIdentityOf(input.citizen) : null;
    this.padSessionCounter = (this.padSessionCounter % 0xfffffffe) + 1;
    const result = this.feedSession({
      type: 'service.completed',
      at: now,
      service: {
        serviceId: row.id,
        sessionId: row.sessionId,
        ticketNo: row.ticketNo,
        padSessionId: this.padSessionCounter,
      },
      citizen: citizen ? citizenRefFor(row.id, citizen, 'window', now, this.deps.store) : null,
      catalogue: catalogueRefFrom(this.deps.catalogue.current()),
    });
    if (result.refused) throw new KioskError(LINK_ERRORS.windowNotOpen, result.refused.message);
    this.changeWindowAfterTheFact({ ...this.window, calledTicket: null });
    this.publish();
    return { sessionId: row.sessionId, created: true };
  }

  /** That ticket's latest service today: tickets restart every day (window-link.md). */
  serviceState(ticketNo: string): ServiceState | null {
    return this.deps.store.serviceStateByTicket(ticketNo, shanghaiDay(this.deps.now()));
  }

  subscribe(listener: (event: LinkEvent) => void): () => void {
    this.linkListeners.add(listener);
    return () => this.linkListeners.delete(listener);
  }

  health(): { status: 'ok' | 'degraded'; version: string } {
    const chainOk = this.deps.store.chainStatus().ok;
    const extra = this.deps.health?.().status ?? 'ok';
    return { status: chainOk && extra === 'ok' ? 'ok' : 'degraded', version: this.deps.version };
  }

  diagnostics(): unknown {
    return this.deps.diagnostics?.() ?? {};
  }

  ratingsSummary(date: string): unknown {
    const start = parseShanghaiDate(date);
    if (start === null) throw new RangeError('date must be a real YYYY-MM-DD date');
    return { date, ...this.deps.store.ratingsSummary(start, start + DAY_MS) };
  }

  syncNow(): void {
    this.deps.syncNow?.();
  }

  // ── Devices ─────────────────────────────────────────────────────────────────────────────────────
  /**
   * A RATING from an RP/1 pad; replays of a (pad serial, event counter) already stored count once. Answers
   * false when it could not be stored (E7050): the wiring then lets the driver NAK it instead of ACKing, so
   * the pad keeps it (commit first, then ACK: issue 15 item 7).
   */
  padRating(input: { padSerial: string; eventCounter: number; padSessionId: number; key: number }): boolean {
    if (this.deps.store.padEventSeen(input.padSerial, input.eventCounter)) return true;
    const level = this.levelForKey(input.key);
    if (!level) return true;
    const result = this.feedSession(
      { type: 'press', at: this.deps.now(), level, source: 'pad', padSessionId: input.padSessionId },
      { padSerial: input.padSerial, eventCounter: input.eventCounter },
    );
    this.publish();
    return !result.writeFailed;
  }

  /** An ID card read on the kiosk's own reader: makes the open session real-name (domain-rules §5). */
  cardRead(identity: { certKey: string; name: string; certType: PersonCertType }): void {
    this.cardNotice.clear(); // a tap that worked ends the note of one that did not
    if (this.deps.admin?.active()) {
      // The reader test: masked here, so the admin service never holds the identity; no clerk sign-in.
      this.deps.admin.cardRead({
        maskedName: maskName(identity.name),
        maskedId: maskIdNumber(identity.certKey),
      });
      return;
    }
    const session = this.controller.current.current;
    if (!session) {
      this.cardSignIn(identity.certKey);
      return;
    }
    // Stored by meaning; the 证件类型 code is the adapter's business (domain-rules §5 ⟨r2⟩).
    const citizen = citizenIdentityOf({
      certType: identity.certType,
      certKey: identity.certKey,
      userName: identity.name,
    });
    const now = this.deps.now();
    this.deps.store.setServiceCitizen(session.service.serviceId, citizen);
    this.feedSession({
      type: 'citizen.identified',
      at: now,
      citizen: citizenRefFor(session.service.serviceId, citizen, 'reader', now, this.deps.store),
    });
    this.publish();
  }

  /** A tapped card gave no identity (could not be read, or a type not read): the citizen is told (issue 16). */
  cardProblem(kind: CardNoticeKind): void {
    this.cardNotice.show({ kind }, this.deps.now(), CARD_NOTICE_MS);
    this.publish();
  }

  /** A pad KEY_EVENT (down/up of a key): the admin key test and the keys 1+5 entry gesture. */
  padKeyEvent(key: number, down: boolean): void {
    this.deps.admin?.keyEvent(key, down);
  }

  /** A clerk taps their own ID card while the window is idle: signs them in if the roster knows the card. */
  private cardSignIn(certKey: string): void {
    const { config } = this.deps;
    if (this.effectiveStatus() !== 'open' || this.thanks.current !== null) return;
    const staff = findStaffByCard(config.staff, config.admin.staffCardKey, certKey);
    if (!staff) return;
    this.signIn(
      { staffId: staff.staffId, name: staff.name, title: staff.title ?? null, photo: staff.photo ?? null },
      'card',
    );
  }

  /** The clerk card on the idle screen, however the clerk signed in; every sign-in is audited. */
  private signIn(
    clerk: { staffId: string; name: string; title: string | null; photo: string | null },
    via: 'link' | 'card',
  ): void {
    this.changeWindow({ ...this.window, clerk });
    this.audit.record(`staff:${clerk.staffId}`, { type: 'staff.sign-in', staffId: clerk.staffId, via });
    this.publish();
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────
  /**
   * Every session input goes through here: a failed write (E7050) is shown to the citizen until a later
   * input is stored, and the session stays open (session-controller.ts).
   */
  private feedSession(
    input: SessionInput,
    padEvent?: { padSerial: string; eventCounter: number },
  ): FeedResult {
    const result = this.controller.feed(input, padEvent);
    if (result.writeFailed) this.saveFailed = { code: SESSION_ERRORS.commitFailed.code };
    else if (result.effects.length > 0) this.saveFailed = null;
    return result;
  }

  /**
   * The window's next state goes to disk first, then to memory (domain-rules §11): a write that fails (disk
   * full) leaves both as they were and the window-system call answers an error instead of a state that a
   * restart would forget.
   */
  private changeWindow(next: WindowState): void {
    this.deps.store.saveWindowState(next, this.deps.now());
    this.window = next;
  }

  /** For a change that follows something already done (a session opened): kept in memory even if not on disk. */
  private changeWindowAfterTheFact(next: WindowState): void {
    this.window = next;
    try {
      this.deps.store.saveWindowState(next, this.deps.now());
    } catch (error) {
      reportListenerError('window state write after a session opened', error);
    }
  }

  private levelForKey(key: number): LevelKey | null {
    const levels = this.deps.config.devices.keyLevels ?? DEFAULT_KEY_LEVELS;
    return levels[key - 1] ?? null;
  }

  private onEffect(effect: SessionEffect): void {
    switch (effect.type) {
      case 'session.opened':
        // A service completed while the admin screens were open: they give way so the citizen can rate.
        this.deps.admin?.exit('session');
        this.language = this.deps.config.ui.defaultLanguage;
        this.thanks.clear();
        this.emitLink({
          type: 'session.opened',
          ticketNo: effect.session.service.ticketNo,
          sessionId: effect.session.service.sessionId,
        });
        break;
      case 'session.closed': {
        const state: ServiceState = effect.outcome === 'superseded' ? 'unrated' : effect.outcome;
        this.emitLink({
          type: 'session.closed',
          ticketNo: effect.ticketNo,
          sessionId: effect.sessionId,
          state,
        });
        if (effect.outcome === 'rated')
          this.thanks.show({}, this.deps.now(), this.deps.config.session.thanksSec * 1000);
        else if (effect.outcome !== 'superseded') this.language = this.deps.config.ui.defaultLanguage;
        this.refreshStars();
        break;
      }
      case 'pad.arm':
        this.deps.pad?.arm(effect.padSessionId, effect.timeoutSec, effect.prompt);
        break;
      case 'pad.disarm':
        this.deps.pad?.disarm(effect.padSessionId);
        break;
      default:
        break;
    }
  }

  private refreshStars(): void {
    const { total, good } = this.deps.store.windowSatisfaction(this.deps.now() - STAR_WINDOW_MS);
    this.stars = starsFromSatisfaction(total, good);
  }

  private emitLink(event: LinkEvent): void {
    for (const listener of this.linkListeners) {
      try {
        listener(event);
      } catch (error) {
        // One subscriber's failure (an event stream) must not undo or hide a change already stored.
        reportListenerError(`window-link ${event.type} listener`, error);
      }
    }
  }

  private publish(): void {
    this.viewVersion += 1;
    const view = this.view();
    for (const listener of this.viewListeners) {
      try {
        listener(view);
      } catch (error) {
        reportListenerError('view listener', error);
      }
    }
  }

  private createApi(): KioskApi {
    return {
      ...citizenApi({
        view: async () => this.view(),
        now: this.deps.now,
        feed: (input) => this.feedSession(input).refused,
        publish: () => this.publish(),
        languages: () => this.deps.config.ui.languages,
        keyboardMap: () => this.deps.config.devices.keyboardMap,
        levelForKey: (key) => this.levelForKey(key),
        setLanguage: (language) => {
          this.language = language;
        },
        setLargeType: (on) => {
          this.largeType = on;
        },
        cspViolation: (directive, blockedOrigin) => this.csp.report(directive, blockedOrigin),
      }),
      ...adminApi(this.deps.admin, () => this.publish()),
    };
  }
}
