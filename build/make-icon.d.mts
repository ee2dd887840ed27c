// Types for build/make-icon.mjs, so the packaging test can check the committed icon against it.
export function encodePng(width: number, height: number, rgba: Buffer): Buffer;
export function renderIcon(): Buffer;
