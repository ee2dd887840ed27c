/**
 * Helpers for the security tests (test/security): the real kiosk process in demo mode with known demo
 * secrets (so a province test server started here can read what it sends), a KioskApi client over the
 * browser host's WebSocket (what the renderer uses), read-only row counts of the kiosk's SQLite file, and
 * the window link's admin calls. Everything is on loopback.
 */
import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { sm2 } from 'sm-crypto-v2';
import WebSocket from 'ws';
import type { DemoSecrets } from '../../../src/app/demo.js';
import type { KioskView } from '../../../src/shared/kiosk-api.js';
import { makeDataDir, startKiosk, type DemoInfo, type KioskProcess } from '../kiosk-process.js';
import { startProvinceServer, type ProvinceServer } from '../../../dev-tools/province-sim/server.js';
import type { CatalogueState } from '../../../dev-tools/province-sim/endpoints.js';

import { until } from '../polling.js';

export { sleep, until } from '../polling.js';

/** Writes demo-secrets.json before the first start, so the test knows the province key pair. */
export function writeDemoSecrets(dataDir: string): DemoSecrets {
  const keys = sm2.generateKeyPairHex();
  const secrets: DemoSecrets = {
    linkToken: crypto.randomBytes(32).toString('base64url'),
    adminToken: crypto.randomBytes(32).toString('base64url'),
    appMark: 'demo-device',
    appWord: crypto.randomBytes(32).toString('base64url'),
    provincePublicKey: keys.publicKey,
    provincePrivateKey: keys.privateKey,
  };
  fs.writeFileSync(path.join(dataDir, 'demo-secrets.json'), JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/** A free loopback TCP port (listen on 0, close). */
/**
 * A loopback port held for a province test server that is not up yet: a listener that drops every
 * connection, so the kiosk sees the province unreachable and no other listener (the kiosk's own demo
 * province, its link or UI server, a parallel test's server, all on port 0) is handed the port meanwhile.
 * A port merely found free and released was at times given to the kiosk's demo province, which then took
 * the records meant to wait. `release()` right before the province listens; `hold()` again after it closed.
 */
export interface PortHold {
  port: number;
  release(): Promise<void>;
  hold(): Promise<void>;
}

export async function holdPort(): Promise<PortHold> {
  let server: net.Server | null = null;
  const listen = (port: number) =>
    new Promise<net.Server>((resolve, reject) => {
      const holder = net.createServer((socket) => socket.destroy());
      holder.once('error', reject);
      holder.listen(port, '127.0.0.1', () => resolve(holder));
    });
  server = await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    async release() {
      const held = server;
      server = null;
      if (held) await new Promise<void>((resolve) => held.close(() => resolve()));
    },
    async hold() {
      server ??= await listen(port);
    },
  };
}

/** The province test server speaking national-template/1 with the kiosk's demo secrets. */
export function startProvince(
  dataDir: string,
  secrets: DemoSecrets,
  options: { port?: number; tls?: { key: string; cert: string }; catalogue?: CatalogueState } = {},
): Promise<ProvinceServer> {
  return startProvinceServer({
    port: options.port ?? 0,
    dbPath: path.join(path.dirname(dataDir), `${path.basename(dataDir)}-province.sqlite`),
    privateKey: secrets.provincePrivateKey,
    appMark: secrets.appMark,
    appWord: secrets.appWord,
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.catalogue ? { catalogue: options.catalogue } : {}),
  });
}

export interface SecurityKiosk {
  kiosk: KioskProcess;
  info: DemoInfo;
  dataDir: string;
  secrets: DemoSecrets;
  /** Restarts the same data directory (same tokens), e.g. after tampering with the database. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the kiosk and removes its data directory (after the test has read what it needs). */
  dispose(): Promise<void>;
}

/**
 * Starts the real kiosk (src/app/cli.ts, browser host, demo mode) with `overrides` as --demo-config.
 * `before` runs after the secrets exist and before the first start (start a province server there).
 */
export async function startSecurityKiosk(
  overrides: Record<string, unknown> | ((secrets: DemoSecrets) => Record<string, unknown>),
  options: { prefix?: string; before?: (dataDir: string, secrets: DemoSecrets) => Promise<void> } = {},
): Promise<SecurityKiosk> {
  const dataDir = makeDataDir(options.prefix ?? 'hcp-sec-');
  const secrets = writeDemoSecrets(dataDir);
  await options.before?.(dataDir, secrets);
  const configFile = path.join(dataDir, 'demo-config.json');
  const resolved = typeof overrides === 'function' ? overrides(secrets) : overrides;
  fs.writeFileSync(configFile, JSON.stringify(resolved));
  const args = ['--demo-config', configFile];
  const handle: SecurityKiosk = {
    kiosk: await startKiosk(dataDir, args),
    info: undefined as unknown as DemoInfo,
    dataDir,
    secrets,
    async restart() {
      await handle.kiosk.stop();
      handle.kiosk = await startKiosk(dataDir, args);
      handle.info = handle.kiosk.info;
    },
    async stop() {
      await handle.kiosk.stop();
    },
    async dispose() {
      await handle.kiosk.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      // The province ledger lives beside the data dir (it holds PII in clear, which the PII scan must not see).
      for (const suffix of ['', '-wal', '-shm'])
        fs.rmSync(`${dataDir}-province.sqlite${suffix}`, { force: true });
    },
  };
  handle.info = handle.kiosk.info;
  return handle;
}

/** Row counts of every table a call could write to (read-only connection; the kiosk keeps running). */
export function tableCounts(dataDir: string): Record<string, number> {
  const db = new Database(path.join(dataDir, 'kiosk.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const tables = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{
        name: string;
      }>
    ).map((t) => t.name);
    return Object.fromEntries(
      tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]),
    );
  } finally {
    db.close();
  }
}

export function queryDb<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path.join(dataDir, 'kiosk.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** A window-link call from a chosen loopback source address (the throttle counts per address). */
export async function linkRequest(
  info: DemoInfo,
  method: 'GET' | 'POST' | 'HEAD',
  pathname: string,
  options: {
    token?: string | null;
    body?: string | Buffer;
    localAddress?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}> {
  const http = await import('node:http');
  const url = new URL(pathname, info.linkUrl);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        agent: false,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = null;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export async function adminGet(
  info: DemoInfo,
  pathname: string,
): Promise<{ status: number; json: unknown; text: string }> {
  const r = await linkRequest(info, 'GET', pathname, { token: info.adminToken });
  return { status: r.status, json: r.json, text: r.text };
}

export type WireAnswer = { result: unknown } | { error: { code: string; message: string } };

/** The KioskApi over the browser host's WebSocket, exactly as the renderer's api-client speaks it. */
export class ApiClient {
  private nextId = 1;
  private readonly pending = new Map<number, (answer: WireAnswer) => void>();
  readonly views: KioskView[] = [];
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as {
        id?: number;
        event?: string;
        data?: KioskView;
      } & WireAnswer;
      if (message.event === 'view' && message.data) this.views.push(message.data);
      else if (typeof message.id === 'number') {
        this.pending.get(message.id)?.(message);
        this.pending.delete(message.id);
      }
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const resolve of this.pending.values()) resolve({ error: { code: 'closed', message: 'closed' } });
      this.pending.clear();
    });
  }

  /** Opens the socket with the page's Origin and sends the per-start secret from the UI URL's fragment. */
  static async connect(
    uiUrl: string,
    options: { origin?: string; hello?: string | null } = {},
  ): Promise<ApiClient> {
    const url = new URL(uiUrl);
    const secret = new URLSearchParams(url.hash.slice(1)).get('s') ?? '';
    const socket = new WebSocket(`ws://${url.host}/api`, { origin: options.origin ?? url.origin });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
    });
    const client = new ApiClient(socket);
    const hello = options.hello === undefined ? secret : options.hello;
    if (hello !== null) socket.send(JSON.stringify({ hello }));
    if (hello === secret) await until('the first view', () => client.views.length > 0, 5_000);
    return client;
  }

  /** A raw frame (anything), answered or not. */
  sendRaw(data: string | Buffer, binary = false): void {
    this.socket.send(data, { binary });
  }

  call(method: unknown, params: unknown): Promise<WireAnswer> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async view(): Promise<KioskView> {
    const answer = await this.call('getView', []);
    if (!('result' in answer)) throw new Error(`getView failed: ${JSON.stringify(answer)}`);
    return answer.result as KioskView;
  }

  close(): void {
    this.socket.close();
  }
}

/** A view without the fields that move on their own (clock, version), for "unchanged" comparisons. */
export function stableView(view: KioskView): Omit<KioskView, 'now' | 'version'> {
  const { now: _now, version: _version, ...rest } = view;
  void _now;
  void _version;
  return rest;
}
