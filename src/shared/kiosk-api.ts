/**
 * KioskApi: the one typed contract between the sandboxed renderer and the main process. The renderer
 * imports only src/shared (no Node, no DOM here). Two transports carry it: Electron IPC (preload exposes
 * exactly these named functions) and, for the browser host, a loopback WebSocket with a per-start secret.
 *
 * The main process owns all state; the renderer renders the latest `KioskView` and sends intents. The view
 * never carries an unmasked ID number or name, and never carries secrets.
 */
import type { LevelKey } from './levels.js';

export const LANGUAGES = ['zh-CN', 'zh-TW', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * `admin`: the technician's screens (PIN, then diagnostics); never shown while a rating session is open.
 * `setup`: an installed device before its first provisioning (window-link.md "Setup, demo and tests" r2).
 */
export type Screen = 'idle' | 'rate' | 'reasons' | 'thanks' | 'paused' | 'closed' | 'admin' | 'setup';

/** What the 设备待配置 screen shows: who the device is and how to provision it. No secret. */
export interface SetupView {
  /** The device's identity before it is given a `deviceId` by provisioning. */
  deviceId: string;
  /** The device key's fingerprint, `ab12 cd34 ef56 7890` (the hall registers the key by it). */
  fingerprint: string;
  /** Where `POST /v1/admin/provision` listens, `host:port`. */
  provisionAddress: string;
  /** The file name looked for on a USB stick. */
  usbFileName: string;
  /** Where the setup admin token is kept on the device (owner-only file). */
  adminTokenFile: string;
  /** The last provisioning file refused (USB stick or admin route): reason and failing field paths. */
  lastRefusal: { reason: string; fields: string[] } | null;
}

/** Spoken prompts (config `ui.audio`): played on the citizen's screen; one sound for every level. */
export interface AudioSettings {
  enabled: boolean;
  /** 0 … 1. */
  volume: number;
}

export interface ClerkCard {
  staffId: string;
  name: string;
  title: string | null;
  /** `data:image/jpeg;base64,…` or null. */
  photo: string | null;
  /** 星级 1–5 from the window's recent satisfaction rate, null when there are too few ratings. */
  stars: number | null;
}

export interface ReasonOption {
  code: string;
  /** Text per language; the renderer falls back to zh-CN when a language is missing. */
  text: Partial<Record<Language, string>> & { 'zh-CN': string };
}

export interface SessionView {
  sessionId: string;
  ticketNo: string;
  /** Epoch ms at which the current step times out (main-process clock). */
  deadline: number;
  step: 'rate' | 'reasons';
  /** Set only on the reasons step: the 差评 level whose reasons are shown (the citizen's own screen). */
  chosenLevel: LevelKey | null;
  reasons: ReasonOption[];
  textAllowed: boolean;
  textMax: number;
  /** Masked only, e.g. `张*` and `4601**********123X`; null when no card was read. */
  citizen: { maskedName: string; maskedId: string } | null;
  /** The province's mobile rating page for this service (domain-rules §8), or null when not configured. */
  qrUrl: string | null;
}

export interface KioskView {
  /** Increases with every change; the renderer ignores an older view than the one it shows. */
  version: number;
  /** Main-process clock when this view was made, so the renderer can correct its countdown. */
  now: number;
  screen: Screen;
  demo: boolean;
  online: boolean;
  language: Language;
  defaultLanguage: Language;
  languages: Language[];
  largeType: boolean;
  window: { hallName: string; windowNo: string; departmentName: string };
  clerk: ClerkCard | null;
  /** The ticket being served (from `service/called`), shown on idle. */
  calledTicket: string | null;
  /** The clerk's message on the paused screen (plain text, rendered as text). */
  pauseMessage: string | null;
  session: SessionView | null;
  /** Epoch ms until which the thanks screen shows. */
  thanksUntil: number | null;
  /** Spoken prompts; absent from an older core, in which case the renderer stays silent. */
  audio?: AudioSettings;
  /** Set (and `screen` is `admin`) while the technician's screens are open; absent or null otherwise. */
  admin?: AdminView | null;
  /**
   * Set while a session is open and the citizen's last press could not be saved (E7050, disk full or
   * read-only storage): the rate screen asks to press again. Absent from an older core.
   */
  saveFailed?: { code: string } | null;
  /** Set (and `screen` is `setup`) on an unprovisioned device in setup mode; absent otherwise. */
  setup?: SetupView | null;
  /**
   * Set for a few seconds after a card tap that gave no identity (issue 16): `unreadable` asks the citizen
   * to place it again, `unsupported` says the kiosk does not read that document. `until` is epoch ms on the
   * main-process clock. Absent from an older core.
   */
  cardNotice?: { kind: CardNoticeKind; until: number } | null;
}

export type CardNoticeKind = 'unreadable' | 'unsupported';

/**
 * The admin screens' state in the view. It carries no secret and no diagnostics: the admin session itself
 * lives in the main process only, and diagnostics are fetched with `adminDiagnostics()` (refused without
 * a session).
 */
export interface AdminView {
  /** `set-pin`: no PIN is set yet (demo or first run); `pin`: PIN asked; `open`: admin session active. */
  phase: 'set-pin' | 'pin' | 'open';
  /** Epoch ms (main-process clock) the PIN lockout ends, or null. */
  lockedUntil: number | null;
  /** Wrong PINs left before a lockout. */
  attemptsLeft: number;
  /** Epoch ms at which the admin screens close for lack of activity (2 min idle). */
  idleDeadline: number;
  /** Demo: the PIN set on the device is kept in memory only and is gone after a restart. */
  pinInMemory: boolean;
  keyTest: { on: boolean; keyCount: number; down: number[]; seen: number[] };
  /** Stored settings for the 设置 card (no secrets) while the session is open on a provisioned device. */
  settings?: AdminSettings | null;
}

/** The settings the admin screen's 设置 card edits; an opening period has ISO weekdays 1–7 and HH:MM. */
export interface AdminSettings {
  windowNo: string;
  department: { name: string };
  session: { timeoutSec: number; responseIntervalSec: number };
  openingHours: Array<{ days: number[]; open: string; close: string }>;
  ui: { defaultLanguage: Language; audio: AudioSettings; largeType: boolean };
}

/** `adminEditConfig`: a JSON merge patch of those settings only (no `null`); `openingHours` replaces all. */
export interface AdminConfigPatch {
  windowNo?: string;
  department?: { name?: string };
  session?: Partial<AdminSettings['session']>;
  openingHours?: AdminSettings['openingHours'];
  ui?: { defaultLanguage?: Language; audio?: Partial<AudioSettings>; largeType?: boolean };
}

/** First-run setup on a demo device (secrets included, never logged); link/admin tokens are generated. */
export interface AdminFirstRunForm {
  hall: { name: string; code: string; areaCode: string };
  department: { code: string; name: string };
  windowNo: string;
  /** The window's responsible clerk, named on records when no other is known (domain-rules §11 ⟨r2⟩). */
  window: { defaultStaff: { staffId: string; name: string } };
  deviceId: string;
  province: { baseUrl: string; appMark: string; appWord: string; publicKey: string; dataSource: string };
  pin: string;
}

/** A refused settings / first-run call; `fields` by config path (`session.timeoutSec`, `pin`). */
export type AdminConfigRefusal = AdminRefusal & { fields?: Array<{ path: string; message: string }> };
export type AdminEditConfigResult =
  { ok: true; restartRequired: boolean; changed: string[] } | AdminConfigRefusal;
/** `issued`: generated link/admin tokens, answered exactly once (shown once to the technician). */
export type AdminFirstRunResult =
  | { ok: true; restartRequired: boolean; issued: { linkToken?: string; adminToken?: string } }
  | AdminConfigRefusal;

/** A refusal of an admin call: the code names the reason (E1xxx PIN, E8xxx admin session / paths). */
export type AdminRefusal = { ok: false; code: string; message: string };

export interface AdminDeviceInfo {
  kind: 'pad' | 'reader';
  transport: string;
  path: string;
  state: string;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  samId: string | null;
  counters: Record<string, number>;
  /** The current state's code (null while connected); absent from an older core. */
  stateCode?: string | null;
  /** The last error, kept after the device recovered, and its time (epoch ms). */
  lastError: string | null;
  lastErrorAt?: number | null;
  lastFrameAt: number | null;
}

export interface AdminCodeInfo {
  code: string;
  name: string | null;
  /** README anchor text, e.g. `README.md#e4004` (the kiosk has no browser to follow it). */
  readme: string;
}

/** What the diagnostics screen shows: the `GET /v1/diagnostics` answer, redacted, plus the reader test. */
export interface AdminDiagnostics {
  now: number;
  version: string;
  node: string;
  electron: string | null;
  uptimeSec: number;
  devices: AdminDeviceInfo[];
  sync: {
    state: string;
    lastError: { code: string; name: string; at: number } | null;
    lastSuccessAt: number | null;
    clockOffsetMs: number | null;
  };
  outbox: {
    depth: number;
    oldestUnsentAt: number | null;
    delivered: number;
    deadLetters: Array<{ seq: number; code: string; message: string; at: number }>;
  };
  catalogue: { version: string; source: string; lastError: { code: string; at: number } | null };
  chain: { ok: boolean; lastSeq: number; brokenAt: number | null; code: string | null; verifiedAt: number };
  storage: { databaseBytes: number | null; walBytes: number | null; freeBytes: number | null };
  /** The last card read on the kiosk's reader while the admin screens were open: masked only. */
  readerTest: { maskedName: string; maskedId: string; at: number } | null;
  /** Where logs may be exported (absolute folders; a chosen path must lie inside one). */
  exportRoots: string[];
  /** Every error code above, with its name and README anchor. */
  codes: AdminCodeInfo[];
}

export type AdminDiagnosticsResult = { ok: true; diagnostics: AdminDiagnostics } | AdminRefusal;
export type AdminStorageCheckResult =
  | {
      ok: true;
      /** `PRAGMA quick_check`: `ok`, or the first problems SQLite reports. */
      quickCheck: string[];
      chain: AdminDiagnostics['chain'];
    }
  | AdminRefusal;
export type AdminExportResult = { ok: true; files: number; bytes: number } | AdminRefusal;

export type ActionResult = { ok: true } | { ok: false; code: string; message: string };

/** Intents the renderer may send. Every parameter is validated in the main process. */
export interface KioskApi {
  getView(): Promise<KioskView>;
  /** A touch on a level button (or key `1`–`5` on the page) for the session the screen shows. */
  rate(sessionId: string, level: LevelKey): Promise<ActionResult>;
  submitReasons(sessionId: string, codes: string[], text: string): Promise<ActionResult>;
  /** Back from the reasons screen to change the level (the session stays open). */
  changeLevel(sessionId: string): Promise<ActionResult>;
  setLanguage(language: Language): Promise<ActionResult>;
  setLargeType(on: boolean): Promise<ActionResult>;
  /** A key typed by a keyboard-mode pad, as `KeyboardEvent.code` (browser host reads it in the page). */
  padKey(code: string): Promise<ActionResult>;
  /**
   * The page saw a Content-Security-Policy violation (`securitypolicyviolation`): counted and logged in the
   * main process as E8013. Only the directive and the blocked origin travel, never a full URL (a path or
   * query could carry PII).
   */
  reportCspViolation(directive: string, blockedOrigin: string): Promise<ActionResult>;

  // ── Technician / hall manager (admin screens). The admin session is main-process state bound to the
  // one kiosk window; the renderer never holds a token. Every admin call but adminOpen/adminEnter/
  // adminSetPin/adminExit refuses with E8007 when no admin session is active.
  /** The hidden corner long-press: shows the PIN pad (or the set-PIN pad when none is set). */
  adminOpen(): Promise<ActionResult>;
  /** The admin PIN (6–12 digits); wrong and locked attempts are counted and audited. */
  adminEnter(pin: string): Promise<ActionResult>;
  /** Only while no PIN is set (demo or first run): sets it and opens the admin session. */
  adminSetPin(pin: string): Promise<ActionResult>;
  /** Back to the citizen screens. */
  adminExit(): Promise<ActionResult>;
  /** A touch on the admin screens: keeps the session from its 2-minute idle timeout. */
  adminTouch(): Promise<ActionResult>;
  adminDiagnostics(): Promise<AdminDiagnosticsResult>;
  adminSyncNow(): Promise<ActionResult>;
  /** Puts one dead letter back in the outbox. */
  adminResend(seq: number): Promise<ActionResult>;
  /** Key test: pad KEY_EVENTs light the key on screen and on the pad. */
  adminKeyTest(on: boolean): Promise<ActionResult>;
  adminLedTest(): Promise<ActionResult>;
  adminBuzzerTest(): Promise<ActionResult>;
  /** `PRAGMA quick_check` and a full chain verification, on demand (never on the 2 s refresh). */
  adminStorageCheck(): Promise<AdminStorageCheckResult>;
  /** Copies the logs, redacted again, to an absolute folder under /media, /mnt or the data dir's exports/. */
  adminExportLogs(path: string): Promise<AdminExportResult>;
  /** Provisioned devices: applies the 设置 card's patch (validated by the one config schema). */
  adminEditConfig(patch: AdminConfigPatch): Promise<AdminEditConfigResult>;
  /** Demo devices only: first-run setup, provisions the device (restart required); tokens answered once. */
  adminFirstRun(form: AdminFirstRunForm): Promise<AdminFirstRunResult>;
}

export type KioskApiMethod = keyof KioskApi;

export const KIOSK_API_METHODS = [
  'getView',
  'rate',
  'submitReasons',
  'changeLevel',
  'setLanguage',
  'setLargeType',
  'padKey',
  'reportCspViolation',
  'adminOpen',
  'adminEnter',
  'adminSetPin',
  'adminExit',
  'adminTouch',
  'adminDiagnostics',
  'adminSyncNow',
  'adminResend',
  'adminKeyTest',
  'adminLedTest',
  'adminBuzzerTest',
  'adminStorageCheck',
  'adminExportLogs',
  'adminEditConfig',
  'adminFirstRun',
] as const satisfies readonly KioskApiMethod[];

/** Pushed by the main process whenever the view changes. */
export const VIEW_CHANNEL = 'kiosk:view';

/** Wire messages of the browser host's WebSocket transport. */
export type WireRequest = { id: number; method: KioskApiMethod; params: unknown[] };
export type WireMessage =
  | { id: number; result: unknown }
  | { id: number; error: { code: string; message: string } }
  | { event: 'view'; data: KioskView };
