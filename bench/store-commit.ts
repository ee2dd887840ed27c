/**
 * Cost of one durable rating commit (rating + outbox + chain link + service outcome, one transaction,
 * WAL + synchronous=FULL) against the floor: a bare better-sqlite3 single-row insert with the same
 * pragmas on the same disk. Interleaved so both see the same disk conditions. Target: ratio ≤ 2 (issue 15:
 * the commit pays UNIQUE(rating_id) again, migration 0006; 1.5 was won by dropping it).
 * The commit is the kiosk's own press commit (src/app/sync-wiring.ts): a service whose citizen was sealed
 * when it arrived (untimed, as in the kiosk), then the rating, whose identity the store copies from the service row.
 * Set HCP_BENCH_DIR to a directory on the data disk when tmpdir is on another device.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withoutPii, type RecordDraft } from '../src/shared/province-record.js';
import { openStore } from '../src/store/store.js';
import { percentile, type BenchRow } from './types.js';

function draft(i: number): RecordDraft {
  return {
    ratingId: randomUUID(),
    projectNo: `QHK0120261126A${i}`,
    taskCode: '11460100MB0000000X4000000001',
    taskName: '个体工商户设立登记',
    proStatus: '3',
    areaCode: '460100000000',
    deptCode: '11460100MB0000000X',
    proDepart: '海口市政务服务中心',
    proManager: '李四',
    staffId: 'S007',
    hallCode: 'HK01',
    windowNo: '12',
    deviceId: 'dev-1',
    userProp: '1',
    userPageType: '111',
    certKey: '46010019900101123X',
    userName: '张三丰',
    pf: '5',
    satisfaction: '4',
    catalogueVersion: '2026.11',
    assessTime: '2026-11-26 09:30:15',
    serviceTime: '2026-11-26 09:29:00',
    assessNumber: '1',
    serviceNumber: '1',
    dataSource: '001',
    isDefault: '0',
    flags: [],
  };
}

const VERIFY_RECORDS = 5_000;

/** A durable commit against a bare single-row insert on the same disk (issue 15 item 8). */
const COMMIT_RATIO_TARGET = 2;

export async function benchStoreCommit(iterations = 400, warmup = 30): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(process.env.HCP_BENCH_DIR ?? tmpdir(), 'hcp-bench-'));
  const store = openStore({ path: join(dir, 'kiosk.db'), piiKey: Buffer.alloc(32, 9) });
  const bare = new Database(join(dir, 'bare.db'));
  bare.pragma('journal_mode = WAL');
  bare.pragma('synchronous = FULL');
  // Both sides checkpoint the same way the kiosk does: off the timed path (the app's idle timer).
  bare.pragma('wal_autocheckpoint = 0');
  bare.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
  const bareInsert = bare.prepare('INSERT INTO t (payload) VALUES (?)');
  const payload = JSON.stringify(draft(0));
  const total = iterations + warmup;
  const serviceIds: number[] = [];
  for (let i = 0; i < total; i++) {
    serviceIds.push(
      store.insertService({
        ticketNo: `A${i}`,
        projectNo: null,
        serviceNumber: '1',
        node: 'completed',
        sessionId: randomUUID(),
        taskCode: null,
        taskName: null,
        completedAt: Date.now(),
        openedAt: Date.now(),
        staffId: 'S007',
        staffName: '李四',
        citizen: {
          certKey: '46010019900101123X',
          userName: '张三丰',
          userProp: '1',
          certType: 'id-card' as const,
        },
      }).id,
    );
  }
  const drafts = Array.from({ length: total }, (_, i) => withoutPii(draft(i)));
  const commitMs: number[] = [];
  const bareMs: number[] = [];
  // Idle maintenance between ratings, untimed, as the kiosk's 5 s timer does; waited for, so the checkpoint
  // thread is not still copying while the next commits are timed (a kiosk's press rarely meets one).
  const checkpointBoth = async () => {
    await store.maintain();
    bare.pragma('wal_checkpoint(PASSIVE)');
  };
  await checkpointBoth();
  try {
    for (let i = 0; i < total; i++) {
      if (i % 50 === 0) await checkpointBoth();
      let t0 = process.hrtime.bigint();
      bareInsert.run(payload);
      const b = Number(process.hrtime.bigint() - t0) / 1e6;
      t0 = process.hrtime.bigint();
      store.commitRating({
        serviceId: serviceIds[i]!,
        level: 'satisfied',
        draft: drafts[i]!,
        source: 'pad',
        sessionId: null,
        at: Date.now(),
      });
      const c = Number(process.hrtime.bigint() - t0) / 1e6;
      if (i >= warmup) {
        bareMs.push(b);
        commitMs.push(c);
      }
    }
    // Grow the chain (untimed) so the start-up verification figure means something.
    for (let i = total; i < VERIFY_RECORDS; i++) {
      store.commitRating({
        serviceId: null,
        level: 'satisfied',
        draft: withoutPii(draft(i)),
        source: 'bench',
        sessionId: null,
        at: Date.now(),
      });
    }
    const t0 = process.hrtime.bigint();
    const status = store.verifyChain(Date.now());
    const verifyMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const round = (n: number) => Math.round(n * 1000) / 1000;
    const p50 = percentile(commitMs, 50) / percentile(bareMs, 50);
    const p99 = percentile(commitMs, 99) / percentile(bareMs, 99);
    return [
      { name: 'store.commit p50', value: round(percentile(commitMs, 50)), unit: 'ms' },
      { name: 'store.commit p99', value: round(percentile(commitMs, 99)), unit: 'ms' },
      { name: 'sqlite bare insert p50', value: round(percentile(bareMs, 50)), unit: 'ms' },
      { name: 'sqlite bare insert p99', value: round(percentile(bareMs, 99)), unit: 'ms' },
      {
        name: 'store.commit / bare insert (p50)',
        value: round(p50),
        unit: 'ratio',
        target: `≤ ${COMMIT_RATIO_TARGET}`,
        ok: p50 <= COMMIT_RATIO_TARGET,
      },
      {
        name: 'store.commit / bare insert (p99)',
        value: round(p99),
        unit: 'ratio',
        target: `≤ ${COMMIT_RATIO_TARGET}`,
        ok: p99 <= COMMIT_RATIO_TARGET,
      },
      { name: `store.verifyChain (${status.lastSeq} records)`, value: round(verifyMs), unit: 'ms' },
    ];
  } finally {
    store.close();
    bare.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
