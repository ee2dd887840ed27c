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

export type Screen = 'idle' | 'rate' | 'reasons' | 'thanks' | 'paused' | 'closed';

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
}

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
] as const satisfies readonly KioskApiMethod[];

/** Pushed by the main process whenever the view changes. */
export const VIEW_CHANNEL = 'kiosk:view';

/** Wire messages of the browser host's WebSocket transport. */
export type WireRequest = { id: number; method: KioskApiMethod; params: unknown[] };
export type WireMessage =
  | { id: number; result: unknown }
  | { id: number; error: { code: string; message: string } }
  | { event: 'view'; data: KioskView };
