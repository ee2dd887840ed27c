/**
 * Form pieces of the admin screen's 设置 and 首次设置 cards: a labelled field with its error slot, keyed by
 * the configuration path the validator names (`session.timeoutSec`), so a refusal's field errors land next
 * to the fields. Text goes in through textContent only; no inline style (strict CSP).
 */
import type { AdminConfigRefusal } from '../src/shared/kiosk-api.js';
import { el, setText } from './dom.js';
import { t, type I18nKey } from './i18n.js';

export interface FormField {
  /** Configuration path, as the validator reports it. */
  readonly path: string;
  readonly root: HTMLElement;
  readonly input: HTMLInputElement | HTMLSelectElement;
  readonly error: HTMLElement;
}

const idFor = (form: string, path: string): string => `admin-${form}-${path.replace(/[^A-Za-z0-9]/g, '-')}`;

function wrap(form: string, path: string, labelKey: I18nKey, input: FormField['input']): FormField {
  const id = idFor(form, path);
  input.id = id;
  input.setAttribute('data-testid', `${form}-${path}`);
  const error = el('p', { className: 'admin-line admin-bad', attrs: { 'data-field-error': path } });
  error.hidden = true;
  const label = el('label', { className: 'admin-label', text: t(labelKey), attrs: { for: id } });
  const root = el('div', { className: 'admin-field', attrs: { 'data-field': path } }, [label, input, error]);
  return { path, root, input, error };
}

export function inputField(
  form: string,
  path: string,
  labelKey: I18nKey,
  type: 'text' | 'number' | 'time' | 'password' | 'url',
  value = '',
  attrs: Record<string, string> = {},
): FormField & { input: HTMLInputElement } {
  const input = el('input', {
    className: 'admin-input',
    attrs: { type, spellcheck: 'false', autocomplete: 'off', ...attrs },
  });
  input.value = value;
  return wrap(form, path, labelKey, input) as FormField & { input: HTMLInputElement };
}

export function checkboxField(
  form: string,
  path: string,
  labelKey: I18nKey,
  checked: boolean,
): FormField & { input: HTMLInputElement } {
  const input = el('input', { className: 'admin-check', attrs: { type: 'checkbox' } });
  input.checked = checked;
  return wrap(form, path, labelKey, input) as FormField & { input: HTMLInputElement };
}

export function selectField(
  form: string,
  path: string,
  labelKey: I18nKey,
  options: ReadonlyArray<{ value: string; text: string }>,
  value: string,
): FormField & { input: HTMLSelectElement } {
  const input = el(
    'select',
    { className: 'admin-input' },
    options.map((o) => el('option', { text: o.text, attrs: { value: o.value } })),
  );
  input.value = value;
  return wrap(form, path, labelKey, input) as FormField & { input: HTMLSelectElement };
}

/** A number from a field, or null (and the field says so) when it is not one. */
export function numberOf(field: FormField): number | null {
  const text = field.input.value.trim();
  const value = text === '' ? NaN : Number(text);
  if (Number.isFinite(value)) return value;
  showError(field, t('admin.form.number'));
  return null;
}

export function showError(field: FormField, message: string): void {
  field.error.hidden = false;
  setText(field.error, t('admin.form.invalid', { message }));
  field.root.classList.add('admin-field-bad');
  field.input.setAttribute('aria-invalid', 'true');
}

export function clearErrors(fields: readonly FormField[]): void {
  for (const field of fields) {
    field.error.hidden = true;
    setText(field.error, '');
    field.root.classList.remove('admin-field-bad');
    field.input.removeAttribute('aria-invalid');
  }
}

/**
 * Puts each validator error next to the field whose path is the longest prefix of the error's path
 * (`openingHours.0.days.2` → the days field). Returns the errors no field took (shown on the card).
 */
export function showFieldErrors(
  fields: readonly FormField[],
  errors: ReadonlyArray<{ path: string; message: string }>,
): Array<{ path: string; message: string }> {
  const left: Array<{ path: string; message: string }> = [];
  for (const error of errors) {
    const owner = fields
      .filter((f) => error.path === f.path || error.path.startsWith(`${f.path}.`))
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (owner) showError(owner, error.message);
    else left.push(error);
  }
  return left;
}

/**
 * The line shown when a submit is refused: field errors go beside their fields, what has no field is listed
 * after "please fix"; a refusal without fields (no session, not provisioned, …) shows its coded text.
 */
export function refusalLine(
  fields: readonly FormField[],
  result: { code: string; fields?: ReadonlyArray<{ path: string; message: string }> },
  refusedText: (code: string) => string,
): string {
  if (!result.fields) return refusedText(result.code);
  const left = showFieldErrors(fields, result.fields);
  const general = left.map((e) => `${e.path} ${e.message}`.trim()).join('; ');
  return [t('admin.form.fix'), general].filter(Boolean).join(' · ');
}

export interface FormSubmit {
  readonly button: HTMLButtonElement;
  /** The status line under the button (hidden until something is said). */
  readonly out: HTMLElement;
  say(text: string): void;
}

/**
 * A form's submit button and status line, and the one submit flow both admin forms follow: clear the old
 * errors, run the local checks (`send` answers null when they fail and has marked the fields), disable the
 * button while the call is out, then show the success, the validator's refusal beside the fields, or the lost
 * connection.
 */
export function formSubmit<Ok extends { ok: true }>(options: {
  form: string;
  labelKey: I18nKey;
  testId: string;
  fields: readonly FormField[];
  send: () => Promise<Ok | AdminConfigRefusal> | null;
  onOk: (result: Ok) => void;
  refusedText: (code: string) => string;
}): FormSubmit {
  const button = el('button', {
    className: 'admin-action',
    text: t(options.labelKey),
    attrs: { type: 'button', 'data-testid': options.testId },
  });
  const out = el('p', {
    className: 'admin-line',
    attrs: { role: 'status', 'data-testid': `${options.form}-result` },
  });
  out.hidden = true;
  const say = (text: string): void => {
    out.hidden = false;
    setText(out, text);
  };
  button.addEventListener('click', () => {
    clearErrors(options.fields);
    out.hidden = true;
    const call = options.send();
    if (call === null) return say(t('admin.form.fix'));
    button.disabled = true;
    say(t('admin.form.saving'));
    void call
      .then(
        (result) => {
          if (result.ok) options.onOk(result as Ok);
          else say(refusalLine(options.fields, result, options.refusedText));
        },
        () => say(t('app.reconnecting')),
      )
      .finally(() => {
        button.disabled = false;
      });
  });
  return { button, out, say };
}
