import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProvinceRecord } from '../../src/shared/province-record.js';
import { uuidv7 } from '../../src/sync/uuidv7.js';
import { commitRatings } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';
import { chainHash, MemoryOutbox } from './support/memory-outbox.js';

let harness: Harness | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await harness?.close();
  harness = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function chain(n: number, deviceId = 'HK-0001'): ProvinceRecord[] {
  const outbox = new MemoryOutbox();
  commitRatings(outbox, n, deviceId);
  return outbox.rows.map((r) => r.item.record);
}

const statuses = async (h: Harness, records: ProvinceRecord[]) => {
  const outcome = await h.adapter.sendRecords(records);
  if (!outcome.ok) throw new Error(outcome.failure.message);
  return outcome.results.map((r) => r.code ?? r.status);
};

describe('The province test server', () => {
  it('accepts records out of seq order (差评 first) and finds no break once the chain is complete', async () => {
    harness = await startHarness();
    const records = chain(6);
    await statuses(harness, [records[3]!, records[4]!]);
    expect(harness.server.chainBreaks()).toEqual([{ kind: 'gap', deviceId: 'HK-0001', missing: [1, 2, 3] }]);
    await statuses(harness, [records[0]!, records[1]!, records[2]!, records[5]!]);
    expect(harness.server.chainBreaks()).toEqual([]);
  });

  it('reports an edited record as a hash break and an inserted one as a link break, but still accepts them', async () => {
    harness = await startHarness();
    const records = chain(3);
    const edited = { ...records[1]!, satisfaction: '5' as const };
    const base = {
      ...records[2]!,
      ratingId: uuidv7(Date.now(), () => new Uint8Array(10).fill(7)),
      projectNo: 'X1',
      prevHash: 'f'.repeat(64),
    };
    const inserted = { ...base, hash: chainHash(base.prevHash, base) };
    expect(await statuses(harness, [records[0]!, edited, inserted])).toEqual([
      'accepted',
      'accepted',
      'accepted',
    ]);
    expect(harness.server.chainBreaks()).toEqual(
      expect.arrayContaining([
        { kind: 'hash', deviceId: 'HK-0001', seq: 2 },
        { kind: 'link', deviceId: 'HK-0001', seq: 3 },
      ]),
    );
  });

  it('treats a second rating of the same (projectNo, assessNumber) as a duplicate', async () => {
    harness = await startHarness();
    const [first, second] = chain(2);
    expect(await statuses(harness, [first!, { ...second!, projectNo: first!.projectNo }])).toEqual([
      'accepted',
      'duplicate',
    ]);
  });

  it('rejects a record with a malformed or empty optional field, naming the field', async () => {
    harness = await startHarness();
    const [r] = chain(1);
    const outcome = await harness.adapter.sendRecords([{ ...r!, taskName: '', areaCode: '4601' }]);
    expect(outcome.ok && outcome.results[0]).toMatchObject({ status: 'rejected', code: 'FIELD_INVALID' });
  });

  it('remembers what it received across a restart (permanent de-duplication in its SQLite file)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'province-sim-'));
    dirs.push(dir);
    const dbPath = join(dir, 'ledger.sqlite');
    const records = chain(4);
    harness = await startHarness({}, { dbPath });
    expect(await statuses(harness, records)).toEqual(Array(4).fill('accepted'));
    await harness.close();
    harness = await startHarness({}, { dbPath });
    expect(await statuses(harness, records)).toEqual(Array(4).fill('duplicate'));
    expect(harness.server.records()).toHaveLength(4);
  });

  it('limits a fault to the next n requests when asked', async () => {
    harness = await startHarness();
    harness.server.faults.set({ kind: 'status500' }, { times: 1 });
    expect((await harness.adapter.sendRecords(chain(1))).ok).toBe(false);
    expect((await harness.adapter.sendRecords(chain(1, 'HK-0002'))).ok).toBe(true);
    expect(harness.server.faults.current()).toBeNull();
  });
});
