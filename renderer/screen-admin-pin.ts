/**
 * The admin PIN pad: enter the PIN, or (no PIN set yet: demo or first run) set one, typed twice. The
 * digits stay in this screen until sent and are never shown (dots only). A lockout shows the time left
 * (main-process clock, corrected for the time since the view arrived) and disables the pad.
 */
import type { KioskView } from '../src/shared/kiosk-api.js';
import { codeInfo, formatDuration } from './admin-format.js';
import { el, setText } from './dom.js';
import { t } from './i18n.js';
import type { MountedScreen, ScreenContext } from './screen.js';

const MIN_DIGITS = 6;
const MAX_DIGITS = 12;

export function mountAdminPin(view: KioskView, ctx: ScreenContext): MountedScreen {
  let current = view;
  const setting = view.admin?.phase === 'set-pin';
  let stage: 'enter' | 'set' | 'confirm' = setting ? 'set' : 'enter';
  let first = '';
  let digits = '';
  let busy = false;

  const title = el('h1', {
    className: 'admin-pin-title',
    text: setting ? t('admin.pin.titleSet') : t('admin.pin.titleEnter'),
  });
  const prompt = el('p', { className: 'admin-pin-prompt' });
  const dots = el('p', {
    className: 'admin-pin-dots',
    attrs: { 'aria-live': 'polite', 'data-testid': 'pin-dots' },
  });
  const message = el('p', {
    className: 'admin-pin-message',
    attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'pin-message' },
  });
  const lock = el('p', { className: 'admin-pin-lock', attrs: { 'data-testid': 'pin-lock' } });
  const note = el('p', { className: 'admin-pin-note' });

  const digitButtons: HTMLButtonElement[] = [];
  const key = (label: string, className: string, onPress: () => void, aria?: string): HTMLButtonElement => {
    const button = el('button', {
      className: `admin-pin-key ${className}`,
      text: label,
      attrs: { type: 'button', ...(aria === undefined ? {} : { 'aria-label': aria }) },
    });
    button.addEventListener('click', onPress);
    digitButtons.push(button);
    return button;
  };
  const press = (digit: string): void => {
    if (digits.length < MAX_DIGITS) digits += digit;
    setText(message, '');
    render();
  };
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) =>
    key(d, 'admin-pin-digit', () => press(d)),
  );
  const clear = key(t('admin.pin.clear'), 'admin-pin-clear', () => {
    digits = '';
    render();
  });
  const zero = key('0', 'admin-pin-digit', () => press('0'));
  const del = key(t('admin.pin.delete'), 'admin-pin-delete', () => {
    digits = digits.slice(0, -1);
    render();
  });
  const ok = el('button', {
    className: 'admin-pin-ok',
    text: t('admin.pin.ok'),
    attrs: { type: 'button', 'data-testid': 'pin-ok' },
  });
  const cancel = el('button', {
    className: 'admin-pin-cancel',
    text: t('admin.pin.cancel'),
    attrs: { type: 'button', 'data-testid': 'pin-cancel' },
  });
  const grid = el(
    'div',
    { className: 'admin-pin-grid', attrs: { role: 'group', 'aria-label': t('admin.pin.pad') } },
    [...keys, clear, zero, del],
  );

  const lockedFor = (): number => {
    const until = current.admin?.lockedUntil ?? null;
    if (until === null) return 0;
    return until - current.now - (performance.now() - ctx.receivedAt());
  };

  function render(): void {
    setText(
      prompt,
      stage === 'enter'
        ? t('admin.pin.promptEnter')
        : stage === 'set'
          ? t('admin.pin.promptSet')
          : t('admin.pin.promptConfirm'),
    );
    setText(dots, '●'.repeat(digits.length) || '—');
    dots.setAttribute('aria-label', t('admin.pin.digits', { count: digits.length }));
    const left = lockedFor();
    const locked = left > 0;
    lock.hidden = !locked;
    setText(lock, locked ? t('admin.pin.locked', { time: formatDuration(left) }) : '');
    for (const button of digitButtons) button.disabled = locked || busy;
    ok.disabled = locked || busy || digits.length < MIN_DIGITS;
    note.hidden = !(setting && current.admin?.pinInMemory === true);
    setText(note, t('admin.pin.demoMemory'));
  }

  const refused = (code: string): string => {
    if (code === 'E1006') return t('admin.pin.wrong', { left: current.admin?.attemptsLeft ?? 0 });
    if (code === 'E1005') return '';
    const info = codeInfo(code);
    return t('admin.refused', { code: info.code, name: info.name ?? '' });
  };

  ok.addEventListener('click', () => {
    if (digits.length < MIN_DIGITS) return setText(message, t('admin.pin.tooShort'));
    if (stage === 'set') {
      first = digits;
      digits = '';
      stage = 'confirm';
      return render();
    }
    if (stage === 'confirm' && digits !== first) {
      first = '';
      digits = '';
      stage = 'set';
      setText(message, t('admin.pin.mismatch'));
      return render();
    }
    const pin = digits;
    digits = '';
    busy = true;
    render();
    const call = stage === 'confirm' ? ctx.api.adminSetPin(pin) : ctx.api.adminEnter(pin);
    void call
      .then(
        (result) => {
          if (!result.ok) setText(message, refused(result.code));
        },
        () => setText(message, t('app.reconnecting')),
      )
      .finally(() => {
        busy = false;
        render();
      });
  });
  cancel.addEventListener('click', () => void ctx.act(() => ctx.api.adminExit()));

  const root = el(
    'main',
    { className: 'screen screen-admin screen-admin-pin', attrs: { 'data-screen': 'admin' } },
    [
      el('div', { className: 'admin-pin-box' }, [
        title,
        prompt,
        dots,
        message,
        lock,
        grid,
        el('div', { className: 'admin-pin-actions' }, [cancel, ok]),
        note,
      ]),
    ],
  );
  render();
  const timer = window.setInterval(() => {
    if (lockedFor() > -1000) render();
  }, 500);

  return {
    root,
    update(next) {
      current = next;
      render();
    },
    dispose() {
      window.clearInterval(timer);
    },
  };
}
