/**
 * The 设置 card of the admin screen (provisioned devices): the settings a hall manager changes on site —
 * window number, department name, session timeout, response interval, one opening-hours period, default
 * language, spoken prompts and volume, large type. Prefilled once from `view.admin.settings` (stored
 * values, no secrets); only the fields that differ from what was shown are sent (`adminEditConfig`), so
 * opening-hours periods beyond the first are kept unless the period is edited. Field errors come back by
 * configuration path and are shown next to the fields. On a demo device the card explains first-run setup.
 */
import {
  LANGUAGES,
  type AdminConfigPatch,
  type AdminSettings,
  type KioskView,
} from '../src/shared/kiosk-api.js';
import { line, section, type DiagCardContext } from './admin-card.js';
import { el } from './dom.js';
import { t, type I18nKey } from './i18n.js';
import {
  checkboxField,
  formSubmit,
  inputField,
  numberOf,
  selectField,
  type FormField,
} from './screen-admin-form.js';

const FORM = 'settings';
const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

function daysField(days: readonly number[]): FormField & { boxes: HTMLInputElement[] } {
  const path = 'openingHours.0.days';
  const boxes = DAYS.map((d) => {
    const box = el('input', {
      className: 'admin-check',
      attrs: { type: 'checkbox', value: String(d), 'data-testid': `${FORM}-day-${d}` },
    });
    box.checked = days.includes(d);
    return box;
  });
  const row = el(
    'div',
    { className: 'admin-buttons', attrs: { role: 'group' } },
    boxes.map((box, i) =>
      el('label', { className: 'admin-label' }, [
        box,
        el('span', { text: t(`admin.day.${i + 1}` as I18nKey) }),
      ]),
    ),
  );
  const error = el('p', { className: 'admin-line admin-bad', attrs: { 'data-field-error': path } });
  error.hidden = true;
  const root = el('div', { className: 'admin-field', attrs: { 'data-field': path } }, [
    el('p', { className: 'admin-label', text: t('admin.settings.hours') }),
    row,
    error,
  ]);
  return { path, root, input: boxes[0] as HTMLInputElement, error, boxes };
}

/** Leaf-by-leaf: what differs from `before` (objects merge, arrays compare whole). */
function diff(before: unknown, after: unknown): unknown {
  if (typeof after !== 'object' || after === null || Array.isArray(after))
    return JSON.stringify(before) === JSON.stringify(after) ? undefined : after;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    const d = diff((before as Record<string, unknown> | undefined)?.[key], value);
    if (d !== undefined) out[key] = d;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

export function createSettingsCard(view: KioskView, card: DiagCardContext): HTMLElement {
  const { ctx } = card;
  const s = section('admin.section.settings', 'settings');
  let shown: AdminSettings | null = view.admin?.settings ?? null;
  if (shown === null) {
    s.body.append(line(t('admin.settings.demo'), 'admin-line admin-muted'));
    return s.root;
  }
  const first = shown.openingHours[0];
  const windowNo = inputField(FORM, 'windowNo', 'admin.settings.windowNo', 'text', shown.windowNo);
  const dept = inputField(
    FORM,
    'department.name',
    'admin.settings.departmentName',
    'text',
    shown.department.name,
  );
  const num = (path: string, key: I18nKey, value: number, min: number, max: number) =>
    inputField(FORM, path, key, 'number', String(value), { min: String(min), max: String(max), step: '1' });
  const timeout = num('session.timeoutSec', 'admin.settings.timeout', shown.session.timeoutSec, 10, 120);
  const interval = num(
    'session.responseIntervalSec',
    'admin.settings.interval',
    shown.session.responseIntervalSec,
    0,
    60,
  );
  const days = daysField(first?.days ?? []);
  const open = inputField(FORM, 'openingHours.0.open', 'admin.settings.hoursOpen', 'time', first?.open ?? '');
  const close = inputField(
    FORM,
    'openingHours.0.close',
    'admin.settings.hoursClose',
    'time',
    first?.close ?? '',
  );
  const language = selectField(
    FORM,
    'ui.defaultLanguage',
    'admin.settings.language',
    LANGUAGES.map((l) => ({ value: l, text: t(`language.${l}`) })),
    shown.ui.defaultLanguage,
  );
  const audio = checkboxField(FORM, 'ui.audio.enabled', 'admin.settings.audio', shown.ui.audio.enabled);
  const volume = num(
    'ui.audio.volume',
    'admin.settings.volume',
    Math.round(shown.ui.audio.volume * 100),
    0,
    100,
  );
  const largeType = checkboxField(FORM, 'ui.largeType', 'admin.settings.largeType', shown.ui.largeType);
  const fields: FormField[] = [
    windowNo,
    dept,
    timeout,
    interval,
    days,
    open,
    close,
    language,
    audio,
    volume,
    largeType,
  ];

  /** The form as settings, or null when a number field holds no number (the field says so). */
  const read = (): AdminSettings | null => {
    const [tSec, iSec, vol] = [numberOf(timeout), numberOf(interval), numberOf(volume)];
    if (tSec === null || iSec === null || vol === null || shown === null) return null;
    const chosen = days.boxes.filter((b) => b.checked).map((b) => Number(b.value));
    const noHours = chosen.length === 0 && open.input.value === '' && close.input.value === '';
    const period = { days: chosen, open: open.input.value, close: close.input.value };
    // One period on this screen: untouched, the stored list (more periods included) is kept as it is.
    const samePeriod = JSON.stringify(period) === JSON.stringify(first ?? null);
    return {
      windowNo: windowNo.input.value.trim(),
      department: { name: dept.input.value.trim() },
      session: { timeoutSec: tSec, responseIntervalSec: iSec },
      openingHours: samePeriod ? shown.openingHours : noHours ? [] : [period],
      ui: {
        defaultLanguage: language.input.value as AdminSettings['ui']['defaultLanguage'],
        audio: { enabled: audio.input.checked, volume: vol / 100 },
        largeType: largeType.input.checked,
      },
    };
  };

  /** The settings being saved, shown once the call succeeds (the next save diffs against them). */
  let pending = shown;
  const save = formSubmit({
    form: FORM,
    labelKey: 'admin.settings.save',
    testId: `${FORM}-save`,
    fields,
    send: () => {
      const next = read();
      if (next === null) return null;
      pending = next;
      return ctx.api.adminEditConfig((diff(shown, next) ?? {}) as AdminConfigPatch);
    },
    onOk: (result) => {
      shown = pending;
      save.say(t(result.restartRequired ? 'admin.settings.savedRestart' : 'admin.settings.saved'));
    },
    refusedText: (code) => card.refusedText(code),
  });

  s.body.append(
    line(t('admin.settings.secrets'), 'admin-line admin-muted'),
    ...fields.slice(0, 4).map((f) => f.root),
    days.root,
    line(
      t(shown.openingHours.length > 1 ? 'admin.settings.hoursMore' : 'admin.settings.hoursNote'),
      'admin-line admin-muted',
    ),
    open.root,
    close.root,
    ...fields.slice(7).map((f) => f.root),
    el('div', { className: 'admin-buttons' }, [save.button]),
    save.out,
  );
  return s.root;
}
