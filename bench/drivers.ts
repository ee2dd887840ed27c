/**
 * Driver figures: parser throughput per codec (MB/s, and as a multiple of a 115200-baud line, 11.52 KB/s),
 * pad RATING written to a pty → driver `rating` event latency (p50/p99, target ≤ 5 ms), and the ID read
 * cycle on the simulator over a pty paced at 115200 baud vs the ~113 ms wire floor of the 1295-byte reply.
 * Run alone: `npx tsx bench/drivers.ts`.
 */
import { ReaderDriver } from '../drivers/idcard/reader-driver.js';
import { createSamParser, encodeReply, encodeRequest } from '../drivers/idcard/sam-codec.js';
import { PadDriver } from '../drivers/pad/pad-driver.js';
import { createRp1Parser, encodeFrame } from '../drivers/pad/rp1-codec.js';
import { encodeMessage } from '../drivers/pad/rp1-messages.js';
import { MAINLAND } from '../drivers/sim/identities.js';
import { PadSimulator } from '../drivers/sim/pad-sim.js';
import { ReaderSimulator } from '../drivers/sim/reader-sim.js';
import { encodeReadTextData } from '../drivers/sim/text-block-encode.js';
import { SerialTransport } from '../drivers/transport/serial.js';
import { percentile, type BenchRow } from './types.js';

export type BenchFigure = BenchRow;

const LINE_BYTES_PER_S = 115200 / 10; // 8N1
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

function throughput(
  name: string,
  stream: Uint8Array,
  make: (onFrame: () => void) => { push(b: Uint8Array): void },
): BenchFigure[] {
  let frames = 0;
  const parser = make(() => (frames += 1));
  const chunk = 4096;
  const rounds = 5;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r += 1) {
    for (let o = 0; o < stream.length; o += chunk) parser.push(stream.subarray(o, o + chunk));
  }
  const seconds = (performance.now() - t0) / 1000;
  const bytesPerS = (stream.length * rounds) / seconds;
  if (frames === 0) throw new Error(`${name}: no frames parsed`);
  return [
    { name: `${name} parser throughput`, value: round(bytesPerS / 1e6), unit: 'MB/s' },
    {
      name: `${name} parser throughput vs 115200-baud line`,
      value: Math.round(bytesPerS / LINE_BYTES_PER_S),
      unit: '×',
      target: '≥ 100',
      ok: bytesPerS / LINE_BYTES_PER_S >= 100,
    },
  ];
}

function rp1Stream(): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let i = 0, size = 0; size < 4e6; i += 1) {
    const { type, payload } = encodeMessage({
      type: 'rating',
      sessionId: i,
      key: (i % 5) + 1,
      eventCounter: i,
      msSinceArm: 900,
    });
    const f = encodeFrame({ flags: 1, seq: i & 0xff, type, payload });
    parts.push(f, i % 10 === 0 ? Uint8Array.of(1, 2, 3) : new Uint8Array(0));
    size += f.length;
  }
  return Buffer.concat(parts);
}

function samStream(): Uint8Array {
  const reply = encodeReply(0x90, encodeReadTextData(MAINLAND));
  const parts: Uint8Array[] = [];
  for (let size = 0; size < 4e6; size += reply.length + 25)
    parts.push(encodeRequest('findCard'), encodeReply(0x9f, new Uint8Array(4)), reply);
  return Buffer.concat(parts);
}

async function padLatency(samples = 200): Promise<BenchFigure[]> {
  const sim = new PadSimulator({ kind: 'pty', name: 'bench-pad' });
  await sim.start();
  const driver = new PadDriver();
  const transport = new SerialTransport({ path: sim.kioskPath, baudRate: 115200 });
  await transport.open();
  await driver.attach(transport);
  const latencies: number[] = [];
  try {
    for (let i = 0; i < samples; i += 1) {
      const { type, payload } = encodeMessage({
        type: 'rating',
        sessionId: 1,
        key: 1,
        eventCounter: 10_000 + i,
        msSinceArm: 5,
      });
      const bytes = encodeFrame({ flags: 1, seq: i & 0xff, type, payload });
      const got = driver.next('rating', 1000, (r) => r.eventCounter === 10_000 + i);
      const t0 = performance.now();
      await sim.link.write(bytes);
      await got;
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    await driver.detach();
    await sim.stop();
  }
  return [
    { name: 'pad RATING on pty → rating event, p50', value: round(percentile(latencies, 50)), unit: 'ms' },
    {
      name: 'pad RATING on pty → rating event, p99',
      value: round(percentile(latencies, 99)),
      unit: 'ms',
      target: '≤ 5 ms',
      ok: percentile(latencies, 99) <= 5,
    },
  ];
}

async function readCycle(samples = 15): Promise<BenchFigure[]> {
  const sim = new ReaderSimulator({ kind: 'pty', name: 'bench-reader', baudRate: 115200 });
  await sim.start();
  const driver = new ReaderDriver({ autoPoll: false });
  const transport = new SerialTransport({ path: sim.kioskPath, baudRate: 115200 });
  await transport.open();
  await driver.attach(transport);
  const cycles: number[] = [];
  try {
    for (let i = 0; i < samples; i += 1) {
      sim.presentCard(MAINLAND); // a new card serial each time, so the "already read" rule does not apply
      const t0 = performance.now();
      const identity = await driver.readOnce();
      if (!identity) throw new Error('read cycle returned no card');
      cycles.push(performance.now() - t0);
      sim.removeCard();
      await driver.readOnce();
    }
  } finally {
    await driver.detach();
    await sim.stop();
  }
  const wire = (1295 / LINE_BYTES_PER_S) * 1000;
  return [
    {
      name: 'ID read cycle (status → find → select → read) on pty at 115200, p50',
      value: round(percentile(cycles, 50), 1),
      unit: 'ms',
    },
    { name: 'ID read cycle, p99', value: round(percentile(cycles, 99), 1), unit: 'ms' },
    { name: 'ID read reply wire floor (1295 bytes at 115200 8N1)', value: round(wire, 1), unit: 'ms' },
    {
      name: 'ID read cycle p50 / wire floor',
      value: round(percentile(cycles, 50) / wire),
      unit: '×',
      target: '≤ 1.5',
      ok: percentile(cycles, 50) / wire <= 1.5,
    },
  ];
}

export async function benchDrivers(): Promise<BenchFigure[]> {
  return [
    ...throughput('RP/1', rp1Stream(), (onFrame) => createRp1Parser({ onFrame })),
    ...throughput('SAM', samStream(), (onFrame) => createSamParser({ onFrame })),
    ...(await padLatency()),
    ...(await readCycle()),
  ];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, 'bench/'))) {
  for (const f of await benchDrivers())
    console.log(`${f.name}: ${f.value} ${f.unit}${f.target ? ` (target ${f.target})` : ''}`);
}
