/**
 * The delivery thread (src/sync/delivery/) with the real store, the real province test server over loopback
 * HTTP and the real thread: what runs where, how it yields the CPU, and how it recovers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type KioskStore } from '../../src/store/index.js';
import { startDeliveryThread } from '../../src/sync/delivery/host.js';
import { backgroundCpu, processCpuCount } from '../../src/shared/background-thread.js';
import { foregroundCpuList } from '../../src/shared/runtime-helpers.js';
import { sm2Decrypt } from '../../src/sync/province/sm2.js';
import { until } from '../support/polling.js';
import {
  APP_MARK,
  APP_WORD,
  commitBacklog,
  DEVICE_ID,
  integrationConfig,
  ledgerSummary,
  newProvinceKeys,
  PII_KEY,
  rateOne,
  startProvince,
  startStack,
  tempDir,
  type Stack,
} from '../support/sync-integration/rig.js';

/** (nice, scheduling policy, allowed CPUs) of every thread of this process, from /proc (Linux). */
function threads(): Array<{ tid: string; nice: number; policy: number; cpus: string }> {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
    const cpus = /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1] ?? '';
    return { tid, nice: Number(fields[16]), policy: Number(fields[38]), cpus };
  });
}
const SCHED_IDLE = 5;
/** The kiosk's background CPU, as /proc writes a single CPU. */
const LAST_CPU = String(backgroundCpu());

/** Waits until the main thread has left the background CPU (delivery start moves it; taskset runs async). */
async function mainThreadOffLastCpu(): Promise<void> {
  const foreground = foregroundCpuList(processCpuCount());
  await until('the main thread to leave the last CPU', () =>
    threads().some((t) => t.tid === String(process.pid) && t.cpus === foreground),
  );
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What startDeliveryThread needs besides the store and its logging: the province and the batch policy. */
const threadOptions = (baseUrl: string, publicKey: string) => ({
  province: { baseUrl, appMark: APP_MARK, appWord: APP_WORD, publicKey, deviceId: DEVICE_ID },
  batchSize: 100,
  piiRetentionDays: 0,
  now: Date.now,
});

async function kiosk(): Promise<{ stack: Stack; server: Awaited<ReturnType<typeof startProvince>> }> {
  const keys = newProvinceKeys();
  const dir = tempDir();
  cleanups.push(() => dir.cleanup());
  const server = await startProvince(keys, path.join(dir.dir, 'province.sqlite'));
  cleanups.push(() => server.close());
  const stack = startStack(path.join(dir.dir, 'kiosk.sqlite'), integrationConfig(server.url, keys.publicKey));
  cleanups.push(() => stack.stop());
  return { stack, server };
}

describe('The delivery thread', () => {
  it('delivers every rating exactly once while the main thread never reads a batch: it only writes the marks', async () => {
    const { stack, server } = await kiosk();
    let mainThreadBatches = 0;
    const nextBatch = stack.store.nextBatch.bind(stack.store);
    stack.store.nextBatch = (limit) => {
      mainThreadBatches += 1;
      return nextBatch(limit);
    };
    for (let i = 0; i < 150; i++) rateOne(stack, i);
    await until('all 150 delivered', () => stack.store.stats().delivered === 150, 20_000);
    expect(stack.store.stats()).toMatchObject({ depth: 0, delivered: 150, deadLetters: [] });
    const ledger = ledgerSummary(server);
    expect(ledger.total).toBe(150);
    expect([...ledger.counts.values()].every((n) => n === 1)).toBe(true);
    expect(server.chainBreaks()).toEqual([]);
    expect(mainThreadBatches).toBe(0);
    // The thread reports idle once it finds the queue empty, a message after the last marks are written.
    const syncState = () => (stack.sync.diagnostics().sync as { state: string }).state;
    await until('the thread to report idle', () => syncState() === 'idle');
    expect(stack.sync.diagnostics()).toMatchObject({ sync: { lastError: null } });
  });

  it('runs in the idle scheduling class at nice 10 on the last CPU, and the main thread keeps its class and nice value', async () => {
    const { stack } = await kiosk();
    rateOne(stack, 1);
    await until('the delivery', () => stack.store.stats().delivered === 1, 20_000);
    await until('the delivery thread to move to the background', () =>
      threads().some((t) => t.policy === SCHED_IDLE && t.nice === 10 && t.cpus === LAST_CPU),
    );
    const main = threads().find((t) => t.tid === String(process.pid))!;
    expect(main).toMatchObject({ nice: 0, policy: 0 });
    expect(main.cpus).not.toBe(LAST_CPU);
  });

  it('moves the runtime’s garbage-collection helpers to the same last CPU at nice 10, and the main thread to every other CPU', async () => {
    const { stack } = await kiosk();
    rateOne(stack, 1);
    await until('the delivery', () => stack.store.stats().delivered === 1, 20_000);
    // Plain Node 20 (these tests): the platform's 4 workers and its scheduler are the first threads after main.
    const all = threads();
    const helpers = all
      .map((t) => Number(t.tid))
      .filter((tid) => tid > process.pid)
      .sort((a, b) => a - b)
      .slice(0, 5)
      .map(String);
    await until('the helpers to move', () =>
      threads()
        .filter((t) => helpers.includes(t.tid))
        .every((t) => t.nice === 10 && t.cpus === LAST_CPU),
    );
    await mainThreadOffLastCpu();
    const main = threads().find((t) => t.tid === String(process.pid))!;
    expect(main).toMatchObject({ nice: 0, policy: 0 });
  });

  it('still sends a background thread started after the main thread left the last CPU to the last CPU', async () => {
    const { stack } = await kiosk();
    rateOne(stack, 1);
    await until('the delivery', () => stack.store.stats().delivered === 1, 20_000);
    await mainThreadOffLastCpu();
    // A thread starts with its creator's CPUs: a checkpoint thread made now must still find the last CPU.
    const before = new Set(threads().map((t) => t.tid));
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const store = openStore({ path: path.join(dir.dir, 'other.sqlite'), piiKey: PII_KEY });
    cleanups.push(() => store.close());
    await store.maintain();
    await until('the new checkpoint thread to move to the background', () =>
      threads().some((t) => !before.has(t.tid) && t.nice === 10 && t.cpus === LAST_CPU),
    );
  });

  it('encrypts for the main thread’s own requests (heartbeat, catalogue) with the same SM2, and refuses once stopped', async () => {
    const keys = newProvinceKeys();
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const store = openStore({ path: path.join(dir.dir, 'kiosk.sqlite'), piiKey: PII_KEY });
    cleanups.push(() => store.close());
    const host = startDeliveryThread({
      store,
      dbPath: store.path,
      piiKey: PII_KEY,
      ...threadOptions('http://127.0.0.1:9', keys.publicKey),
      log: () => undefined,
    });
    host.start();
    const text = JSON.stringify({ deviceId: DEVICE_ID, have: '名称' });
    expect(sm2Decrypt(await host.encryptor.encrypt(text, keys.publicKey), keys.privateKey)).toBe(text);
    await expect(host.encryptor.encrypt(text, '04abc')).rejects.toThrow(/130 hex/);
    await host.stop();
    await expect(host.encryptor.encrypt(text, keys.publicKey)).rejects.toThrow(/not running/);
    expect(host.status().state).toBe('off');
  });

  it('reports E6014 when it cannot start, keeps retrying with backoff, and delivers once the store is there', async () => {
    const keys = newProvinceKeys();
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const server = await startProvince(keys, path.join(dir.dir, 'province.sqlite'));
    cleanups.push(() => server.close());
    const dbPath = path.join(dir.dir, 'later.sqlite');
    const events: string[] = [];
    // The thread opens its own read-only connection: on a missing file it fails, and the host restarts it.
    let store: KioskStore | null = null;
    const host = startDeliveryThread({
      store: {
        markDelivered: (results, at) => store!.markDelivered(results, at),
        markDead: (seq, code, message, at) => store!.markDead(seq, code, message, at),
        recordAttempt: (seqs, at, code) => store!.recordAttempt(seqs, at, code),
        erasePii: (before, budget) => store!.erasePii(before, budget),
      },
      dbPath,
      piiKey: PII_KEY,
      ...threadOptions(server.url, keys.publicKey),
      log: (event) => events.push(event),
      restartMs: 50,
      maxRestartMs: 200,
    });
    cleanups.push(() => host.stop());
    host.start();
    await until(
      'two failed starts',
      () => events.filter((e) => e === 'sync.delivery-thread-stopped').length >= 2,
    );
    expect(host.status()).toMatchObject({ state: 'off', lastError: { code: 'E6014' } });

    const opened = openStore({ path: dbPath, piiKey: PII_KEY });
    cleanups.push(() => opened.close());
    commitBacklog(opened, integrationConfig(server.url, keys.publicKey), 30);
    store = opened;
    await until('the backlog delivered by a restarted thread', () => opened.stats().delivered === 30, 20_000);
    expect(ledgerSummary(server).total).toBe(30);
  });
});
