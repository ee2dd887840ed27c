/**
 * Foundation acceptance: bad input over the real window link of the real kiosk gets the documented status
 * and code (window-link.md), and nothing is stored — checked in the SQLite file itself.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkCall, makeDataDir, startKiosk, type KioskProcess } from '../support/kiosk-process.js';

type Case = {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  token?: 'link' | 'admin' | 'wrong' | 'none';
  status: number;
  error: string;
  field?: string;
};

const BIG = 'x'.repeat(300 * 1024);

const CASES: Case[] = [
  {
    name: 'completed without a ticket',
    method: 'POST',
    path: '/v1/service/completed',
    body: {},
    status: 400,
    error: 'invalid-body',
    field: 'ticketNo',
  },
  {
    name: 'completed with a numeric ticket',
    method: 'POST',
    path: '/v1/service/completed',
    body: { ticketNo: 23 },
    status: 400,
    error: 'invalid-body',
    field: 'ticketNo',
  },
  {
    name: 'completed with an oversize ticket',
    method: 'POST',
    path: '/v1/service/completed',
    body: { ticketNo: 'A'.repeat(200) },
    status: 400,
    error: 'invalid-body',
    field: 'ticketNo',
  },
  {
    name: 'completed with a time without offset',
    method: 'POST',
    path: '/v1/service/completed',
    body: { ticketNo: 'A1', completedAt: '2026-11-26T09:00:00' },
    status: 400,
    error: 'invalid-body',
    field: 'completedAt',
  },
  {
    name: 'completed with a bad ID number',
    method: 'POST',
    path: '/v1/service/completed',
    body: {
      ticketNo: 'A1',
      citizen: { certType: 'id-card', certKey: '460100199001011231', userName: '测试' },
    },
    status: 400,
    error: 'invalid-body',
    field: 'citizen.certKey',
  },
  {
    name: 'completed with an oversize body',
    method: 'POST',
    path: '/v1/service/completed',
    body: { ticketNo: 'A1', taskName: BIG },
    status: 413,
    error: 'body-too-large',
  },
  {
    name: 'completed that is not JSON',
    method: 'POST',
    path: '/v1/service/completed',
    body: '{"ticketNo":',
    status: 400,
    error: 'invalid-json',
  },
  {
    name: 'completed with a wrong token',
    method: 'POST',
    path: '/v1/service/completed',
    body: { ticketNo: 'A1' },
    token: 'wrong',
    status: 401,
    error: 'unauthorized',
  },
  {
    name: 'completed with the admin token',
    method: 'POST',
    path: '/v1/service/completed',
    body: { ticketNo: 'A1' },
    token: 'admin',
    status: 401,
    error: 'unauthorized',
  },
  {
    name: 'completed with no token',
    method: 'POST',
    path: '/v1/service/completed',
    body: { ticketNo: 'A1' },
    token: 'none',
    status: 401,
    error: 'unauthorized',
  },
  {
    name: 'signin without a name',
    method: 'POST',
    path: '/v1/staff/signin',
    body: { staffId: '1' },
    status: 400,
    error: 'invalid-body',
    field: 'name',
  },
  {
    name: 'signin with a photo that is not an image',
    method: 'POST',
    path: '/v1/staff/signin',
    body: { staffId: '1', name: 'A', photo: 'data:text/html;base64,PHNjcmlwdD4=' },
    status: 400,
    error: 'invalid-body',
    field: 'photo',
  },
  {
    name: 'window status that is not one of the three',
    method: 'POST',
    path: '/v1/window/status',
    body: { status: 'lunch' },
    status: 400,
    error: 'invalid-body',
    field: 'status',
  },
  {
    name: 'called with an array ticket',
    method: 'POST',
    path: '/v1/service/called',
    body: { ticketNo: ['A1'] },
    status: 400,
    error: 'invalid-body',
    field: 'ticketNo',
  },
  {
    name: 'summary with a bad date',
    method: 'GET',
    path: '/v1/ratings/summary?date=2026-13-40',
    token: 'admin',
    status: 400,
    error: 'invalid-body',
    field: 'date',
  },
  {
    name: 'diagnostics with the link token',
    method: 'GET',
    path: '/v1/diagnostics',
    token: 'link',
    status: 401,
    error: 'unauthorized',
  },
  {
    name: 'sync now with no token',
    method: 'POST',
    path: '/v1/sync/now',
    body: {},
    token: 'none',
    status: 401,
    error: 'unauthorized',
  },
];

function counts(dataDir: string): Record<string, number> {
  const db = new Database(path.join(dataDir, 'kiosk.sqlite'), { readonly: true });
  try {
    const out: Record<string, number> = {};
    for (const table of ['services', 'ratings', 'outbox', 'suppressed_presses', 'abandoned', 'audit']) {
      out[table] = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    }
    return out;
  } finally {
    db.close();
  }
}

describe('window link bad input on the real kiosk', () => {
  let kiosk: KioskProcess;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = makeDataDir('hcp-badinput-');
    kiosk = await startKiosk(dataDir);
  }, 60_000);

  afterAll(async () => {
    await kiosk?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(CASES)('$name → $status $error, and nothing is stored', async (c) => {
    const before = counts(dataDir);
    const token = {
      link: kiosk.info.linkToken,
      admin: kiosk.info.adminToken,
      wrong: 'A'.repeat(43),
      none: null,
    }[c.token ?? 'link'];
    const answer = await linkCall(kiosk.info, c.method, c.path, c.body, token);
    expect(answer.status).toBe(c.status);
    expect((answer.json as { error: string }).error).toBe(c.error);
    if (c.field) expect((answer.json as { field: string }).field).toBe(c.field);
    expect(counts(dataDir)).toEqual(before);
  });

  it('after all the bad calls a good one still opens a session: nothing was left half-done', async () => {
    const good = await linkCall(kiosk.info, 'POST', '/v1/service/completed', { ticketNo: 'OK1' });
    expect(good.status).toBe(202);
    expect(counts(dataDir).services).toBe(1);
  });
});
