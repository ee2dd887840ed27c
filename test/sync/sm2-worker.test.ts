import { afterAll, describe, expect, it } from 'vitest';
import { generateSm2KeyPair, sm2Decrypt } from '../../src/sync/province/sm2.js';
import { createSm2Worker, inlineSm2Encryptor } from '../../src/sync/province/sm2-worker.js';

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

  it('answers concurrent requests each with its own ciphertext', async () => {
    const texts = Array.from({ length: 8 }, (_, i) => `batch ${i}`);
    const ciphers = await Promise.all(texts.map((t) => worker.encrypt(t, keys.publicKey)));
    expect(ciphers.map((c) => sm2Decrypt(c, keys.privateKey))).toEqual(texts);
  });

  it('rejects a malformed public key with an error instead of hanging', async () => {
    await expect(worker.encrypt('x', '04abc')).rejects.toThrow(/130 hex/);
  });
});
