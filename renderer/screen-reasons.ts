/**
 * Reasons (domain-rules §3): the catalogue for the chosen 差评 level as multi-select toggles, an optional
 * short text where allowed, submit only once a reason is chosen (the province rejects a 差评 without
 * `evalDetail`), and a way back to change the level.
 */
import type { KioskView, SessionView } from '../src/shared/kiosk-api.js';
import { el, setText } from './dom.js';
import { t } from './i18n.js';
import { createCountdown, type MountedScreen, type ScreenContext } from './screen.js';
import { canSubmitReasons, clampText, reasonText, selectedCodes, textLimit } from './view-model.js';

const NO_SESSION: SessionView = {
  sessionId: '',
  ticketNo: '',
  deadline: 0,
  step: 'reasons',
  chosenLevel: null,
  reasons: [],
  textAllowed: false,
  textMax: 0,
  citizen: null,
  qrUrl: null,
};

function textBox(session: SessionView): { root: HTMLElement | null; value(): string } {
  if (!session.textAllowed || textLimit(session.textMax) === 0) return { root: null, value: () => '' };
  const max = textLimit(session.textMax);
  const area = el('textarea', {
    className: 'reason-text',
    attrs: { id: 'reason-text', maxlength: String(max), rows: '2', autocomplete: 'off', spellcheck: 'false' },
  });
  const count = el('span', { className: 'reason-count', text: t('reasons.textCount', { count: 0, max }) });
  area.addEventListener('input', () =>
    setText(count, t('reasons.textCount', { count: area.value.length, max })),
  );
  const label = el('label', { className: 'reason-label', attrs: { for: 'reason-text' } }, [
    el('span', { text: t('reasons.textLabel', { max }) }),
    count,
  ]);
  return {
    root: el('div', { className: 'reason-text-box' }, [label, area]),
    value: () => clampText(area.value, max),
  };
}

export function mountReasons(view: KioskView, ctx: ScreenContext): MountedScreen {
  // effectiveScreen() never routes here without a session; the fallback only keeps the types honest.
  const session: SessionView = view.session ?? NO_SESSION;
  const selected = new Set<string>();
  let busy = false;
  const countdown = createCountdown(ctx, view);
  const text = textBox(session);
  const submit = el('button', { className: 'submit', text: t('reasons.submit'), attrs: { type: 'button' } });
  const back = el('button', { className: 'back', text: t('reasons.back'), attrs: { type: 'button' } });
  const needOne = el('p', { className: 'hint need-one', text: t('reasons.needOne') });

  const refresh = (): void => {
    const ready = canSubmitReasons(selected, session.reasons);
    submit.disabled = busy || !ready;
    back.disabled = busy;
    needOne.hidden = ready;
  };

  const toggles = session.reasons.map((reason) => {
    const button = el('button', {
      className: 'reason',
      text: reasonText(reason, view.language),
      attrs: { type: 'button', 'aria-pressed': 'false', 'data-code': reason.code },
    });
    button.addEventListener('click', () => {
      if (selected.has(reason.code)) selected.delete(reason.code);
      else selected.add(reason.code);
      button.setAttribute('aria-pressed', String(selected.has(reason.code)));
      refresh();
    });
    return button;
  });

  const run = async (call: () => Promise<boolean>): Promise<void> => {
    if (busy) return;
    busy = true;
    refresh();
    // Stay locked after success: the next view replaces this screen.
    if (!(await call())) busy = false;
    refresh();
  };
  submit.addEventListener('click', () => {
    if (!canSubmitReasons(selected, session.reasons)) return;
    const codes = selectedCodes(selected, session.reasons);
    void run(() => ctx.act(() => ctx.api.submitReasons(session.sessionId, codes, text.value())));
  });
  back.addEventListener('click', () => void run(() => ctx.act(() => ctx.api.changeLevel(session.sessionId))));

  const chosen = session.chosenLevel;
  const root = el('main', { className: 'screen screen-reasons', attrs: { 'data-screen': 'reasons' } }, [
    el('header', { className: 'rate-head' }, [
      el('h1', { className: 'screen-title', text: t('reasons.title') }),
      el('div', { className: 'rate-meta' }, [
        chosen === null
          ? null
          : el('p', { className: 'chosen', text: t('reasons.chosen', { level: t(`level.${chosen}`) }) }),
        countdown.root,
      ]),
    ]),
    el('div', { className: 'reasons', attrs: { role: 'group', 'aria-label': t('reasons.title') } }, toggles),
    text.root,
    el('footer', { className: 'reasons-foot' }, [back, needOne, submit]),
  ]);
  refresh();

  return {
    root,
    update(next) {
      countdown.update(next);
    },
    dispose() {
      countdown.dispose();
    },
  };
}
