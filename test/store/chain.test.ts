import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sm3Hex } from '../../src/crypto/sm3.js';
import { GENESIS_PREV_HASH, type ProvinceRecord } from '../../src/shared/province-record.js';
import { canonicalRecord, recordHash, verifyChainRecords } from '../../src/store/chain.js';
import { draft } from './helpers.js';

type Draft = ReturnType<typeof draft>;

/** Links drafts into a valid chain the way the store does. */
function chainOf(drafts: Draft[]): ProvinceRecord[] {
  let prevHash = GENESIS_PREV_HASH;
  return drafts.map((d, i) => {
    const withLink = { ...d, seq: i + 1, prevHash };
    const hash = recordHash(prevHash, withLink);
    prevHash = hash;
    return { ...withLink, hash };
  });
}

const levelArb = fc.constantFrom(
  'very_satisfied',
  'satisfied',
  'basic',
  'dissatisfied',
  'very_dissatisfied' as const,
);
const draftArb = fc
  .record({
    level: levelArb,
    flags: fc.array(fc.string(), { maxLength: 3 }),
    text: fc.option(fc.string(), { nil: undefined }),
  })
  .map(({ level, flags, text }) =>
    draft(level, { flags, ...(text === undefined ? {} : { writingEvaluation: text }) }),
  );
const chainArb = fc.array(draftArb, { minLength: 2, maxLength: 8 }).map(chainOf);

describe('canonicalRecord', () => {
  it('sorts keys by code point, writes no white space, seq as a number and flags as an array', () => {
    const text = canonicalRecord({
      ...draft('satisfied', { flags: ['too-fast'] }),
      seq: 7,
      prevHash: GENESIS_PREV_HASH,
    });
    expect(text).not.toMatch(/\s(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    expect(text).toContain('"seq":7');
    expect(text).toContain('"flags":["too-fast"]');
    const keys = Object.keys(JSON.parse(text) as object);
    expect(keys).toEqual([...keys].sort());
  });

  it('leaves out hash, certKey and userName so PII can be erased without breaking the chain', () => {
    const base = { ...draft('basic'), seq: 1, prevHash: GENESIS_PREV_HASH };
    const withPii = { ...base, certKey: '46010019900101123X', userName: '张三', hash: 'f'.repeat(64) };
    expect(canonicalRecord(withPii)).toBe(canonicalRecord(base));
    expect(canonicalRecord(withPii)).not.toContain('46010019900101123X');
  });

  it('leaves absent optional fields out rather than writing them empty', () => {
    const text = canonicalRecord({
      ...draft('basic'),
      taskCode: undefined,
      seq: 1,
      prevHash: GENESIS_PREV_HASH,
    });
    expect(text).not.toContain('taskCode');
  });

  it('refuses a value of the wrong type instead of hashing it', () => {
    const bad = { ...draft('basic'), seq: '1', prevHash: GENESIS_PREV_HASH } as unknown as ProvinceRecord;
    expect(() => canonicalRecord(bad)).toThrow(TypeError);
    const badFlags = {
      ...draft('basic'),
      flags: [1],
      seq: 1,
      prevHash: GENESIS_PREV_HASH,
    } as unknown as ProvinceRecord;
    expect(() => canonicalRecord(badFlags)).toThrow(TypeError);
  });

  it('does not depend on the order in which the record keys were set', () => {
    fc.assert(
      fc.property(
        draftArb,
        fc.integer({ min: 1, max: 1e9 }),
        fc.infiniteStream(fc.double()),
        (d, seq, noise) => {
          const entries = Object.entries({ ...d, seq, prevHash: GENESIS_PREV_HASH });
          const shuffled = entries.map((e) => [noise.next().value, e] as const).sort((a, b) => a[0] - b[0]);
          const reordered = Object.fromEntries(shuffled.map(([, e]) => e)) as unknown as ProvinceRecord;
          expect(canonicalRecord(reordered)).toBe(
            canonicalRecord({ ...d, seq, prevHash: GENESIS_PREV_HASH }),
          );
        },
      ),
    );
  });
});

describe('recordHash', () => {
  it('is SM3 over the UTF-8 of prevHash followed by the canonical text', () => {
    const record = { ...draft('satisfied'), seq: 1, prevHash: GENESIS_PREV_HASH };
    expect(recordHash(GENESIS_PREV_HASH, record)).toBe(sm3Hex(GENESIS_PREV_HASH + canonicalRecord(record)));
  });
});

describe('verifyChainRecords', () => {
  it('accepts an empty chain and any chain built by linking records from seq 1', () => {
    expect(verifyChainRecords([])).toBeNull();
    fc.assert(
      fc.property(chainArb, (chain) => {
        expect(verifyChainRecords(chain)).toBeNull();
      }),
    );
  });

  it('detects any single-field edit at the edited record', () => {
    const fields = [
      'satisfaction',
      'evalDetail',
      'projectNo',
      'assessTime',
      'flags',
      'isDefault',
      'prevHash',
      'hash',
      'seq',
    ] as const;
    fc.assert(
      fc.property(chainArb, fc.nat(), fc.constantFrom(...fields), (chain, i, field) => {
        const at = i % chain.length;
        const edited = chain.map((r) => ({ ...r }));
        const target = edited[at]! as unknown as Record<string, unknown>;
        target[field] =
          field === 'seq' ? 999 : field === 'flags' ? ['edited'] : `${String(target[field] ?? '')}x`;
        expect(verifyChainRecords(edited)).toBe(at + 1);
      }),
    );
  });

  it('detects a deleted record at the seq that went missing', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), (chain, i) => {
        const at = i % (chain.length - 1); // deleting the last record leaves a valid prefix: the side file catches that
        expect(verifyChainRecords(chain.filter((_, j) => j !== at))).toBe(at + 1);
      }),
    );
  });

  it('detects an inserted record, even one whose own hash was recomputed', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), draftArb, (chain, i, extra) => {
        const at = i % chain.length;
        const prev = chain[at - 1];
        const forged = { ...extra, seq: at + 1, prevHash: prev ? prev.hash : GENESIS_PREV_HASH };
        const renumbered = chain.map((r, j) => (j >= at ? { ...r, seq: r.seq + 1 } : r));
        renumbered.splice(at, 0, { ...forged, hash: recordHash(forged.prevHash, forged) });
        expect(verifyChainRecords(renumbered)).toBe(at + 2);
      }),
    );
  });

  it('detects two records swapped', () => {
    fc.assert(
      fc.property(chainArb, fc.nat(), (chain, i) => {
        const at = i % (chain.length - 1);
        const swapped = [...chain];
        [swapped[at], swapped[at + 1]] = [swapped[at + 1]!, swapped[at]!];
        expect(verifyChainRecords(swapped)).toBe(at + 1);
      }),
    );
  });
});
