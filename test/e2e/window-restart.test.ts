/**
 * The window across restarts (domain-rules §11 ⟨r2⟩) and sessions open at a power cut (§2 ⟨r2⟩), with the
 * real kiosk process killed by SIGKILL (a power cut, as far as the process can tell) and started again.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KioskView } from '../../src/shared/kiosk-api.js';
import { linkCall, makeDataDir, startKiosk, type KioskProcess } from '../support/kiosk-process.js';
import { openSocket, secretOf } from '../host-browser/ws-helpers.js';
import { until } from '../support/polling.js';

const FAKETIME_LIB = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

/** The view the kiosk's own page would get first, read over the browser host's WebSocket. */
async function currentView(kiosk: KioskProcess): Promise<KioskView> {
  const url = new URL(kiosk.info.uiUrl);
  const conversation = await openSocket(Number(url.port), url.origin);
  try {
    conversation.ws.send(JSON.stringify({ hello: secretOf(kiosk.info.uiUrl) }));
    for (;;) {
      const message = await conversation.next();
      if ('event' in message) return message.data;
    }
  } finally {
    conversation.ws.close();
  }
}

/** Starts a kiosk whose clock runs `offset` ahead (libfaketime), only for that child process. */
function startKioskAhead(dataDir: string, offset: string): Promise<KioskProcess> {
  const saved = { LD_PRELOAD: process.env.LD_PRELOAD, FAKETIME: process.env.FAKETIME };
  process.env.LD_PRELOAD = FAKETIME_LIB;
  process.env.FAKETIME = offset;
  try {
    // startKiosk spawns before its first await, so the child takes these and this process keeps its own.
    return startKiosk(dataDir);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

describe('the window across a power cut', () => {
  const dirs: string[] = [];
  const running: KioskProcess[] = [];
  const dataDir = () => {
    const dir = makeDataDir('hcp-window-');
    dirs.push(dir);
    return dir;
  };
  const start = async (dir: string) => {
    const kiosk = await startKiosk(dir);
    running.push(kiosk);
    return kiosk;
  };

  afterAll(async () => {
    for (const kiosk of running) if (kiosk.child.exitCode === null) await kiosk.kill();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('after a SIGKILL the restarted kiosk shows the same signed-in clerk, the pause with its message and the called ticket', async () => {
    const dir = dataDir();
    const kiosk = await start(dir);
    expect(
      (
        await linkCall(kiosk.info, 'POST', '/v1/staff/signin', {
          staffId: '0815',
          name: '王小明',
          title: '综合窗口',
        })
      ).status,
    ).toBeLessThan(300);
    expect(
      (await linkCall(kiosk.info, 'POST', '/v1/service/called', { ticketNo: 'A007' })).status,
    ).toBeLessThan(300);
    expect(
      (
        await linkCall(kiosk.info, 'POST', '/v1/window/status', {
          status: 'paused',
          message: '午休，13:30 恢复',
        })
      ).status,
    ).toBeLessThan(300);
    await kiosk.kill();

    const restarted = await start(dir);
    const view = await currentView(restarted);
    expect(view.clerk).toMatchObject({ staffId: '0815', name: '王小明', title: '综合窗口' });
    expect(view.screen).toBe('paused');
    expect(view.pauseMessage).toBe('午休，13:30 恢复');
    expect(view.calledTicket).toBe('A007');

    // Signing out and reopening are kept the same way.
    await linkCall(restarted.info, 'POST', '/v1/staff/signout', {});
    await linkCall(restarted.info, 'POST', '/v1/window/status', { status: 'open' });
    await restarted.kill();
    const again = await start(dir);
    const reopened = await currentView(again);
    expect(reopened.clerk).toBeNull();
    expect(reopened.pauseMessage).toBeNull();
    expect(reopened.screen).not.toBe('paused');
    await again.stop();
  });

  it('a window closed before a power cut is still closed after it: the screen shows it closed and no session opens', async () => {
    const dir = dataDir();
    const kiosk = await start(dir);
    await linkCall(kiosk.info, 'POST', '/v1/window/status', { status: 'closed' });
    await kiosk.kill();

    const restarted = await start(dir);
    expect((await currentView(restarted)).screen).toBe('closed');
    const completed = await linkCall(restarted.info, 'POST', '/v1/service/completed', { ticketNo: 'C001' });
    expect(completed.status).toBe(409);
    await restarted.stop();
  });

  it('a session open when the kiosk is killed is unrated after the restart, and gets its default rating after D+8', async () => {
    const dir = dataDir();
    const kiosk = await start(dir);
    expect((await linkCall(kiosk.info, 'POST', '/v1/service/completed', { ticketNo: 'P001' })).status).toBe(
      202,
    );
    expect((await linkCall(kiosk.info, 'GET', '/v1/services/P001')).json).toEqual({ state: 'awaiting' });
    await kiosk.kill();

    const restarted = await start(dir);
    expect((await linkCall(restarted.info, 'GET', '/v1/services/P001')).json).toEqual({ state: 'unrated' });
    await restarted.stop();

    const file = path.join(dir, 'kiosk.sqlite');
    const db = new Database(file, { readonly: true });
    try {
      expect(
        db
          .prepare(
            `SELECT outcome, closed_at = opened_at AS atOpenTime FROM services WHERE ticket_no = 'P001'`,
          )
          .get(),
      ).toEqual({ outcome: 'unrated', atOpenTime: 1 });
      expect(db.prepare('SELECT count(*) AS n FROM ratings').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }

    // Nine days later (00:00 of D+8 has passed): the default job, which runs at start, rates it `basic`.
    const kioskLater = await startKioskAhead(dir, '+9d');
    running.push(kioskLater);
    const defaults = await until('the default rating of P001', () => {
      const reader = new Database(file, { readonly: true });
      try {
        const rows = reader
          .prepare(
            `SELECT r.level, r.is_default AS isDefault FROM ratings r JOIN services s ON s.id = r.service_id
             WHERE s.ticket_no = 'P001'`,
          )
          .all() as Array<{ level: string; isDefault: number }>;
        return rows.length > 0 ? rows : null;
      } finally {
        reader.close();
      }
    });
    expect(defaults).toEqual([{ level: 'basic', isDefault: 1 }]);
    await kioskLater.stop();
  });
});
