/**
 * The real sync stack for integration tests and the drain bench: a provisioned KioskConfig pointing at a
 * loopback province test server, the real SQLite store (`openStore`) and the real wiring
 * (`startSyncServices`), and ratings made through the real commit path (`sync.commitRating`: service row →
 * `buildRecordDraft` → one store transaction → worker.notify()).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConfig, type KioskConfig } from '../../../src/config/schema.js';
import { silentLogger } from '../../../src/app/logger.js';
import { startSyncServices, type SyncServices } from '../../../src/app/sync-wiring.js';
import type { LevelKey } from '../../../src/shared/levels.js';
import { withoutPii } from '../../../src/shared/province-record.js';
import { openStore, type KioskStore, type ServiceRow } from '../../../src/store/index.js';
import { buildRecordDraft } from '../../../src/sync/province/national-template/record.js';
import { generateSm2KeyPair } from '../../../src/sync/province/sm2.js';
import { uuidv7 } from '../../../src/sync/uuidv7.js';
import { startProvinceServer, type ProvinceServer } from '../../../dev-tools/province-sim/server.js';

export const APP_MARK = 'hcp-integration-01';
export const APP_WORD = 'integration-appWord-5c1d9e';
export const PII_KEY = Buffer.alloc(32, 0x5a);
export const DEVICE_ID = 'HK-INT-0001';

export interface ProvinceKeys {
  publicKey: string;
  privateKey: string;
}

export const newProvinceKeys = (): ProvinceKeys => generateSm2KeyPair();

export function tempDir(prefix = 'hcp-sync-int-'): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(process.env.HCP_BENCH_DIR ?? os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A provisioned configuration (the same schema provisioning uses) pointing at `baseUrl`. */
export function integrationConfig(
  baseUrl: string,
  publicKey: string,
  province: { timeoutMs?: number; batchSize?: number } = {},
): KioskConfig {
  const token = (c: string) => c.repeat(43);
  const parsed = parseConfig({
    hall: { name: '海口市政务服务中心', code: 'HK01', areaCode: '460100000000' },
    department: { code: '11460100MB1234567X', name: '海口市行政审批服务局' },
    windowNo: 'A12',
    window: { defaultStaff: { staffId: 'S000', name: '窗口负责人' } },
    deviceId: DEVICE_ID,
    province: { baseUrl, appMark: APP_MARK, appWord: APP_WORD, publicKey, dataSource: '046', ...province },
    link: { listen: '127.0.0.1:0', linkToken: token('a'), adminToken: token('b') },
    ui: { qrUrlTemplate: 'https://hcp.example.invalid/rate?projectNo={projectNo}' },
  });
  if (!parsed.ok) throw new Error(`integration config invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.config;
}

export function startProvince(keys: ProvinceKeys, dbPath: string, port = 0): Promise<ProvinceServer> {
  return startProvinceServer({
    port,
    dbPath,
    privateKey: keys.privateKey,
    appMark: APP_MARK,
    appWord: APP_WORD,
  });
}

export interface Stack {
  store: KioskStore;
  sync: SyncServices;
  config: KioskConfig;
  stop(): Promise<void>;
}

/** openStore on `dbPath` + startSyncServices + the checkpoint timer, as core-factory does (minus link, devices, UI). */
export function startStack(dbPath: string, config: KioskConfig, piiKey: Buffer = PII_KEY): Stack {
  const store = openStore({ path: dbPath, piiKey });
  const sync = startSyncServices({
    config,
    store,
    now: Date.now,
    log: silentLogger,
    version: '0.0.0-test',
    piiKey,
  });
  // As core-factory: maintenance once now (it starts the checkpoint thread), then from a timer, never inside a
  // commit (openStore disables autocheckpoint).
  void store.maintain();
  const maintenanceTimer = setInterval(() => void store.maintain(), 5_000);
  maintenanceTimer.unref();
  return {
    store,
    sync,
    config,
    async stop() {
      clearInterval(maintenanceTimer);
      await sync.stop();
      store.close();
    },
  };
}

const LEVELS: LevelKey[] = ['very_satisfied', 'satisfied', 'basic', 'dissatisfied', 'very_dissatisfied'];
export const levelFor = (i: number): LevelKey => LEVELS[i % LEVELS.length]!;

let ticketCounter = 0;
const run = randomUUID().slice(0, 6);

/**
 * A completed service as the window system reports it (before the citizen presses). Ticket numbers are unique
 * per process run, so the fallback projectNo (`Q` + hall + day + ticket) never collides at the province.
 * Every fourth one is real-name.
 */
export function completeService(stack: Pick<Stack, 'store'>, i: number, at = Date.now()): ServiceRow {
  ticketCounter += 1;
  return stack.store.insertService({
    ticketNo: `T${run}${process.pid}x${ticketCounter}`,
    projectNo: null,
    serviceNumber: '1',
    node: 'completed',
    sessionId: randomUUID(),
    taskCode: '11460100MB1234567X4460117001000',
    taskName: '食品经营许可',
    completedAt: at - 30_000,
    openedAt: at - 20_000,
    staffId: 'S042',
    staffName: '王芳',
    citizen:
      i % 4 === 0
        ? // A number passing GB 11643 (the strict province test server rejects a wrong check digit: BAD_CERT).
          { certKey: '460100199001011230', userName: '张三', userProp: '1', certType: 'id-card' as const }
        : null,
  });
}

/** The citizen's press on a completed service, through the real commit path; returns the rating's seq. */
export function pressFor(
  stack: Pick<Stack, 'store' | 'sync'>,
  service: ServiceRow,
  i: number,
  at = Date.now(),
) {
  const level = levelFor(i);
  stack.sync.commitRating({
    sessionId: service.sessionId,
    serviceId: service.id,
    level,
    // Codes of hi-2026.1 for this level (521 is level 2 only, 531 level 1 only): else BAD_CODE.
    reasons: level === 'dissatisfied' ? ['501', '521'] : level === 'very_dissatisfied' ? ['501', '531'] : [],
    text: '',
    at,
    flags: [],
    catalogueVersion: 'hi-2026.1',
    source: 'pad',
  });
  return stack.store.lastLink().seq;
}

/** One completed service and its rating (completeService + pressFor). Returns the rating's seq. */
export function rateOne(stack: Pick<Stack, 'store' | 'sync'>, i: number, at = Date.now()): number {
  return pressFor(stack, completeService(stack, i, at), i, at);
}

/** Ledger view: how many times each ratingId is held, and the seqs held. */
export function ledgerSummary(server: Pick<ProvinceServer, 'records'>) {
  const counts = new Map<string, number>();
  const seqs: number[] = [];
  for (const { record } of server.records()) {
    counts.set(record.ratingId, (counts.get(record.ratingId) ?? 0) + 1);
    seqs.push(record.seq);
  }
  return { counts, seqs, total: seqs.length };
}

const rand = (n: number) => new Uint8Array(randomBytes(n));

/**
 * The fast path for a backlog: `n` ratings (mixed levels, every 4th real-name) committed straight through
 * `store.commitRating` with drafts from `buildRecordDraft`, each for its own service, without a worker.
 */
export function commitBacklog(store: KioskStore, config: KioskConfig, n: number): void {
  const tag = randomBytes(4).toString('hex');
  for (let i = 0; i < n; i++) {
    const level = levelFor(i);
    const bad = level === 'dissatisfied' || level === 'very_dissatisfied';
    const at = Date.now();
    const citizen =
      i % 4 === 0
        ? {
            certKey: '460100199001011230',
            userName: '张三',
            userProp: '1' as const,
            certType: 'id-card' as const,
          }
        : null;
    const projectNo = `BACKLOG${tag}${String(i).padStart(7, '0')}`;
    const service = store.insertService({
      ticketNo: `B${i}`,
      projectNo,
      serviceNumber: '1',
      node: 'completed',
      sessionId: randomUUID(),
      taskCode: '11460100MB1234567X4460117001000',
      taskName: '食品经营许可',
      completedAt: at - 60_000,
      openedAt: at - 50_000,
      staffId: 'S042',
      staffName: '王芳',
      citizen,
    });
    // As the kiosk does (src/app/sync-wiring.ts): the identity stays sealed in the service row.
    const draft = withoutPii(
      buildRecordDraft(
        {
          ratingId: uuidv7(at, rand),
          level,
          reasons: bad ? ['501'] : [],
          text: '',
          catalogueVersion: 'hi-2026.1',
          assessedAt: at,
          service: {
            ticketNo: `B${i}`,
            projectNo,
            taskCode: '11460100MB1234567X4460117001000',
            taskName: '食品经营许可',
            serviceNumber: '1',
            node: 'completed',
            completedAt: at - 60_000,
          },
          staff: { staffId: 'S042', name: '王芳' },
          citizen,
          flags: [],
          isDefault: false,
        },
        config,
      ),
    );
    store.commitRating({ serviceId: service.id, level, draft, source: 'backlog', sessionId: null, at });
  }
}
