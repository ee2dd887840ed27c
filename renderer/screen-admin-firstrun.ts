/**
 * The 首次设置 card (demo devices only): the fields a real device needs to leave demo mode — hall, department,
 * window, device id, the province's URL / appMark / appWord / SM2 key / dataSource — and a new admin PIN.
 * `adminFirstRun` provisions the device through the config service (restart required); refusals come back
 * as field errors by configuration path, shown next to the fields. Nothing here is logged.
 *
 * On success the generated link and admin tokens are shown ONCE, on this card only, to the technician who
 * is standing at the device and has just set it up (they are secrets, but they must reach the window
 * system's and the hall's tooling somehow, and this screen is the one place they ever appear). The form
 * (appWord, PIN) is removed from the page at that moment; leaving the admin screens removes the tokens,
 * and no call ever answers them again.
 */
import type { AdminFirstRunForm } from '../src/shared/kiosk-api.js';
import { line, section, type DiagCardContext } from './admin-card.js';
import { el } from './dom.js';
import { t, type I18nKey } from './i18n.js';
import { formSubmit, inputField, showError, type FormField } from './screen-admin-form.js';

const FORM = 'firstrun';

type Kind = 'text' | 'password' | 'url';
const FIELDS: ReadonlyArray<[path: string, label: I18nKey, kind: Kind, attrs?: Record<string, string>]> = [
  ['hall.name', 'admin.firstRun.hallName', 'text'],
  ['hall.code', 'admin.firstRun.hallCode', 'text'],
  ['hall.areaCode', 'admin.firstRun.areaCode', 'text', { inputmode: 'numeric' }],
  ['department.code', 'admin.firstRun.departmentCode', 'text'],
  ['department.name', 'admin.firstRun.departmentName', 'text'],
  ['windowNo', 'admin.firstRun.windowNo', 'text'],
  ['window.defaultStaff.staffId', 'admin.firstRun.defaultStaffId', 'text'],
  ['window.defaultStaff.name', 'admin.firstRun.defaultStaffName', 'text'],
  ['deviceId', 'admin.firstRun.deviceId', 'text'],
  ['province.baseUrl', 'admin.firstRun.baseUrl', 'url'],
  ['province.appMark', 'admin.firstRun.appMark', 'text'],
  ['province.appWord', 'admin.firstRun.appWord', 'password'],
  ['province.publicKey', 'admin.firstRun.publicKey', 'text'],
  ['province.dataSource', 'admin.firstRun.dataSource', 'text', { inputmode: 'numeric' }],
  ['pin', 'admin.firstRun.pin', 'password', { inputmode: 'numeric' }],
];

export function createFirstRunCard(card: DiagCardContext): HTMLElement {
  const { ctx } = card;
  const s = section('admin.section.firstRun', 'firstrun');
  const fields = FIELDS.map(([path, label, kind, attrs]) => inputField(FORM, path, label, kind, '', attrs));
  const byPath = new Map(fields.map((f) => [f.path, f]));
  const value = (path: string): string => {
    const input = byPath.get(path)?.input;
    return input === undefined ? '' : path === 'province.appWord' ? input.value : input.value.trim();
  };
  // Checked here only (never sent): the PIN typed twice.
  const confirm = inputField(FORM, 'pinConfirm', 'admin.firstRun.pinConfirm', 'password', '', {
    inputmode: 'numeric',
  });
  const all: FormField[] = [...fields, confirm];

  const form = (): AdminFirstRunForm => ({
    hall: { name: value('hall.name'), code: value('hall.code'), areaCode: value('hall.areaCode') },
    department: { code: value('department.code'), name: value('department.name') },
    windowNo: value('windowNo'),
    window: {
      defaultStaff: {
        staffId: value('window.defaultStaff.staffId'),
        name: value('window.defaultStaff.name'),
      },
    },
    deviceId: value('deviceId'),
    province: {
      baseUrl: value('province.baseUrl'),
      appMark: value('province.appMark'),
      appWord: value('province.appWord'),
      publicKey: value('province.publicKey'),
      dataSource: value('province.dataSource'),
    },
    pin: value('pin'),
  });

  /** The one time the tokens are on screen (see the header comment); the form leaves the page. */
  const done = (issued: { linkToken?: string; adminToken?: string }, restart: boolean): void => {
    const token = (key: I18nKey, text: string | undefined, id: string): HTMLElement | null =>
      text === undefined
        ? null
        : el('div', { className: 'admin-field' }, [
            el('p', { className: 'admin-label', text: t(key) }),
            el('p', { className: 'admin-line admin-mono admin-strong', text, attrs: { 'data-testid': id } }),
          ]);
    s.body.replaceChildren(
      ...[
        line(t('admin.firstRun.done'), 'admin-line admin-strong'),
        restart
          ? el('p', {
              className: 'admin-line admin-bad',
              text: t('admin.firstRun.restart'),
              attrs: { 'data-testid': `${FORM}-restart` },
            })
          : null,
        line(t('admin.firstRun.copyNote'), 'admin-line admin-bad'),
        token('admin.firstRun.linkToken', issued.linkToken, `${FORM}-link-token`),
        token('admin.firstRun.adminToken', issued.adminToken, `${FORM}-admin-token`),
      ].filter((n): n is HTMLElement => n !== null),
    );
  };

  const submit = formSubmit({
    form: FORM,
    labelKey: 'admin.firstRun.submit',
    testId: `${FORM}-submit`,
    fields: all,
    send: () => {
      if (value('pin') !== confirm.input.value.trim()) {
        showError(confirm, t('admin.firstRun.pinMismatch'));
        return null;
      }
      return ctx.api.adminFirstRun(form());
    },
    onOk: (result) => done(result.issued, result.restartRequired),
    refusedText: (code) => card.refusedText(code),
  });

  s.body.append(
    line(t('admin.firstRun.intro'), 'admin-line admin-muted'),
    ...all.map((f) => f.root),
    el('div', { className: 'admin-buttons' }, [submit.button]),
    submit.out,
  );
  return s.root;
}
