import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair, sm2Decrypt } from '../../src/sync/province/sm2.js';
import { createSm2Worker, inlineSm2Encryptor, SM2_WORKER_NICE } from '../../src/sync/province/sm2-worker.js';
import { until } from '../support/polling.js';

/** (nice, scheduling policy) of every thread of this process, from /proc (Linux). */
function threads(): Array<{ tid: string; nice: number; policy: number }> {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { tid, nice: Number(fields[16]), policy: Number(fields[38]) };
  });
}
const SCHED_IDLE = 5;

describe('SM2 on a worker thread', () => {
  const worker = createSm2Worker();
  const keys = generateSm2KeyPair();
  afterAll(() => worker.close());

  it('produces C1C3C2 hex with the leading 04 that decrypts to the same text as the inline encryption', async () => {
    const text = JSON.stringify({ records: [{ userName: '测试一', satisfaction: '5' }] });
    const [fromWorker, inline] = await Promise.all([
      worker.encrypt(text, keys.publicKey),
      inlineSm2Encryptor.encrypt(text, keys.publicKey),
    ]);
    expect(fromWorker).toMatch(/^04[0-9a-f]+$/);
    expect(fromWorker.length).toBe(inline.length);
    expect(sm2Decrypt(fromWorker, keys.privateKey)).toBe(text);
    expect(sm2Decrypt(inline, keys.privateKey)).toBe(text);
  });

  it('carries names with rare characters intact, including the private-use plane some ID systems use for 生僻字', async () => {
    const text = JSON.stringify({
      userName: `王${String.fromCodePoint(0x20bb7)}${String.fromCodePoint(0xf0001)}明`,
    });
    for (const cipher of [
      await worker.encrypt(text, keys.publicKey),
      await inlineSm2Encryptor.encrypt(text, keys.publicKey),
    ]) {
      expect(sm2Decrypt(cipher, keys.privateKey)).toBe(text);
    }
  });

  it('runs in the idle scheduling class at a background nice value, so a press on the main thread preempts it, and leaves the main thread alone', async () => {
    await worker.encrypt('warm-up', keys.publicKey);
    await until('the SM2 thread to lower its priority', () =>
      threads().some((t) => t.policy === SCHED_IDLE && t.nice === SM2_WORKER_NICE),
    );
    const self = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = self.slice(self.lastIndexOf(')') + 2).split(' ');
    expect({ nice: Number(fields[16]), policy: Number(fields[38]) }).toEqual({ nice: 0, policy: 0 });
  });

  it('answers concurrent requests each with its own ciphertext', async () => {
    const texts = Array.from({ length: 8 }, (_, i) => `batch ${i}`);
    const ciphers = await Promise.all(texts.map((t) => worker.encrypt(t, keys.publicKey)));
    expect(ciphers.map((c) => sm2Decrypt(c, keys.privateKey))).toEqual(texts);
  });

  it('rejects a malformed public key with an error instead of hanging', async () => {
    await expect(worker.encrypt('x', '04abc')).rejects.toThrow(/130 hex/);
  });
});
