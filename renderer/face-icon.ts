/**
 * Face icons for the five buttons, drawn as SVG so they need no emoji font (kiosk images ship only
 * Noto CJK) and no image files. The mouth curve goes from a wide smile to a deep frown.
 */
import type { LevelKey } from '../src/shared/levels.js';
import { svg } from './dom.js';

const MOUTHS: Record<LevelKey, string> = {
  very_satisfied: 'M14 28 Q24 40 34 28',
  satisfied: 'M15 30 Q24 36 33 30',
  basic: 'M15 32 L33 32',
  dissatisfied: 'M15 34 Q24 29 33 34',
  very_dissatisfied: 'M14 36 Q24 25 34 36',
};

export function faceIcon(level: LevelKey): SVGSVGElement {
  const stroke = { fill: 'none', stroke: 'currentColor', 'stroke-width': '3', 'stroke-linecap': 'round' };
  return svg('svg', { viewBox: '0 0 48 48', class: 'face', 'aria-hidden': 'true', focusable: 'false' }, [
    svg('circle', { cx: '24', cy: '24', r: '21', ...stroke }),
    svg('circle', { cx: '17', cy: '19', r: '2.5', fill: 'currentColor' }),
    svg('circle', { cx: '31', cy: '19', r: '2.5', fill: 'currentColor' }),
    svg('path', { d: MOUTHS[level], ...stroke }),
  ]);
}
