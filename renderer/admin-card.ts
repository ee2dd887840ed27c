/**
 * Building blocks of the diagnostics screen's cards (screen-admin-diag.ts): a titled card whose body is
 * rebuilt only when its data changed (so buttons keep focus between the 2 s refreshes), a text line, an
 * error code with its name and README anchor, and what every card gets from the screen.
 */
import type { AdminCodeInfo, AdminDiagnostics } from '../src/shared/kiosk-api.js';
import { codeInfo } from './admin-format.js';
import { el } from './dom.js';
import { t, type I18nKey } from './i18n.js';
import type { ScreenContext } from './screen.js';

export interface Section {
  root: HTMLElement;
  body: HTMLElement;
  sig: string;
}

/** What the diagnostics screen gives every card. */
export interface DiagCardContext {
  readonly ctx: ScreenContext;
  /** Fetches the diagnostics now (after an action) instead of waiting for the next tick. */
  refresh(): Promise<void>;
  /** A refused call as text, named from the latest diagnostics' code list. */
  refusedText(code: string): string;
}

/** A card drawn from the diagnostics answer. */
export interface DiagCard {
  readonly root: HTMLElement;
  render(d: AdminDiagnostics): void;
}

export function section(titleKey: I18nKey, name: string): Section {
  const body = el('div', { className: 'admin-card-body' });
  const heading = el('h2', { className: 'admin-card-title', text: t(titleKey) });
  const root = el(
    'section',
    { className: `admin-card admin-${name}`, attrs: { 'data-testid': `admin-${name}` } },
    [heading, body],
  );
  return { root, body, sig: '' };
}

/** Replaces a section's content only when `data` differs from what it shows. */
export function fill(s: Section, data: unknown, build: () => Array<Node | null>): void {
  const sig = JSON.stringify(data);
  if (sig === s.sig) return;
  s.sig = sig;
  s.body.replaceChildren(...build().filter((n): n is Node => n !== null));
}

/** `E4004 pad.link-lost · README.md#e4004` as three spans, so the code is readable and the anchor findable. */
export function codeLine(
  code: string,
  codes: readonly AdminCodeInfo[],
  className = 'admin-code',
): HTMLElement {
  const info = codeInfo(code, codes);
  return el('p', { className, attrs: { 'data-code': info.code } }, [
    el('span', { className: 'admin-code-id', text: info.code }),
    info.name === null ? null : el('span', { className: 'admin-code-name', text: info.name }),
    el('span', { className: 'admin-code-readme', text: t('admin.codes.readme', { anchor: info.readme }) }),
  ]);
}

export const line = (text: string, className = 'admin-line'): HTMLElement => el('p', { className, text });

/** A refused admin call as `code name · README anchor` (the kiosk has no browser: the anchor is text). */
export function refusedText(code: string, codes: readonly AdminCodeInfo[]): string {
  const info = codeInfo(code, codes);
  return `${t('admin.refused', { code: info.code, name: info.name ?? '' })} · ${t('admin.codes.readme', { anchor: info.readme })}`;
}
