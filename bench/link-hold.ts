/**
 * Memory under held connections (issue 18 item 3): 2 000 connections, each holding a 261 KB body open (all
 * but its last byte sent), against the real kiosk process (browser host, demo mode), from 32 loopback source
 * addresses. Before the caps this took the kiosk from 204 to 719 MB with no 408 within 40 s.
 * Rows: the kiosk's peak RSS (VmHWM of its process, target ≤ 300 MB), a rating made through the window link
 * and the UI socket while the connections are held (it must work; its time in ms), and how the held
 * connections ended: refused at once (503 busy or dropped at the connection cap) or cut at the 10 s body
 * timeout (408). Loopback only; every connection and the kiosk are closed at the end.
 */
import fs from 'node:fs';
import net from 'node:net';
import { linkCall, makeDataDir, startKiosk } from '../test/support/kiosk-process.js';
import { ApiClient } from '../test/support/security/kiosk.js';
import type { BenchRow } from './types.js';

const CONNECTIONS = 2_000;
const ADDRESSES = 32;
const BODY_BYTES = 261_000;

function procKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
}

interface Held {
  socket: net.Socket;
  answer: Promise<string>;
}

function hold(url: URL, localAddress: string, token: string, body: Buffer): Promise<Held> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect({ host: url.hostname, port: Number(url.port), localAddress });
    const answer = new Promise<string>((done) => {
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      socket.on('close', () => done(text));
    });
    socket.on('error', () => undefined); // refused or reset by the kiosk: its answer (if any) says why
    socket.once('connect', () => {
      socket.write(
        `POST /v1/service/completed HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\n` +
          `content-type: application/json\r\ncontent-length: ${BODY_BYTES}\r\n\r\n`,
      );
      socket.write(body);
      resolve({ socket, answer });
    });
    socket.once('close', () => resolve({ socket, answer }));
  });
}

export async function benchLinkHold(): Promise<BenchRow[]> {
  const dataDir = makeDataDir('hcp-bench-hold-');
  const kiosk = await startKiosk(dataDir, []);
  const pid = kiosk.child.pid!;
  const url = new URL(kiosk.info.linkUrl);
  const body = Buffer.alloc(BODY_BYTES - 1, 0x20);
  const held: Held[] = [];
  try {
    const rssBefore = procKb(pid, 'VmRSS') / 1024;
    const peakBefore = procKb(pid, 'VmHWM') / 1024;
    for (let i = 0; i < CONNECTIONS; i += 1) {
      held.push(await hold(url, `127.0.3.${(i % ADDRESSES) + 1}`, kiosk.info.linkToken, body));
    }
    const t0 = performance.now();
    const done = await linkCall(kiosk.info, 'POST', '/v1/service/completed', { ticketNo: 'H1' });
    const api = await ApiClient.connect(kiosk.info.uiUrl);
    let rated = false;
    try {
      const answer = (await api.call('rate', [
        (done.json as { sessionId: string }).sessionId,
        'satisfied',
      ])) as {
        result?: { ok?: boolean };
      };
      rated = done.status === 202 && answer.result?.ok === true;
    } finally {
      api.close();
    }
    const rateMs = performance.now() - t0;
    // Every held connection ends by itself: refused at once, or cut at the body timeout.
    const answers = await Promise.all(held.map((h) => h.answer));
    const peakMb = procKb(pid, 'VmHWM') / 1024;
    const timedOut = answers.filter((a) => a.startsWith('HTTP/1.1 408')).length;
    const refused = answers.length - timedOut;
    return [
      { name: `link hold: kiosk RSS before (2 000 × 261 KB held)`, value: rssBefore, unit: 'MB' },
      { name: 'link hold: kiosk peak RSS before the attack', value: peakBefore, unit: 'MB' },
      { name: 'link hold: kiosk peak RSS', value: peakMb, unit: 'MB', target: '≤ 300', ok: peakMb <= 300 },
      {
        name: 'link hold: a rating while held',
        value: rateMs,
        unit: 'ms',
        target: 'works',
        ok: rated,
      },
      { name: 'link hold: connections cut at 10 s (408)', value: timedOut, unit: 'count' },
      { name: 'link hold: connections refused at once (503 / cap)', value: refused, unit: 'count' },
    ];
  } finally {
    for (const h of held) h.socket.destroy();
    await kiosk.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
