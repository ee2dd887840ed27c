import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startBrowserHost,
  type BrowserHost,
  CLOSE_POLICY,
  MAX_MESSAGE_BYTES,
} from '../../src/host/browser/server.js';
import { idleView, ScriptedProvider } from './scripted-provider.js';
import { openSocket, rawGet, secretOf, type Conversation } from './ws-helpers.js';

let workDir: string;
let staticDir: string;
let host: BrowserHost;
let provider: ScriptedProvider;
let origin: string;
const open: Conversation[] = [];

async function connect(originHeader = origin): Promise<Conversation> {
  const conversation = await openSocket(host.port, originHeader);
  open.push(conversation);
  return conversation;
}

async function authenticated(): Promise<Conversation> {
  const conversation = await connect();
  conversation.ws.send(JSON.stringify({ hello: secretOf(host.url) }));
  const first = await conversation.next();
  expect(first).toMatchObject({ event: 'view' });
  return conversation;
}

beforeAll(async () => {
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hcp-host-'));
  staticDir = path.join(workDir, 'www');
  await fs.mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>kiosk</title>');
  await fs.writeFile(path.join(staticDir, 'assets', 'app.js'), 'export {};');
  await fs.writeFile(path.join(staticDir, 'assets', 'app.css'), 'body{}');
  await fs.writeFile(path.join(workDir, 'secret.txt'), 'TOP-SECRET');
  await fs.symlink(path.join(workDir, 'secret.txt'), path.join(staticDir, 'link.txt'));
});

afterAll(async () => {
  await fs.rm(workDir, { recursive: true, force: true });
});

describe('The browser host', () => {
  beforeAll(async () => {
    provider = new ScriptedProvider(idleView());
    host = await startBrowserHost({ provider, staticDir });
    origin = `http://127.0.0.1:${host.port}`;
  });
  afterEach(() => {
    for (const conversation of open.splice(0)) conversation.ws.terminate();
    provider.calls.length = 0;
  });
  afterAll(async () => {
    await host.close();
  });

  it('gives a page URL on loopback that carries a 256-bit secret in the fragment', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#s=[A-Za-z0-9_-]{43}$/);
  });

  it('serves the page with the strict CSP, nosniff and no-referrer headers', async () => {
    const res = await rawGet(host.port, '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves scripts and styles with their own MIME types', async () => {
    expect((await rawGet(host.port, '/assets/app.js')).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
    expect((await rawGet(host.port, '/assets/app.css')).headers['content-type']).toBe(
      'text/css; charset=utf-8',
    );
  });

  it.each([
    '/../secret.txt',
    '/assets/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%00/../secret.txt',
    '/link.txt',
    '/assets/',
  ])('refuses %s without revealing anything outside the static directory', async (requestPath) => {
    const res = await rawGet(host.port, requestPath);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('TOP-SECRET');
    expect(res.headers['content-security-policy']).toBeDefined();
  });

  it('refuses a page request addressed to another host name (DNS rebinding)', async () => {
    const res = await rawGet(host.port, '/', { Host: `evil.example:${host.port}` });
    expect(res.status).toBe(403);
  });

  it('refuses a WebSocket whose Origin is another site', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow('HTTP 403');
    await expect(connect(`http://localhost:${host.port}`)).rejects.toThrow('HTTP 403');
  });

  it('refuses a WebSocket with no Origin at all', async () => {
    await expect(openSocket(host.port, undefined)).rejects.toThrow('HTTP 403');
  });

  it('closes with a policy code when the first message carries a wrong secret', async () => {
    const conversation = await connect();
    conversation.ws.send(JSON.stringify({ hello: 'x'.repeat(43) }));
    expect(await conversation.closed).toEqual({ code: CLOSE_POLICY, reason: 'E8002' });
    expect(provider.calls).toEqual([]);
    expect(provider.listenerCount).toBe(0);
  });

  it('closes with a policy code when the first message is a call instead of the secret', async () => {
    const conversation = await connect();
    conversation.ws.send(JSON.stringify({ id: 1, method: 'rate', params: ['sess-0001', 'satisfied'] }));
    expect((await conversation.closed).code).toBe(CLOSE_POLICY);
    expect(provider.calls).toEqual([]);
  });

  it('closes with a policy code when no secret arrives within 2 s', async () => {
    const conversation = await connect();
    const started = Date.now();
    expect((await conversation.closed).code).toBe(CLOSE_POLICY);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
  });

  it('pushes the current view as soon as the secret is accepted', async () => {
    const conversation = await connect();
    conversation.ws.send(JSON.stringify({ hello: secretOf(host.url) }));
    expect(await conversation.next()).toEqual({ event: 'view', data: idleView({ now: expect.any(Number) }) });
  });

  it('pushes every view the core publishes', async () => {
    const conversation = await authenticated();
    const pushed = provider.push({ screen: 'paused', pauseMessage: '稍候' });
    expect(await conversation.next()).toEqual({ event: 'view', data: pushed });
  });

  it.each([
    ['an unknown method', 'deleteAll', []],
    ['a level that does not exist', 'rate', ['sess-0001', 'great']],
    ['a session id with markup', 'rate', ['<script>', 'satisfied']],
    ['too many parameters', 'changeLevel', ['sess-0001', 'extra']],
    ['a language that is not offered', 'setLanguage', ['fr']],
    ['text over 150 characters', 'submitReasons', ['sess-0001', ['501'], 'x'.repeat(151)]],
    ['params that are not a list', 'setLargeType', { on: true }],
  ])('answers %s with E8001 and never calls the core', async (_label, method, params) => {
    const conversation = await authenticated();
    provider.calls.length = 0;
    conversation.ws.send(JSON.stringify({ id: 7, method, params }));
    expect(await conversation.next()).toMatchObject({ id: 7, error: { code: 'E8001' } });
    expect(provider.calls).toEqual([]);
  });

  it('passes a valid call to the core and answers with its result', async () => {
    const conversation = await authenticated();
    conversation.ws.send(JSON.stringify({ id: 8, method: 'rate', params: ['sess-0001', 'satisfied'] }));
    expect(await conversation.next()).toEqual({ id: 8, result: { ok: true } });
    expect(provider.callsOf('rate')).toEqual([['sess-0001', 'satisfied']]);
  });

  it('closes the socket when a message is larger than 64 KiB', async () => {
    const conversation = await authenticated();
    conversation.ws.send(
      JSON.stringify({ id: 9, method: 'padKey', params: ['x'.repeat(MAX_MESSAGE_BYTES)] }),
    );
    expect((await conversation.closed).code).toBe(1009);
    expect(provider.callsOf('padKey')).toEqual([]);
  });

  it('closes the socket when a call has no usable id', async () => {
    const conversation = await authenticated();
    conversation.ws.send(JSON.stringify({ id: 'one', method: 'getView', params: [] }));
    expect((await conversation.closed).code).toBe(CLOSE_POLICY);
  });
});

describe('Starting and stopping the browser host', () => {
  it('refuses to bind to anything but loopback', async () => {
    const provider = new ScriptedProvider(idleView());
    const options = { provider, staticDir, host: '0.0.0.0' as '127.0.0.1' };
    await expect(startBrowserHost(options)).rejects.toThrow('127.0.0.1 only');
  });

  it('ends open sockets and drops its subscriptions when closed', async () => {
    const provider = new ScriptedProvider(idleView());
    const own = await startBrowserHost({ provider, staticDir });
    const conversation = await openSocket(own.port, `http://127.0.0.1:${own.port}`);
    conversation.ws.send(JSON.stringify({ hello: secretOf(own.url) }));
    await conversation.next();
    expect(provider.listenerCount).toBe(1);
    await own.close();
    expect((await conversation.closed).code).toBe(1001);
    expect(provider.listenerCount).toBe(0);
  });
});
