/**
 * Keyboard-mode pads (rating-pad-rp1.md "Keyboard-mode pads"): the pad types a key per button; the window
 * reads it as a key event and this pure map turns `KeyboardEvent.code` into a key number from configuration
 * (`devices.keyboardMap`). No ARM, LED or event counter in this mode.
 */
export type KeyboardMap = Readonly<Record<string, number>>;

/** Key number (1-based, left to right) for a `KeyboardEvent.code`, or undefined when the code is not mapped. */
export function keyForCode(map: KeyboardMap, code: string, keyCount = 8): number | undefined {
  if (!Object.hasOwn(map, code)) return undefined;
  const key = map[code];
  return key !== undefined && Number.isInteger(key) && key >= 1 && key <= keyCount ? key : undefined;
}

/** HID usages the spec lists (0x1E–0x22 digits, 0x3A–0x3E F1–F5, 0x59–0x5D keypad) as KeyboardEvent codes. */
export const HID_USAGE_TO_CODE: Readonly<Record<number, string>> = {
  0x1e: 'Digit1',
  0x1f: 'Digit2',
  0x20: 'Digit3',
  0x21: 'Digit4',
  0x22: 'Digit5',
  0x3a: 'F1',
  0x3b: 'F2',
  0x3c: 'F3',
  0x3d: 'F4',
  0x3e: 'F5',
  0x59: 'Numpad1',
  0x5a: 'Numpad2',
  0x5b: 'Numpad3',
  0x5c: 'Numpad4',
  0x5d: 'Numpad5',
};

/** Auto-repeat and modifier chords are not presses: only a plain, non-repeated keydown counts. */
export function isPlainPress(e: {
  repeat?: boolean;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}): boolean {
  return !e.repeat && !e.ctrlKey && !e.altKey && !e.metaKey;
}
