/**
 * Wires the sync side (src/sync) to the real store: the national-template adapter, the outbox worker, the
 * catalogue service, the 7-day default job and the heartbeat. A rating becomes a province record and is
 * committed by the rating write path (src/rating-path/commit.ts), which live and default ratings share.
 */
import crypto from 'node:crypto';
import type { KioskConfig } from '../config/schema.js';
import type { KioskStore } from '../store/index.js';
import { createCatalogueService, readBuiltinCatalogue } from '../sync/catalogue.js';
import { startDefaultRatingJob } from '../sync/defaults.js';
import { createHeartbeat, isOnlineState } from '../sync/heartbeat.js';
import { startDeliveryThread } from '../sync/delivery/host.js';
import { createNationalTemplateAdapter } from '../sync/province/national-template/adapter.js';
import { fallbackProjectNo } from '../sync/province/national-template/record.js';
import { createRatingCommit } from '../rating-path/index.js';
import { assetPath } from './asset-paths.js';
import type { CatalogueSource } from './catalogue-source.js';
import type { Logger } from './logger.js';
import type { RatingToCommit } from './session-controller.js';

export interface SyncServices {
  catalogue: CatalogueSource;
  commitRating(rating: RatingToCommit): void;
  projectNoFor(service: { ticketNo: string; projectNo: string | null; completedAt: number }): string;
  online(): boolean;
  healthy(): boolean;
  syncNow(): void;
  resend(seq: number): boolean;
  diagnostics(): Record<string, unknown>;
  stop(): Promise<void>;
}

export interface SyncWiringOptions {
  config: KioskConfig;
  store: KioskStore;
  now: () => number;
  log: Logger;
  version: string;
  /** The store's PII key: the delivery thread reads and rebuilds records on its own connection. */
  piiKey: Buffer;
}

const randomBytes = (n: number) => new Uint8Array(crypto.randomBytes(n));

export function startSyncServices(options: SyncWiringOptions): SyncServices {
  const { config, store, now, log } = options;
  const p = config.province;
  const syncLog = (event: string, details: Record<string, unknown>) =>
    log({ level: 'info', msg: event, ...details });
  const province = {
    baseUrl: p.baseUrl,
    appMark: p.appMark,
    appWord: p.appWord,
    publicKey: p.publicKey,
    deviceId: config.deviceId,
    caBundle: p.caBundle,
    timeoutMs: p.timeoutMs,
  };
  // Delivery runs on its own thread (src/sync/delivery/): reading, encrypting and sending a batch never
  // delays a citizen's press → stored commit; only the batch's final marks are written here.
  const worker = startDeliveryThread({
    store,
    dbPath: store.path,
    piiKey: options.piiKey,
    province,
    batchSize: p.batchSize,
    piiRetentionDays: p.piiRetentionDays,
    now,
    log: syncLog,
  });
  // The catalogue and the heartbeat are a request every few minutes or hours: they run here, their SM2 on
  // the delivery thread.
  const adapter = createNationalTemplateAdapter({ ...province, now, encryptor: worker.encryptor });
  const builtinCatalogue = readBuiltinCatalogue(assetPath('default-catalogue.json'));
  const catalogue = createCatalogueService({
    adapter,
    port: store,
    builtin: builtinCatalogue,
    now,
    log: syncLog,
  });

  // The rating write path (src/rating-path/): live and default ratings get their record, clerk and identity
  // in one place.
  const ratings = createRatingCommit({
    store,
    config: () => config,
    randomBytes,
    catalogue: {
      builtin: builtinCatalogue,
      provinceVersion: () => (catalogue.status().source === 'builtin' ? null : catalogue.current().version),
    },
    onCommitted: () => worker.notify(),
  });

  const defaults = startDefaultRatingJob({
    port: store,
    mode: p.defaultRating,
    catalogueVersion: () => catalogue.current().version,
    commit: (rating, candidate) => ratings.commitDefault(rating, candidate),
    onCommitted: () => worker.notify(),
    now,
    log: syncLog,
  });
  const heartbeat = createHeartbeat({
    adapter,
    port: store,
    deviceId: config.deviceId,
    appVersion: options.version,
    isOnline: () => isOnlineState(worker.status().state),
    now,
    log: syncLog,
  });

  worker.start();
  catalogue.start();
  heartbeat.start();

  return {
    catalogue,
    commitRating: (rating) => ratings.commitCitizenRating(rating),
    projectNoFor: (service) =>
      service.projectNo ?? fallbackProjectNo(config.hall.code, service.completedAt, service.ticketNo),
    online: () => isOnlineState(worker.status().state),
    healthy: () => worker.status().state !== 'halted',
    syncNow: () => worker.syncNow(),
    resend(seq) {
      const ok = store.resend(seq, now());
      if (ok) worker.notify();
      return ok;
    },
    diagnostics: () => ({
      sync: worker.status(),
      outbox: store.stats(),
      piiErase: { pending: worker.erasing() },
      catalogue: catalogue.status(),
      heartbeat: heartbeat.status(),
    }),
    async stop() {
      defaults.stop();
      heartbeat.stop();
      catalogue.stop();
      await worker.stop();
      adapter.close();
    },
  };
}
