/**
 * Kiosk hygiene the CSS cannot do alone: no context menu, no pinch or keyboard zoom, no dragging of
 * images, no text selection outside the comment box. The cursor is hidden in base.css.
 */
export function installKioskHygiene(doc: Document): void {
  const prevent = (event: Event): void => event.preventDefault();
  doc.addEventListener('contextmenu', prevent);
  doc.addEventListener('dragstart', prevent);
  doc.addEventListener('selectstart', (event) => {
    const target = event.target;
    if (!(target instanceof HTMLTextAreaElement)) event.preventDefault();
  });
  // Chromium turns a trackpad pinch into ctrl+wheel; touch pinch is blocked by touch-action in CSS.
  doc.addEventListener(
    'wheel',
    (event) => {
      if (event.ctrlKey) event.preventDefault();
    },
    { passive: false },
  );
  doc.addEventListener('gesturestart', prevent);
  doc.addEventListener('keydown', (event) => {
    if ((event.ctrlKey || event.metaKey) && ['+', '-', '=', '0'].includes(event.key)) event.preventDefault();
  });
}

/** Keys the page itself uses for focus and activation; they are never forwarded as pad keys. */
const PAGE_KEYS = new Set([
  'Tab',
  'Enter',
  'NumpadEnter',
  'Space',
  'Escape',
  'ArrowLeft',
  'ArrowRight',
  'ArrowUp',
  'ArrowDown',
]);

export interface KeyRouting {
  /**
   * Every key from a keyboard-mode pad goes to the core: the key → level map is configuration, never code
   * (rating-pad-rp1.md "Keyboard-mode pads"), and the core records the press as a keyboard press — rating
   * it, changing the level on the reasons step, or keeping it as suppressed when no session is open.
   */
  padKey(code: string): void;
}

export function installKeyRouting(doc: Document, routing: KeyRouting): void {
  doc.addEventListener('keydown', (event) => {
    const target = event.target;
    if (target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement) return;
    if (event.repeat || event.ctrlKey || event.metaKey || event.altKey || PAGE_KEYS.has(event.code)) return;
    if (!/^[A-Za-z0-9]{1,32}$/.test(event.code)) return;
    event.preventDefault();
    routing.padKey(event.code);
  });
}
