/**
 * Tampering (domain-rules §6): a buffered 差评 edited into 非常满意 in the SQLite file, behind the
 * append-only trigger (dropped, edited, recreated), is detected at start-up (`chainStatus()` E2201) and by
 * the province once the record is sent (`chainBreaks()`), and the real kiosk process reports
 * `GET /v1/health` degraded.
 */
import path from 'node:path';
import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { dataPaths } from '../../src/app/paths.js';
import { demoConfig, loadOrCreateDemoSecrets } from '../../src/app/demo.js';
import { loadOrCreateKeyFile } from '../../src/crypto/keyfile.js';
import { openStore } from '../../src/store/index.js';
import { linkCall, makeDataDir, startKiosk, type KioskProcess } from '../support/kiosk-process.js';
import { Ledger } from '../../dev-tools/province-sim/ledger.js';
import { until } from '../support/polling.js';
import {
  integrationConfig,
  newProvinceKeys,
  PII_KEY,
  rateOne,
  startProvince,
  startStack,
  tempDir,
} from '../support/sync-integration/rig.js';
import {
  editLevelToVerySatisfied,
  editRefusedByTrigger,
  triggerSql,
} from '../support/sync-integration/tamper.js';

const KEYS = newProvinceKeys();
/** rateOne cycles levels from 非常满意; the 5th rating (seq 5) is 非常不满意. */
const EDITED_SEQ = 5;

let cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('A rating edited in the SQLite file', () => {
  it('When a buffered 非常不满意 is edited to 非常满意 behind the append-only trigger, the store reports E2201 at start and the province reports a chain break once it is sent', async () => {
    const dir = tempDir('hcp-tamper-');
    const server = await startProvince(KEYS, ':memory:');
    cleanup.push(dir.cleanup, () => server.close());
    const dbPath = path.join(dir.dir, 'kiosk.sqlite');
    const config = integrationConfig(server.url, KEYS.publicKey, { timeoutMs: 1_000 });

    // Ratings buffered while the province is in maintenance (Retry-After 1 h): none is delivered.
    server.faults.set({ kind: 'maintenance503', retryAfterSec: 3_600 });
    const stack = startStack(dbPath, config);
    for (let i = 0; i < 8; i++) rateOne(stack, i);
    expect(stack.store.getRating(EDITED_SEQ)!.level).toBe('very_dissatisfied');
    await stack.stop();
    expect(server.records()).toHaveLength(0);

    const originalTrigger = triggerSql(dbPath);
    expect(editRefusedByTrigger(dbPath, EDITED_SEQ)).toContain('E2202');
    expect(editLevelToVerySatisfied(dbPath, EDITED_SEQ)).toBe('1');
    expect(triggerSql(dbPath)).toBe(originalTrigger);

    const store = openStore({ path: dbPath, piiKey: PII_KEY });
    expect(store.chainStatus()).toMatchObject({ ok: false, code: 'E2201', brokenAt: EDITED_SEQ, lastSeq: 8 });
    expect(store.getRating(EDITED_SEQ)!.level).toBe('very_satisfied');
    store.close();

    server.faults.clear();
    const again = startStack(dbPath, config);
    cleanup.push(() => again.stop());
    expect(again.store.chainStatus().code).toBe('E2201'); // the next start reports it again
    await until('delivery', () => again.store.stats().delivered === 8, 10_000);
    const breaks = server.chainBreaks();
    expect(breaks).toContainEqual({ kind: 'hash', deviceId: config.deviceId, seq: EDITED_SEQ });
    expect(breaks.filter((b) => b.kind !== 'hash')).toEqual([]); // the following links still chain
    const edited = server.records().find((r) => r.record.seq === EDITED_SEQ)!.record;
    expect(edited.satisfaction).toBe('5'); // it arrived edited, and flagged by the chain check
  });

  it('When the real kiosk process starts on a data directory whose rating was edited, GET /v1/health says degraded, and its province reports the chain break', async () => {
    const dataDir = makeDataDir('hcp-tamper-kiosk-');
    let kiosk: KioskProcess | null = null;
    cleanup.push(
      () => fs.rmSync(dataDir, { recursive: true, force: true }),
      async () => kiosk?.stop(),
    );
    const paths = dataPaths(dataDir);
    // Control: the untouched kiosk is healthy.
    kiosk = await startKiosk(dataDir);
    expect((await linkCall(kiosk.info, 'GET', '/v1/health')).json).toMatchObject({ status: 'ok' });
    await kiosk.stop();
    kiosk = null;

    // Ratings committed on the kiosk's own store and key with its demo configuration, offline
    // (the province URL is a closed port), then one is edited.
    const secrets = loadOrCreateDemoSecrets(paths.demoSecrets);
    const config = demoConfig(secrets, 'http://127.0.0.1:9', '127.0.0.1:0');
    const stack = startStack(paths.database, config, loadOrCreateKeyFile(paths.piiKey));
    for (let i = 0; i < 8; i++) rateOne(stack, i);
    await stack.stop();
    editLevelToVerySatisfied(paths.database, EDITED_SEQ);

    kiosk = await startKiosk(dataDir);
    expect((await linkCall(kiosk.info, 'GET', '/v1/health')).json).toMatchObject({ status: 'degraded' });
    const ledger = new Ledger(paths.provinceSimDb);
    cleanup.push(() => ledger.close());
    await until('the demo province to receive the records', () => ledger.count() >= 8, 15_000);
    expect(ledger.chainBreaks()).toContainEqual({
      kind: 'hash',
      deviceId: config.deviceId,
      seq: EDITED_SEQ,
    });
    expect((await linkCall(kiosk.info, 'GET', '/v1/health')).json).toMatchObject({ status: 'degraded' });
  }, 60_000);
});
