import { mkdtempSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bridgePath, defaultSettings } from '../../protocol/ipc';
import { startBrowserHost, type BrowserHost } from '../../main/web/host';
import type { recordingLogger } from '../support/logger';
import { testPlatform } from '../support/platform';

let host: BrowserHost;
let entries: ReturnType<typeof recordingLogger>['entries'];

beforeEach(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'parley-renderer-'));
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<html><body><div id="root"></div><script type="module" src="/app.js"></script></body></html>',
  );
  writeFileSync(join(rendererDir, 'app.js'), 'console.log("app")');
  const test = testPlatform();
  entries = test.logEntries;
  host = await startBrowserHost({ rendererDir, platform: test.platform, maxFrameBytes: 4096 });
});

afterEach(() => host.close());

/** node:http, because fetch() will not let a test forge the Host header. */
function get(path: string, headers: Record<string, string> = {}) {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
  }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function signIn(): Promise<string> {
  const response = await get(new URL(host.launchUrl).pathname + new URL(host.launchUrl).search);
  expect(response.status).toBe(303);
  const cookie = String(response.headers['set-cookie']).split(';')[0] ?? '';
  expect(String(response.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
  return cookie;
}

function connect(headers: Record<string, string>, origin?: string) {
  return new WebSocket(`ws://127.0.0.1:${host.port}${bridgePath}`, {
    headers,
    ...(origin ? { origin } : {}),
  });
}

function upgradeStatus(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.on('open', () => resolve(101));
    socket.on('error', () => undefined);
  });
}

function nextFrame(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

describe('browser host', () => {
  it('binds to loopback only', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses pages without the token with 401 and keeps serving', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/app.js')).status).toBe(401);
    expect((await get('/?token=guessed')).status).toBe(401);
    const cookie = await signIn();
    expect((await get('/', { Cookie: cookie })).status).toBe(200);
  });

  it('accepts the launch token once, then never again', async () => {
    await signIn();
    const again = await get(new URL(host.launchUrl).pathname + new URL(host.launchUrl).search);
    expect(again.status).toBe(401);
  });

  it('refuses a foreign Host header with 403 even with a valid session (DNS rebinding)', async () => {
    const cookie = await signIn();
    const response = await get('/', { Cookie: cookie, Host: 'attacker.example:80' });
    expect(response.status).toBe(403);
    expect(entries).toContainEqual(
      expect.objectContaining({ message: 'browser host refused a foreign Host header' }),
    );
  });

  it('serves the renderer with the bridge injected first, a strict CSP, and nothing outside it', async () => {
    const cookie = await signIn();
    const index = await get('/', { Cookie: cookie });
    expect(index.body.indexOf('/web-bridge.js')).toBeLessThan(index.body.indexOf('/app.js'));
    expect(index.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await get('/app.js', { Cookie: cookie })).status).toBe(200);
    expect((await get('/../../package.json', { Cookie: cookie })).status).toBe(404);
    expect((await get('/%2e%2e/%2e%2e/package.json', { Cookie: cookie })).status).toBe(404);
  });

  it('refuses sockets without a session (401), from a foreign Origin or Host (403)', async () => {
    const cookie = await signIn();
    expect(await upgradeStatus(connect({}, host.origin))).toBe(401);
    expect(await upgradeStatus(connect({ Cookie: cookie }, 'https://evil.example'))).toBe(403);
    expect(await upgradeStatus(connect({ Cookie: cookie }))).toBe(403);
    expect(await upgradeStatus(connect({ Cookie: cookie, Host: 'attacker.example' }, host.origin))).toBe(403);
    expect(entries).toContainEqual(
      expect.objectContaining({
        message: 'browser host refused a socket from a foreign origin',
        fields: { origin: 'https://evil.example' },
      }),
    );
    expect(await upgradeStatus(connect({ Cookie: cookie }, host.origin))).toBe(101);
  });

  it('speaks the IPC contract over the socket and broadcasts events', async () => {
    const cookie = await signIn();
    const socket = connect({ Cookie: cookie }, host.origin);
    await upgradeStatus(socket);
    const frames: unknown[] = [];
    const both = new Promise<void>((resolve) =>
      socket.on('message', (data) => {
        frames.push(JSON.parse(data.toString()));
        if (frames.length === 2) resolve();
      }),
    );
    socket.send(JSON.stringify({ id: 7, request: { method: 'settings.update', args: { language: 'de' } } }));
    await both;
    expect(frames).toContainEqual({
      id: 7,
      response: { ok: true, value: { ...defaultSettings, language: 'de' } },
    });
    expect(frames).toContainEqual({
      event: 'settings.changed',
      payload: { ...defaultSettings, language: 'de' },
    });
    socket.close();
  });

  it('answers malformed frames with a typed error and keeps the socket working', async () => {
    const cookie = await signIn();
    const socket = connect({ Cookie: cookie }, host.origin);
    await upgradeStatus(socket);
    for (const bad of ['not json', '{"id": -1, "request": {}}', '[]']) {
      const reply = nextFrame(socket);
      socket.send(bad);
      expect(await reply).toMatchObject({
        id: null,
        response: { ok: false, error: { code: 'invalid_request' } },
      });
    }
    const unknown = nextFrame(socket);
    socket.send(JSON.stringify({ id: 1, request: { method: 'app.shutdown' } }));
    expect(await unknown).toMatchObject({
      id: 1,
      response: { ok: false, error: { code: 'unknown_method' } },
    });
    const good = nextFrame(socket);
    socket.send(JSON.stringify({ id: 2, request: { method: 'app.info' } }));
    expect(await good).toMatchObject({ id: 2, response: { ok: true, value: { host: 'browser' } } });
    socket.close();
  });

  it('closes a socket that sends an oversized frame, and accepts a new one', async () => {
    const cookie = await signIn();
    const socket = connect({ Cookie: cookie }, host.origin);
    await upgradeStatus(socket);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.send('x'.repeat(10_000));
    expect(await closed).toBe(1009);
    expect(await upgradeStatus(connect({ Cookie: cookie }, host.origin))).toBe(101);
  });
});
