/**
 * Child process for the crash-safety test: the kiosk's data path alone (real store + real sync wiring)
 * against a province test server URL. Usage:
 *   node --import tsx crash-kiosk.ts <dbPath> <provinceUrl> <provincePublicKey> rate|drain
 * Prints `ready <lastSeq>` once open. `rate`: makes ratings continuously through the real commit path and
 * prints `committed <seq>` after each commit has returned (stdout to a pipe is synchronous on Linux, so a
 * printed line was committed before it left). `drain`: waits until the outbox is empty, prints
 * `drained <lastSeq>`, stops cleanly and exits 0.
 */
import { until } from '../polling.js';
import { integrationConfig, rateOne, startStack } from './rig.js';

async function main(): Promise<void> {
  const [dbPath, url, publicKey, mode] = process.argv.slice(2);
  if (!dbPath || !url || !publicKey || (mode !== 'rate' && mode !== 'drain')) {
    throw new Error('usage: crash-kiosk.ts <dbPath> <provinceUrl> <publicKey> rate|drain');
  }
  const stack = startStack(dbPath, integrationConfig(url, publicKey, { timeoutMs: 2_000 }));
  process.stdout.write(`ready ${stack.store.lastLink().seq}\n`);
  if (mode === 'drain') {
    await until('the outbox to drain', () => stack.store.stats().depth === 0, 60_000);
    process.stdout.write(`drained ${stack.store.lastLink().seq}\n`);
    await stack.stop();
    process.exit(0);
  }
  for (let i = 0; ; i++) {
    const seq = rateOne(stack, i);
    process.stdout.write(`committed ${seq}\n`);
    // Yield so the worker sends while ratings keep coming (a kill may land mid-request).
    await new Promise((r) => setTimeout(r, i % 3));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`crash-kiosk: ${String(error)}\n`);
  process.exit(1);
});
