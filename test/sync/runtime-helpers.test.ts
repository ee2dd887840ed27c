/**
 * Which threads count as the runtime's garbage-collection helpers (src/shared/runtime-helpers.ts): named
 * `V8Worker` where the runtime names them, else (plain Node 20) the first platform threads after the main one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  foregroundCpuList,
  runtimeHelperThreads,
  type ThreadInfo,
} from '../../src/shared/runtime-helpers.js';

const MAIN = 1000;

describe('runtimeHelperThreads', () => {
  it('takes the threads the runtime names V8Worker, and nothing else, when there are any', () => {
    const threads: ThreadInfo[] = [
      { tid: MAIN, name: 'electron' },
      { tid: 1001, name: 'V8Worker' },
      { tid: 1002, name: 'V8Worker' },
      { tid: 1003, name: 'libuv-worker' },
      { tid: 1004, name: 'electron' },
      { tid: 1010, name: 'ThreadPoolForeg' },
    ];
    expect(runtimeHelperThreads(threads, MAIN)).toEqual([1001, 1002]);
  });

  it('on Node 20 takes the pool size plus one lowest unnamed threads after the main thread, never libuv or the main thread', () => {
    const threads: ThreadInfo[] = [
      { tid: MAIN, name: 'node' },
      ...[1001, 1002, 1003, 1004, 1005].map((tid) => ({ tid, name: 'node' })), // platform: 4 workers + scheduler
      { tid: 1006, name: 'node' }, // the inspector's signal thread, started after the platform
      { tid: 1009, name: 'node' }, // libuv's pool, started later
      { tid: 998, name: 'node' }, // an id below the main thread's (ids wrapped): not a helper
    ];
    expect(runtimeHelperThreads(threads, MAIN)).toEqual([1001, 1002, 1003, 1004, 1005]);
    expect(runtimeHelperThreads(threads, MAIN, 3)).toEqual([1001, 1002, 1003]);
  });

  it('takes no unnamed thread where none is expected (Electron, or a runtime that names its helpers)', () => {
    const threads: ThreadInfo[] = [
      { tid: MAIN, name: 'electron' },
      { tid: 1001, name: 'electron' },
      { tid: 1002, name: 'Chrome_IOThread' },
    ];
    expect(runtimeHelperThreads(threads, MAIN, 0)).toEqual([]);
  });

  it('only ever returns ids of the listed threads, sorted, without the main thread and without a thread named otherwise than V8Worker or the main thread', () => {
    const names = fc.constantFrom('node', 'V8Worker', 'libuv-worker', 'Chrome_IOThread', 'electron');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ tid: fc.integer({ min: 1, max: 5000 }), name: names }), {
          selector: (t) => t.tid,
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 0, max: 8 }),
        (threads, count) => {
          const main = threads[0]!;
          const picked = runtimeHelperThreads(threads, main.tid, count);
          const byTid = new Map(threads.map((t) => [t.tid, t.name]));
          expect(picked).toEqual([...picked].sort((a, b) => a - b));
          expect(picked).not.toContain(main.tid);
          const anyNamed = threads.some((t) => t.name === 'V8Worker' && t.tid !== main.tid);
          for (const tid of picked) {
            expect(byTid.has(tid)).toBe(true);
            expect(byTid.get(tid)).toBe(anyNamed ? 'V8Worker' : main.name);
          }
          if (!anyNamed) expect(picked.length).toBeLessThanOrEqual(count);
        },
      ),
    );
  });
});

describe('foregroundCpuList', () => {
  it('gives the main thread every CPU but the last, as taskset writes it, and nothing to change with one CPU', () => {
    expect(foregroundCpuList(1)).toBeNull();
    expect(foregroundCpuList(2)).toBe('0');
    expect(foregroundCpuList(4)).toBe('0-2');
  });

  it('never includes the last CPU and always leaves at least one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 256 }), (cpus) => {
        const list = foregroundCpuList(cpus)!;
        const [first, last = first] = list.split('-').map(Number);
        expect(first).toBe(0);
        expect(last).toBe(cpus - 2);
      }),
    );
  });
});
