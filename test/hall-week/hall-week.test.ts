/**
 * The proof of issue 15: a simulated hall week. Eleven days at two windows (two real kiosk processes, two
 * data dirs, two windowNo) against ONE strict province test server, on a calendar run by libfaketime
 * (sim-clock.ts): provisioned on first boot from setup mode as a hall manager would, devices simulated over
 * real ptys, the screen driven over the browser host's WebSocket. Each morning a start, clerks signing in and
 * changing at noon, a pause, services of every kind, a power cut (SIGKILL, mid-session on some days), the
 * window closed at night and the kiosk stopped. Days 9–11 bring the defaults of days 1–3 (00:00 of D+8,
 * domain-rules §4); a last start a week after the last day brings the rest.
 *
 * At the end every service reported has exactly one record at the province (rated or default) or is an
 * abandoned count, with the right level, clerk, document code and no identity on a default; nothing
 * rejected, no duplicate, the chain intact. The plan and the expected ledger are pure (plan.ts,
 * expected-ledger.ts, tested by expected-ledger.test.ts); HALL_WEEK_SEED replays a week, HALL_WEEK_RATE
 * changes the clock's speed (default 5).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProvinceServer, type ProvinceServer } from '../../dev-tools/province-sim/server.js';
import { PadSimulator } from '../../drivers/sim/pad-sim.js';
import { ReaderSimulator } from '../../drivers/sim/reader-sim.js';
import { generateSm2KeyPair } from '../../src/sync/province/sm2.js';
import { until } from '../support/polling.js';
import { expectWeek, lastDueDay, type ExpectedWeek } from './expected-ledger.js';
import { provisionFirstBoot } from './kiosk-child.js';
import { makeHallPlan, type HallPlan } from './plan.js';
import { newHallKey, provisioningFile } from './provisioning-file.js';
import { reconcile, type DeviceTally, type ProvinceRecord } from './reconcile.js';
import { addDays, ScenarioClock, shanghaiInstant } from './sim-clock.js';
import { WindowDriver, type DriverContext, type Finding } from './window-driver.js';

const SEED = Number(process.env.HALL_WEEK_SEED ?? 20261201);
const RATE = Number(process.env.HALL_WEEK_RATE ?? 5);
/** Scenario seconds: the shortest the configuration allows (10 s), so a week of time-outs stays short. */
const SESSION = { timeoutSec: 10, reasonTimeoutSec: 10, responseIntervalSec: 1 };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('a simulated hall week', () => {
  const plan: HallPlan = makeHallPlan({ seed: SEED });
  const week: ExpectedWeek = expectWeek(plan);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hcp-hall-week-'));
  const clock = new ScenarioClock(shanghaiInstant(plan.firstDay, '07:30'), RATE);
  const findings: Finding[] = [];
  const drivers: WindowDriver[] = [];
  const sims: Array<{ stop(): Promise<void> }> = [];
  let province: ProvinceServer | null = null;

  beforeAll(async () => {
    console.log(
      `hall week: seed ${SEED} (HALL_WEEK_SEED=${SEED} replays it), clock x${RATE}, ${plan.days} days`,
    );
    const keys = generateSm2KeyPair();
    const appWord = randomBytes(16).toString('hex');
    province = await startProvinceServer({
      dbPath: path.join(root, 'province.sqlite'),
      privateKey: keys.privateKey,
      appMark: 'hk01-hall',
      appWord,
      now: () => clock.now(),
    });
    const hallKey = newHallKey();
    const ctx: DriverContext = {
      plan,
      week,
      clock,
      provinceRecords: () => province!.records().map((r) => r.record as unknown as ProvinceRecord),
      findings,
      session: SESSION,
    };
    // Both windows are provisioned at once, as two devices of one hall would be.
    await Promise.all(
      plan.windows.map(async (spec) => {
        const pad = new PadSimulator(
          { kind: 'pty', name: `pad-${spec.key}` },
          { serial: `SIM-PAD-${spec.key}` },
        );
        // Unpaced: the kiosk runs 5× fast, so a text reply paced at 115200 baud (113 ms of wire time) would
        // take 565 ms of kiosk time and trip its reply timeouts (E5008); the week is not about UART timing.
        // (`baudRate: undefined` overrides the simulator's 115200 pacing; the pty itself stays at 115200.)
        const reader = new ReaderSimulator({ kind: 'pty', name: `reader-${spec.key}`, baudRate: undefined });
        sims.push(pad, reader); // before starting: afterAll stops what a failed start left running
        await Promise.all([pad.start(), reader.start()]);
        const dataDir = path.join(root, spec.windowNo);
        fs.mkdirSync(dataDir, { mode: 0o700 });
        const linkPort = await freePort();
        const file = provisioningFile({
          window: spec,
          province: { baseUrl: province!.url, appMark: 'hk01-hall', appWord, publicKey: keys.publicKey },
          linkPort,
          padPath: pad.kioskPath,
          readerPath: reader.kioskPath,
          hallKey,
          session: SESSION,
        });
        const boot = await provisionFirstBoot(dataDir, clock, linkPort, file.document);
        expect(
          boot.status,
          `provisioning ${spec.windowNo}: ${JSON.stringify(boot.body)}\n${boot.output.slice(-3000)}`,
        ).toBe(200);
        drivers.push(
          new WindowDriver(
            { spec, dataDir, pad, reader, linkToken: file.linkToken, adminToken: file.adminToken },
            ctx,
          ),
        );
      }),
    );
    drivers.sort((a, b) => a.rig.spec.key.localeCompare(b.rig.spec.key));
  }, 180_000);

  afterAll(async () => {
    for (const d of drivers) await d.kiosk?.kill();
    for (const s of sims) await s.stop();
    await province?.close();
    // HALL_WEEK_KEEP=1 keeps the data dirs (kiosk logs, databases, the province ledger) for a look afterwards.
    if (process.env.HALL_WEEK_KEEP === '1') console.log(`hall week files kept in ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  });

  it('ends with exactly one correct record or an abandoned count for every service, none rejected or duplicated, the chain intact', async () => {
    const server = province!;
    for (let day = 1; day <= plan.days; day += 1) {
      const morning = shanghaiInstant(addDays(plan.firstDay, day - 1), '08:00');
      if (morning > clock.now()) clock.jumpTo(morning);
      const began = performance.now();
      await Promise.all(drivers.map((d) => d.runDay(day)));
      console.log(
        `day ${day}: ${Math.round(performance.now() - began)} ms, ${findings.length} findings so far`,
      );
    }

    // A week after the last day every default is due: one more start brings them, and a heartbeat.
    const finalDay = Math.max(lastDueDay(week), plan.days + 1);
    clock.jumpTo(shanghaiInstant(addDays(plan.firstDay, finalDay - 1), '08:00'));
    const heartbeatsBefore = server.stats.heartbeats.length;
    const tallies: Record<string, DeviceTally> = {};
    await Promise.all(
      drivers.map(async (d) => {
        await d.boot();
        await d.drained();
        const diagnostics = await d.link!.diagnostics();
        // The kiosk's own count of abandoned 差评, day by day (GET /v1/ratings/summary, what its heartbeat
        // reports as abandonedBad), against the plan's.
        let abandoned = 0;
        for (let day = 1; day <= plan.days; day += 1) {
          const date = addDays(plan.firstDay, day - 1);
          const summary = await d.link!.call(
            'GET',
            `/v1/ratings/summary?date=${date}`,
            undefined,
            d.rig.adminToken,
          );
          const counted = Number((summary.json as { abandonedBad?: unknown } | null)?.abandonedBad ?? NaN);
          const expected = week.services.filter(
            (e) => e.deviceId === d.deviceId && e.service.day === day && e.outcome === 'abandoned',
          ).length;
          if (counted !== expected)
            findings.push({
              window: d.rig.spec.windowNo,
              day,
              item: null,
              message: `abandonedBad ${counted}, expected ${expected}`,
            });
          abandoned += Number.isFinite(counted) ? counted : 0;
        }
        // A heartbeat, when one comes at this start (it goes only while the outbox is online), says the same.
        const heartbeat = await until(
          `a heartbeat from ${d.deviceId}`,
          () => server.stats.heartbeats.slice(heartbeatsBefore).find((h) => h.deviceId === d.deviceId),
          5_000,
        ).catch(() => null);
        if (heartbeat && heartbeat.abandonedBad !== week.abandoned[d.deviceId])
          findings.push({
            window: d.rig.spec.windowNo,
            day: finalDay,
            item: null,
            message: `heartbeat abandonedBad ${heartbeat.abandonedBad}`,
          });
        const outbox = diagnostics.outbox as { deadLetters?: unknown[] } | undefined;
        const chain = diagnostics.chain as { ok?: boolean; lastSeq?: number } | undefined;
        const atProvince = server.records().filter((r) => r.record.deviceId === d.deviceId).length;
        const rejectedAtProvince = server.rejections().filter((r) => r.deviceId === d.deviceId).length;
        tallies[d.deviceId] = {
          abandonedReported: abandoned,
          rejected: Math.max(outbox?.deadLetters?.length ?? 0, rejectedAtProvince),
          duplicates: Math.max(0, (chain?.lastSeq ?? 0) - atProvince - (outbox?.deadLetters?.length ?? 0)),
          chainBreaks:
            server.chainBreaks().filter((b) => b.deviceId === d.deviceId).length +
            (chain?.ok === false ? 1 : 0),
        };
        await d.stop();
      }),
    );

    const records = server.records().map((r) => r.record as unknown as ProvinceRecord);
    const windowOf = Object.fromEntries(plan.windows.map((w) => [w.deviceId, w.windowNo]));
    const result = reconcile(week, records, tallies, windowOf);
    console.log(`\nhall week (seed ${SEED}):\n\n${result.table}\n`);
    const rejections = server.rejections();
    const lines = [
      ...findings.map((f) => `[item ${f.item ?? '?'}] ${f.window} day ${f.day}: ${f.message}`),
      ...result.problems.map((p) => `[item ${p.item ?? '?'}] ${p.kind} ${p.subject}: ${p.detail}`),
      ...rejections
        .slice(0, 40)
        .map((r) => `[rejected] ${r.kind} ${r.deviceId ?? ''} ${r.code} ${r.field ?? ''}: ${r.message}`),
    ];
    if (lines.length > 0) console.log(lines.join('\n'));
    expect(lines).toEqual([]);
    expect(Object.values(tallies)).toEqual(
      plan.windows.map(() => ({
        abandonedReported: expect.any(Number),
        rejected: 0,
        duplicates: 0,
        chainBreaks: 0,
      })),
    );
  }, 600_000);
});
