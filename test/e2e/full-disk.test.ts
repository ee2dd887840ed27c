/**
 * A failed rating commit is never lost without a trace (issue 15 item 7), proven on a real full disk and a
 * real read-only file system: the kiosk's data dir is on a small loop-mounted ext4 of its own. Full: the
 * press answers E7050 (never SQLITE_FULL), the session stays open, the kiosk stays up, and the same citizen's
 * next press is stored once space is freed. Read-only (the file system remounts itself read-only on an error,
 * as a failing eMMC does): the same answer, and nothing stored before is lost.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult, KioskView, WireMessage } from '../../src/shared/kiosk-api.js';
import type { ProvinceRecord } from '../../src/shared/province-record.js';
import { recordHash } from '../../src/store/chain.js';
import { linkCall, startKiosk, type KioskProcess } from '../support/kiosk-process.js';
import { openSocket, secretOf, type Conversation } from '../host-browser/ws-helpers.js';
import { until } from '../support/polling.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-disk-'));
const image = path.join(root, 'disk.img');
const mountPoint = path.join(root, 'mnt');

/** Mounts a fresh 48 MiB ext4 that turns itself read-only on an error; null when mounting is not permitted. */
function mountSmallDisk(): string | null {
  fs.mkdirSync(mountPoint);
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${image}`, 'bs=1M', 'count=48', 'status=none']);
    execFileSync('mkfs.ext4', ['-q', '-F', image]);
    execFileSync('mount', ['-o', 'loop,errors=remount-ro', image, mountPoint]);
    return null;
  } catch (error) {
    return `cannot loop-mount a file system here (${(error as Error).message.split('\n')[0]})`;
  }
}

function unmount(): void {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      execFileSync('umount', [mountPoint], { stdio: 'ignore' });
      return;
    } catch {
      execFileSync('sleep', ['0.25']);
    }
  }
}

const skipReason = process.getuid?.() === 0 ? mountSmallDisk() : 'needs root to loop-mount a file system';
if (skipReason) console.warn(`full-disk tests skipped: ${skipReason}`);

/** The kiosk page's side of the browser host: the same WebSocket calls the renderer makes. */
class Page {
  private nextId = 1;
  private constructor(
    private readonly conversation: Conversation,
    public view: KioskView,
  ) {}

  static async open(kiosk: KioskProcess): Promise<Page> {
    const url = new URL(kiosk.info.uiUrl);
    const conversation = await openSocket(Number(url.port), url.origin);
    conversation.ws.send(JSON.stringify({ hello: secretOf(kiosk.info.uiUrl) }));
    const first = await conversation.next();
    if (!('event' in first)) throw new Error('no view');
    return new Page(conversation, first.data);
  }

  async call(method: string, ...params: unknown[]): Promise<unknown> {
    const id = this.nextId++;
    this.conversation.ws.send(JSON.stringify({ id, method, params }));
    for (;;) {
      const message: WireMessage = await this.conversation.next();
      if ('event' in message) this.view = message.data;
      else if (message.id === id) {
        if ('error' in message) throw new Error(`${message.error.code} ${message.error.message}`);
        return message.result;
      }
    }
  }

  /** Waits for views until one passes `ok` (the core pushes one after every change). */
  async viewWhere(ok: (view: KioskView) => boolean): Promise<KioskView> {
    while (!ok(this.view)) {
      const message = await this.conversation.next();
      if ('event' in message) this.view = message.data;
    }
    return this.view;
  }

  close(): void {
    this.conversation.ws.close();
  }
}

/** Writes a filler file until the disk refuses (ENOSPC); answers its path. */
function fillDisk(): string {
  const filler = path.join(mountPoint, 'filler');
  const fd = fs.openSync(filler, 'w');
  const chunk = Buffer.alloc(256 * 1024, 0x5a);
  const small = Buffer.alloc(4096, 0x5a);
  try {
    for (const buffer of [chunk, small]) {
      for (;;) {
        try {
          fs.writeSync(fd, buffer);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
    fs.fsyncSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    fs.closeSync(fd);
  }
  return filler;
}

/** Empties the WAL into the database file and truncates it, so the next commit has to allocate blocks. */
function truncateWal(file: string): void {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

function storedRatings(file: string): Array<{ ticket: string; level: string; intact: boolean }> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT s.ticket_no AS ticket, r.level, r.record_json, r.prev_hash, r.hash
         FROM ratings r JOIN services s ON s.id = r.service_id ORDER BY r.seq`,
      )
      .all() as Array<{
      ticket: string;
      level: string;
      record_json: string;
      prev_hash: string;
      hash: string;
    }>;
    return rows.map((r) => ({
      ticket: r.ticket,
      level: r.level,
      intact: recordHash(r.prev_hash, JSON.parse(r.record_json) as ProvinceRecord) === r.hash,
    }));
  } finally {
    db.close();
  }
}

async function openService(kiosk: KioskProcess, ticketNo: string): Promise<string> {
  const answer = await linkCall(kiosk.info, 'POST', '/v1/service/completed', { ticketNo });
  expect(answer.status).toBe(202);
  return (answer.json as { sessionId: string }).sessionId;
}

describe.skipIf(skipReason !== null)('ratings on a full disk and a read-only file system', () => {
  const dataDir = path.join(mountPoint, 'kiosk');
  const database = path.join(dataDir, 'kiosk.sqlite');
  const kiosks: KioskProcess[] = [];
  let overrides: string;

  beforeAll(() => {
    // Two presses a few seconds apart must both count (the response interval is the abuse rule's business).
    overrides = path.join(root, 'overrides.json');
    fs.writeFileSync(overrides, JSON.stringify({ session: { responseIntervalSec: 0, timeoutSec: 120 } }));
  });

  afterAll(async () => {
    for (const kiosk of kiosks) if (kiosk.child.exitCode === null) await kiosk.kill();
    if (!skipReason) unmount();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const start = async () => {
    const kiosk = await startKiosk(dataDir, ['--demo-config', overrides]);
    kiosks.push(kiosk);
    return kiosk;
  };

  it('on a full disk a press answers E7050 and is shown to the citizen, the session stays open, the kiosk stays up, and the next press after space is freed is stored', async () => {
    const kiosk = await start();
    const page = await Page.open(kiosk);
    const first = await openService(kiosk, 'F001');
    expect(await page.call('rate', first, 'satisfied')).toEqual({ ok: true });

    const second = await openService(kiosk, 'F002');
    await page.viewWhere((v) => v.session?.sessionId === second);
    truncateWal(database);
    const filler = fillDisk();

    const refused = (await page.call('rate', second, 'very_satisfied')) as ActionResult;
    expect(refused).toMatchObject({ ok: false, code: 'E7050' });
    const shown = await page.viewWhere((v) => (v.saveFailed ?? null) !== null);
    expect(shown.saveFailed).toEqual({ code: 'E7050' });
    expect(shown.screen).toBe('rate');
    expect(shown.session?.sessionId).toBe(second);
    // Up and answering (its log lines meanwhile hit ENOSPC too), and the clerk side still sees the session.
    expect((await linkCall(kiosk.info, 'GET', '/v1/health', undefined, null)).status).toBe(200);
    expect((await linkCall(kiosk.info, 'GET', '/v1/services/F002')).json).toEqual({ state: 'awaiting' });
    const diagnostics = await linkCall(
      kiosk.info,
      'GET',
      '/v1/diagnostics',
      undefined,
      kiosk.info.adminToken,
    );
    expect(diagnostics.json).toMatchObject({ failures: { ratingCommits: 1 } });
    expect(kiosk.child.exitCode).toBeNull();

    fs.rmSync(filler);
    expect(await page.call('rate', second, 'very_satisfied')).toEqual({ ok: true });
    await page.viewWhere((v) => v.screen === 'thanks');
    expect((await linkCall(kiosk.info, 'GET', '/v1/services/F002')).json).toEqual({ state: 'rated' });
    page.close();
    await kiosk.stop();

    expect(storedRatings(database)).toEqual([
      { ticket: 'F001', level: 'satisfied', intact: true },
      { ticket: 'F002', level: 'very_satisfied', intact: true },
    ]);
    const db = new Database(database, { readonly: true });
    try {
      // The failed press was not stored as anything else (before: a no-session press on the retry).
      expect(db.prepare('SELECT count(*) AS n FROM suppressed_presses').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });

  it('when the file system turns read-only a press answers E7050, the kiosk stays up, and every rating stored before is still there', async () => {
    const kiosk = await start();
    const page = await Page.open(kiosk);
    const session = await openService(kiosk, 'R001');
    await page.viewWhere((v) => v.session?.sessionId === session);

    // What the kernel does when the storage fails: ext4 (errors=remount-ro) goes read-only at once.
    const device = path.basename(
      execFileSync('findmnt', ['-n', '-o', 'SOURCE', mountPoint]).toString().trim(),
    );
    fs.writeFileSync(`/sys/fs/ext4/${device}/trigger_fs_error`, '1');
    expect(() => fs.writeFileSync(path.join(mountPoint, 'probe'), 'x')).toThrow(/EROFS|read-only/i);

    const refused = (await page.call('rate', session, 'basic')) as ActionResult;
    expect(refused).toMatchObject({ ok: false, code: 'E7050' });
    expect((await page.viewWhere((v) => (v.saveFailed ?? null) !== null)).session?.sessionId).toBe(session);
    expect((await linkCall(kiosk.info, 'GET', '/v1/health', undefined, null)).status).toBe(200);
    expect(kiosk.child.exitCode).toBeNull();
    page.close();
    await kiosk.kill();

    // The disk comes back (remounted after the repair): everything stored before is there and intact.
    unmount();
    execFileSync('mount', ['-o', 'loop,errors=remount-ro', image, mountPoint]);
    expect(storedRatings(database)).toEqual([
      { ticket: 'F001', level: 'satisfied', intact: true },
      { ticket: 'F002', level: 'very_satisfied', intact: true },
    ]);
    const restarted = await start();
    await until('R001 closed as unrated at start', async () => {
      const answer = await linkCall(restarted.info, 'GET', '/v1/services/R001');
      return (answer.json as { state?: string }).state === 'unrated';
    });
    await restarted.stop();
  });
});
