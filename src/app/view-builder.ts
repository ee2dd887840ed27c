/**
 * Builds the KioskView the renderer shows, from the session state and what the window system said.
 * Pure: the same inputs give the same view. The view carries only masked identity and no secrets.
 */
import type { KioskConfig } from '../config/schema.js';
import type { OpenSession } from '../session/index.js';
import type { CardNoticeKind, KioskView, Language, Screen, SessionView } from '../shared/kiosk-api.js';
import type { CatalogueSnapshot } from './catalogue-source.js';
import type { WindowState } from './window-state.js';

export interface ViewInputs {
  version: number;
  now: number;
  config: KioskConfig;
  demo: boolean;
  online: boolean;
  language: Language;
  largeType: boolean;
  window: WindowState;
  stars: number | null;
  session: OpenSession | null;
  /** projectNo used for the QR link (the service's own, or the generated fallback). */
  sessionProjectNo: string | null;
  catalogue: CatalogueSnapshot;
  thanksUntil: number | null;
  /** The card-tap note (card-notice.ts), or null; shown while `until` is ahead of `now`. */
  cardNotice?: { kind: CardNoticeKind; until: number } | null;
}

function screenFor(inputs: ViewInputs): Screen {
  if (inputs.window.status === 'paused') return 'paused';
  if (inputs.window.status === 'closed') return 'closed';
  if (inputs.session) return inputs.session.step === 'awaiting-reason' ? 'reasons' : 'rate';
  if (inputs.thanksUntil !== null && inputs.thanksUntil > inputs.now) return 'thanks';
  return 'idle';
}

export function qrUrlFor(template: string | undefined, projectNo: string | null): string | null {
  if (!template || !projectNo) return null;
  return template.split('{projectNo}').join(encodeURIComponent(projectNo));
}

function sessionView(inputs: ViewInputs, session: OpenSession): SessionView {
  const chosen = session.step === 'awaiting-reason' ? session.level : null;
  const reasons =
    chosen === 'dissatisfied' || chosen === 'very_dissatisfied' ? inputs.catalogue.reasons[chosen] : [];
  return {
    sessionId: session.service.sessionId,
    ticketNo: session.service.ticketNo,
    deadline: session.deadline,
    step: session.step === 'awaiting-reason' ? 'reasons' : 'rate',
    chosenLevel: chosen,
    reasons,
    textAllowed: inputs.catalogue.textAllowed,
    textMax: inputs.catalogue.textMax,
    citizen: session.citizen
      ? { maskedName: session.citizen.maskedName, maskedId: session.citizen.maskedId }
      : null,
    qrUrl: qrUrlFor(inputs.config.ui.qrUrlTemplate, inputs.sessionProjectNo),
  };
}

export function buildView(inputs: ViewInputs): KioskView {
  const { config, window } = inputs;
  const screen = screenFor(inputs);
  return {
    version: inputs.version,
    now: inputs.now,
    screen,
    demo: inputs.demo,
    online: inputs.online,
    language: inputs.language,
    defaultLanguage: config.ui.defaultLanguage,
    languages: config.ui.languages,
    largeType: inputs.largeType,
    window: { hallName: config.hall.name, windowNo: config.windowNo, departmentName: config.department.name },
    clerk: window.clerk ? { ...window.clerk, stars: inputs.stars } : null,
    calledTicket: window.calledTicket,
    pauseMessage: window.status === 'paused' ? window.pauseMessage : null,
    session:
      inputs.session && (screen === 'rate' || screen === 'reasons')
        ? sessionView(inputs, inputs.session)
        : null,
    thanksUntil: screen === 'thanks' ? inputs.thanksUntil : null,
    audio: { enabled: config.ui.audio.enabled, volume: config.ui.audio.volume },
    cardNotice: inputs.cardNotice && inputs.cardNotice.until > inputs.now ? inputs.cardNotice : null,
  };
}
