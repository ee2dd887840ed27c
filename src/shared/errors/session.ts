import { defineCodes } from './types.js';

/** Band E7: the rating session and the abuse policy (domain-rules §2–§7). */
export const SESSION_ERRORS = defineCodes({
  noSession: {
    code: 'E7001',
    name: 'session.no-session',
    help: 'A press arrived with no open session; stored as suppressed (no-session), never counted.',
  },
  reasonRequired: {
    code: 'E7002',
    name: 'session.reason-required',
    help: 'A 差评 needs at least one reason from the catalogue for its level.',
  },
  unknownReason: {
    code: 'E7003',
    name: 'session.unknown-reason',
    help: 'A reason code is not in the catalogue for the chosen level.',
  },
  textTooLong: {
    code: 'E7004',
    name: 'session.text-too-long',
    help: 'The written reason is over 150 characters.',
  },
  wrongStep: {
    code: 'E7005',
    name: 'session.wrong-step',
    help: 'The action does not fit the current step of the session (e.g. reasons with no 差评 chosen).',
  },
  windowNotOpen: {
    code: 'E7006',
    name: 'session.window-not-open',
    help: 'The window is paused or closed: ratings are not taken.',
  },
  staleSession: {
    code: 'E7007',
    name: 'session.stale-session',
    help: 'The action names a session that is not the open one (it closed, timed out or was superseded); the screen should show the current session.',
  },
  textNotAllowed: {
    code: 'E7008',
    name: 'session.text-not-allowed',
    help: 'A written reason was sent but the reason catalogue in use allows no free text; pick reasons from the list.',
  },
  commitFailed: {
    code: 'E7050',
    name: 'session.commit-failed',
    help: 'A rating could not be saved (disk full, read-only or failing storage): nothing was stored, the session stays open and the citizen is asked to press again. Free space or fix the storage; the count is on diagnostics.',
  },
});
