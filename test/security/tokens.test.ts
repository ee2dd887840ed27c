/**
 * Threat: someone on the hall LAN guesses the window-link token (to open fake sessions or sign in a fake
 * clerk) or the admin token (diagnostics, provisioning), by brute force or by timing the comparison.
 * Defences: src/link/auth.ts (SHA-256 both sides, timingSafeEqual), src/link/throttle.ts + server.ts (more
 * than 20 failures a minute from one address → 429 for a minute, whatever token follows),
 * src/host/browser/server.ts (per-start secret compared with timingSafeEqual), src/config/admin-pin.ts (PIN).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkRequest, startSecurityKiosk, type SecurityKiosk } from '../support/security/kiosk.js';
import { ROOT } from '../support/kiosk-process.js';
import { rel, sourceFiles, stripComments } from '../support/security/static-scan.js';

let sec: SecurityKiosk;

/** Comparisons the pattern flags that involve no secret, with the reason. */
const NOT_SECRETS: Record<string, string> = {
  'src/store/chain.ts: let ok = record.seq === expected':
    '`expected` is the next sequence number of the public hash chain, not a secret',
};

beforeAll(async () => {
  sec = await startSecurityKiosk({}, { prefix: 'hcp-sec-tokens-' });
}, 60_000);

afterAll(async () => {
  await sec?.dispose();
});

describe('tokens and PIN', () => {
  it('secrets are compared only through timingSafeEqual, never with == or a string method', () => {
    const secretName =
      /\b(token|linkToken|adminToken|secret|hello|pin|pinHash|expected|given|candidate|appWord|signature)\b/i;
    const offenders: string[] = [];
    for (const file of sourceFiles('src')) {
      const code = stripComments(fs.readFileSync(file, 'utf8'));
      code.split('\n').forEach((line, i) => {
        // A comparison whose either side names a secret, e.g. `given === expected`, `token !== x`.
        const m = /([\w.$[\]'"]+)\s*[!=]==?\s*([\w.$[\]'"]+)/g;
        for (const match of line.matchAll(m)) {
          const [, left = '', right = ''] = match;
          const isLiteral = (s: string) =>
            /^(null|undefined|true|false|''|""|\d+|'[^']*'|"[^"]*")$/.test(s) || /\.length$/.test(s);
          const allowed = Object.keys(NOT_SECRETS).some((key) => {
            const [f, text] = key.split(': ') as [string, string];
            return rel(file) === f && line.includes(text);
          });
          if (
            (secretName.test(left) || secretName.test(right)) &&
            !isLiteral(left) &&
            !isLiteral(right) &&
            !allowed
          ) {
            offenders.push(`${rel(file)}:${i + 1}: ${line.trim()}`);
          }
        }
        if (
          /\b(linkToken|adminToken|secret|pinHash)\b[^;]*\.(startsWith|endsWith|includes|localeCompare)\(/.test(
            line,
          )
        )
          offenders.push(`${rel(file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
    const must = {
      'src/link/auth.ts': /timingSafeEqual\(digest\(given \?\? ''\), expected\[kind\]\)/,
      'src/host/browser/server.ts': /timingSafeEqual\(digest\(expected\), digest\(offered\)\)/,
      'src/config/admin-pin.ts': /timingSafeEqual\(candidate, parsed\.key\)/,
    };
    for (const [file, pattern] of Object.entries(must)) {
      expect(fs.readFileSync(path.join(ROOT, file), 'utf8')).toMatch(pattern);
    }
  });

  it('brute force on the link token: 20 wrong guesses answer 401, the 21st and then even the right token answer 429 with Retry-After about a minute', async () => {
    const from = { localAddress: '127.0.0.2' };
    for (let i = 0; i < 20; i += 1) {
      const r = await linkRequest(sec.info, 'POST', '/v1/service/called', {
        ...from,
        // Near misses: the right token with its last character changed (never equal to it).
        token: `${sec.info.linkToken.slice(0, -1)}${sec.info.linkToken.endsWith('A') ? 'B' : 'A'}${i % 2 ? '' : 'x'}`,
        body: JSON.stringify({ ticketNo: 'A001' }),
      });
      expect(r.status).toBe(401);
    }
    const blocked = await linkRequest(sec.info, 'POST', '/v1/service/called', {
      ...from,
      token: 'guess-21',
      body: JSON.stringify({ ticketNo: 'A001' }),
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(55);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    const right = await linkRequest(sec.info, 'POST', '/v1/service/called', {
      ...from,
      token: sec.info.linkToken,
      body: JSON.stringify({ ticketNo: 'A001' }),
    });
    expect(right.status).toBe(429);
    // Per address: the window system on another address is not locked out.
    const other = await linkRequest(sec.info, 'POST', '/v1/service/called', {
      localAddress: '127.0.0.4',
      token: sec.info.linkToken,
      body: JSON.stringify({ ticketNo: 'A001' }),
    });
    expect(other.status).toBe(200);
  });

  it('brute force on the admin token with missing, wrong and link tokens is throttled the same way, and diagnostics stay closed', async () => {
    const from = { localAddress: '127.0.0.3' };
    const guesses = [
      null,
      'x',
      sec.info.linkToken,
      `${sec.info.adminToken}x`,
      sec.info.adminToken.toUpperCase(),
    ];
    for (let i = 0; i < 20; i += 1) {
      const r = await linkRequest(sec.info, 'GET', '/v1/diagnostics', {
        ...from,
        token: guesses[i % guesses.length] ?? null,
      });
      expect(r.status).toBe(401);
      expect(r.text).not.toContain('outbox');
    }
    const blocked = await linkRequest(sec.info, 'GET', '/v1/diagnostics', { ...from, token: 'guess-21' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThanOrEqual(55);
    const right = await linkRequest(sec.info, 'GET', '/v1/diagnostics', {
      ...from,
      token: sec.info.adminToken,
    });
    expect(right.status).toBe(429);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(
      (
        await linkRequest(sec.info, 'GET', '/v1/ratings/summary?date=2026-01-01', {
          ...from,
          token: sec.info.adminToken,
        })
      ).status,
    ).toBe(429);
    const health = await linkRequest(sec.info, 'GET', '/v1/health', from);
    expect(health.status).toBe(200);
  });
});
