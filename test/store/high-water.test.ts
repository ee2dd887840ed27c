/** The sealed rollback mark (high-water.ts, issue 18 item 2). */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHighWater } from '../../src/store/high-water.js';
import { tempDir, type TempDir } from './helpers.js';

const KEY = Buffer.alloc(32, 3);
let t: TempDir;
beforeEach(() => {
  t = tempDir();
});
afterEach(() => t.cleanup());

describe('sealed high-water mark', () => {
  it('reads back a mark it sealed, and never lowers it', () => {
    const path = `${t.dbPath}.hw`;
    const hw = openHighWater(path, KEY);
    expect(hw.state).toBe('missing');
    hw.raise(7);
    hw.raise(3);
    hw.close();
    expect(readFileSync(path, 'latin1')).toMatch(/^hcp-hw2 0{15}7 [0-9a-f]{64}\n$/);
    const again = openHighWater(path, KEY);
    expect([again.state, again.value]).toEqual(['sealed', 7]);
    again.close();
  });

  it('a mark written by another key, with an edited seq, or in the unsealed form is not trusted', () => {
    const path = `${t.dbPath}.hw`;
    const hw = openHighWater(path, KEY);
    hw.raise(9);
    hw.close();
    const other = openHighWater(path, Buffer.alloc(32, 4));
    expect([other.state, other.value]).toEqual(['invalid', null]);
    other.close();
    writeFileSync(path, readFileSync(path, 'latin1').replace('9 ', '2 '), 'latin1');
    const edited = openHighWater(path, KEY);
    expect([edited.state, edited.value]).toEqual(['invalid', null]);
    edited.close();
    writeFileSync(path, `hcp-hw1 ${'2'.padStart(16, '0')}\n`, 'latin1');
    const unsealed = openHighWater(path, KEY);
    expect([unsealed.state, unsealed.value]).toEqual(['unsealed', null]);
    unsealed.close();
  });

  it('without a key keeps the unsealed form (store tests, tools)', () => {
    const path = `${t.dbPath}.hw`;
    const hw = openHighWater(path);
    hw.raise(4);
    hw.close();
    expect(readFileSync(path, 'latin1')).toBe(`hcp-hw1 ${'4'.padStart(16, '0')}\n`);
    const again = openHighWater(path);
    expect(again.value).toBe(4);
    again.close();
  });
});
