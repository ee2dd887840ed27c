/**
 * The hidden way into the admin screens: a 3-second press in the top-right corner (an invisible 64 px
 * square). It is a document-level listener, not an element, so nothing in the corner stops working; a
 * tap, a swipe or lifting the finger before 3 s does nothing, and it is not reachable by accident.
 */
export const CORNER_PX = 64;
export const CORNER_HOLD_MS = 3000;
const MOVE_TOLERANCE_PX = 24;

export function inAdminCorner(x: number, y: number, width: number): boolean {
  return x >= width - CORNER_PX && y <= CORNER_PX;
}

export function installAdminCorner(doc: Document, options: { enabled(): boolean; open(): void }): void {
  let timer = 0;
  let start: { x: number; y: number; id: number } | null = null;
  const cancel = (): void => {
    window.clearTimeout(timer);
    start = null;
  };
  doc.addEventListener(
    'pointerdown',
    (event) => {
      cancel();
      if (!options.enabled() || !event.isPrimary) return;
      if (!inAdminCorner(event.clientX, event.clientY, window.innerWidth)) return;
      start = { x: event.clientX, y: event.clientY, id: event.pointerId };
      timer = window.setTimeout(() => {
        start = null;
        options.open();
      }, CORNER_HOLD_MS);
    },
    { capture: true },
  );
  doc.addEventListener(
    'pointermove',
    (event) => {
      if (start === null || event.pointerId !== start.id) return;
      if (Math.hypot(event.clientX - start.x, event.clientY - start.y) > MOVE_TOLERANCE_PX) cancel();
    },
    { capture: true },
  );
  for (const type of ['pointerup', 'pointercancel'] as const)
    doc.addEventListener(type, cancel, { capture: true });
  window.addEventListener('blur', cancel);
}
