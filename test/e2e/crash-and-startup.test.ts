/**
 * Foundation acceptance: durability across SIGKILL, and start-up refusing a database it must not touch.
 */
import Database from 'better-sqlite3';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordHash } from '../../src/store/chain.js';
import type { ProvinceRecord } from '../../src/shared/province-record.js';
import { launchChromium } from '../support/chromium.js';
import { linkCall, makeDataDir, runKioskExpectingFailure, startKiosk } from '../support/kiosk-process.js';

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('durability and start-up safety', () => {
  let browser: Browser;
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = makeDataDir('hcp-crash-');
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('killing the kiosk with SIGKILL right after the thanks screen appears loses nothing: the rating, its outbox row and the chain are intact on restart', async () => {
    const dir = dataDir();
    const kiosk = await startKiosk(dir);
    const page = await browser.newPage();
    await page.goto(kiosk.info.uiUrl);
    await linkCall(kiosk.info, 'POST', '/v1/service/completed', { ticketNo: 'K001' });
    await page.locator('button[data-level="very_satisfied"]').click();
    await page.locator('main[data-screen="thanks"]').waitFor();
    await kiosk.kill();
    await page.close();

    const restarted = await startKiosk(dir);
    try {
      expect((await linkCall(restarted.info, 'GET', '/v1/services/K001')).json).toEqual({ state: 'rated' });
      const health = await linkCall(restarted.info, 'GET', '/v1/health', undefined, null);
      expect((health.json as { status: string }).status).toBe('ok');
    } finally {
      await restarted.stop();
    }
    const db = new Database(path.join(dir, 'kiosk.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare('SELECT seq, level, record_json, prev_hash, hash FROM ratings ORDER BY seq')
        .all() as Array<{
        seq: number;
        level: string;
        record_json: string;
        prev_hash: string;
        hash: string;
      }>;
      expect(rows.map((r) => [r.seq, r.level])).toEqual([[1, 'very_satisfied']]);
      expect(recordHash(rows[0]!.prev_hash, JSON.parse(rows[0]!.record_json) as ProvinceRecord)).toBe(
        rows[0]!.hash,
      );
      expect(db.prepare('SELECT seq FROM outbox').all()).toEqual([{ seq: 1 }]);
    } finally {
      db.close();
    }
  });

  it('a database written by a newer kiosk version stops start-up with E2101 and the file is left byte-identical', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'kiosk.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 999');
    db.exec('CREATE TABLE future (x)');
    db.close();
    const before = sha256(file);
    const result = await runKioskExpectingFailure(dir);
    expect(result.code).toBe(1);
    expect(result.output).toContain('E2101');
    expect(sha256(file)).toBe(before);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('a corrupted database file stops start-up with E2102 and the file is left byte-identical', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'kiosk.sqlite');
    // A real kiosk database, then a damaged page in the middle of it.
    const kiosk = await startKiosk(dir);
    await linkCall(kiosk.info, 'POST', '/v1/service/completed', { ticketNo: 'C001' });
    await kiosk.stop();
    const bytes = fs.readFileSync(file);
    bytes.fill(0xa5, 4096, 8192);
    fs.writeFileSync(file, bytes);
    const before = sha256(file);
    const result = await runKioskExpectingFailure(dir);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/E2102/);
    expect(sha256(file)).toBe(before);
  });

  it('a file that is not a database at all stops start-up with E2102 and is left as it was', async () => {
    const dir = dataDir();
    const file = path.join(dir, 'kiosk.sqlite');
    fs.writeFileSync(file, 'this is not a database, it is a shopping list\n'.repeat(200));
    const before = sha256(file);
    const result = await runKioskExpectingFailure(dir);
    expect(result.code).toBe(1);
    expect(result.output).toContain('E2102');
    expect(sha256(file)).toBe(before);
  });
});
