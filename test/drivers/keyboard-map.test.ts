import { describe, expect, it } from 'vitest';
import { HID_USAGE_TO_CODE, isPlainPress, keyForCode } from '../../drivers/pad/keyboard-map.js';

const map = { Digit1: 1, Digit5: 5, Numpad3: 3, F2: 2, KeyX: 9 };

describe('keyboard-mode pad map', () => {
  it('maps a configured KeyboardEvent.code to its key number, and nothing else', () => {
    expect(keyForCode(map, 'Digit5')).toBe(5);
    expect(keyForCode(map, 'Numpad3')).toBe(3);
    expect(keyForCode(map, 'Digit2')).toBeUndefined();
    expect(keyForCode(map, 'toString')).toBeUndefined();
  });
  it('ignores a mapped key beyond the pad key count', () => {
    expect(keyForCode(map, 'KeyX', 5)).toBeUndefined();
    expect(keyForCode(map, 'Digit5', 4)).toBeUndefined();
  });
  it('names the HID usages the spec lists', () => {
    expect(HID_USAGE_TO_CODE[0x1e]).toBe('Digit1');
    expect(HID_USAGE_TO_CODE[0x3e]).toBe('F5');
    expect(HID_USAGE_TO_CODE[0x5d]).toBe('Numpad5');
  });
  it('counts only plain, non-repeated key presses', () => {
    expect(isPlainPress({})).toBe(true);
    expect(isPlainPress({ repeat: true })).toBe(false);
    expect(isPlainPress({ ctrlKey: true })).toBe(false);
  });
});
