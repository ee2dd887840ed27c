/**
 * Technician diagnostics over the real window link (admin token): device state follows an unplug and a
 * replug of the simulated pad within 3 s, and the answer never carries a secret.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKioskCore, type RunningCore } from '../../src/app/core-factory.js';
import { silentLogger } from '../../src/app/logger.js';
import type { PadSimulator } from '../../drivers/sim/pad-sim.js';
import { makeDataDir } from '../support/kiosk-process.js';

interface Diagnostics {
  devices: Array<{ kind: string; state: string; counters: { reconnects: number } }>;
  config: { link: { linkToken: string } };
  codes: Array<{ code: string; readme: string }>;
}

describe('diagnostics', () => {
  let running: RunningCore;
  let dataDir: string;

  const diagnostics = async (): Promise<Diagnostics> => {
    const response = await fetch(new URL('/v1/diagnostics', running.link.url), {
      headers: { authorization: `Bearer ${running.config.link.adminToken}` },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Diagnostics;
  };
  const padState = async () => (await diagnostics()).devices.find((d) => d.kind === 'pad')?.state;
  const within = async (ms: number, wanted: string) => {
    const start = Date.now();
    while (Date.now() - start < ms) {
      if ((await padState()) === wanted) return Date.now() - start;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`pad not ${wanted} within ${ms} ms`);
  };

  beforeAll(async () => {
    dataDir = makeDataDir('hcp-diag-');
    running = await createKioskCore({ demo: true, dataDir, log: silentLogger });
    await within(5_000, 'connected');
  }, 30_000);

  afterAll(async () => {
    await running?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('an unplugged pad shows disconnected within 3 s, and connected again within 3 s of the replug', async () => {
    const pad = running.devices.simulators?.pad as PadSimulator;
    await pad.unplug();
    expect(await within(3_000, 'disconnected')).toBeLessThan(3_000);
    await pad.replug();
    expect(await within(3_000, 'connected')).toBeLessThan(3_000);
    expect(
      (await diagnostics()).devices.find((d) => d.kind === 'pad')?.counters.reconnects,
    ).toBeGreaterThanOrEqual(1);
  });

  it('a pad that goes silent without closing its port is declared lost by the missing PONGs and reopened', async () => {
    const pad = running.devices.simulators?.pad as PadSimulator;
    pad.stall(4_500);
    // 1 s PING, three missed PONGs: lost after 3–4 s of silence (rating-pad-rp1.md "Liveness").
    await within(5_000, 'disconnected');
    await within(6_000, 'connected');
  }, 15_000);

  it('carries no secret and links every error code it shows to the README', async () => {
    const body = await diagnostics();
    const text = JSON.stringify(body);
    for (const secret of [
      running.config.link.linkToken,
      running.config.link.adminToken,
      running.config.province.appWord,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(body.config.link.linkToken).toBe('set');
    for (const entry of body.codes) expect(entry.readme).toBe(`README.md#${entry.code.toLowerCase()}`);
    // The stall above left a pad error code (link lost or handshake failed) on the pad's entry.
    expect(body.codes.some((c) => c.code.startsWith('E4'))).toBe(true);
  });
});
