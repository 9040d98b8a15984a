import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { describeIssues } from '../../protocol/errors';
import { bridgeCallSchema, bridgePath, type BridgeServerFrame } from '../../protocol/ipc';
import { createAppCore, type AppCoreOptions, type EmitEvent } from '../core/app-core';
import { createIpcRouter } from '../core/ipc-router';
import type { Platform } from '../core/ports';
import { readRendererFile, rendererCsp } from '../core/renderer-files';

/**
 * The browser host: main/core in Node, the built renderer on 127.0.0.1, and window.parley over a
 * loopback websocket. On a shared workstation any local user or web page can reach 127.0.0.1, so
 * a page is admitted only with the one-time token printed at start (exchanged for an HttpOnly
 * cookie), every request must name our own Host (DNS rebinding), and the socket must come from
 * our own Origin.
 */
export interface BrowserHostOptions {
  rendererDir: string;
  platform: Platform;
  port?: number;
  maxFrameBytes?: number;
  core?: AppCoreOptions;
}

export interface BrowserHost {
  /** The link to open once; it carries the one-time token. */
  launchUrl: string;
  origin: string;
  port: number;
  close(): Promise<void>;
}

const cookieName = 'parley_host';
const bridgeScript = '/web-bridge.js';

function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function readCookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

function refusePage(response: ServerResponse, status: 401 | 403 | 405, message: string) {
  response.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'",
    'Cache-Control': 'no-store',
  });
  response.end(message);
}

function refuseUpgrade(socket: Duplex, status: 401 | 403 | 404, reason: string) {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const { platform, rendererDir } = options;
  const log = platform.log;
  let launchToken: string | undefined = randomSecret();
  const sessions = new Set<string>();
  const sockets = new Set<WebSocket>();

  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('browser host has no TCP address');
  const port = address.port;
  const origin = `http://127.0.0.1:${port}`;
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = new Set([origin, `http://localhost:${port}`]);

  const emit: EmitEvent = (event, payload) => {
    const frame = JSON.stringify({ event, payload } satisfies BridgeServerFrame);
    for (const socket of sockets) socket.send(frame);
  };
  const core = createAppCore(platform, emit, options.core);
  const router = createIpcRouter({
    handlers: core.handlers,
    isTrustedSender: (url) => allowedOrigins.has(url),
    log,
  });

  function hasSession(request: IncomingMessage): boolean {
    const value = readCookie(request, cookieName);
    return value !== undefined && [...sessions].some((session) => sameSecret(session, value));
  }

  async function serveIndex(response: ServerResponse) {
    const html = await readFile(join(rendererDir, 'index.html'), 'utf8');
    // The bridge must define window.parley before the app's own module runs.
    const injected = html.replace(
      '<script',
      `<script type="module" src="${bridgeScript}"></script>\n    <script`,
    );
    response.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': rendererCsp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    response.end(injected);
  }

  async function handleRequest(request: IncomingMessage, response: ServerResponse) {
    if (!allowedHosts.has(request.headers.host ?? '')) {
      log.warn('browser host refused a foreign Host header', { host: request.headers.host });
      return refusePage(response, 403, 'This address is not served here.');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refusePage(response, 405, 'Method not allowed.');
    }
    const url = new URL(request.url ?? '/', origin);
    const token = url.searchParams.get('token');
    if (token !== null) {
      if (launchToken === undefined || !sameSecret(launchToken, token)) {
        log.warn('browser host refused an unknown or used token');
        return refusePage(response, 401, 'This Parley link has already been used or is not valid.');
      }
      launchToken = undefined;
      const session = randomSecret();
      sessions.add(session);
      response.writeHead(303, {
        Location: '/',
        'Set-Cookie': `${cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/`,
        'Cache-Control': 'no-store',
      });
      return response.end();
    }
    if (!hasSession(request)) {
      return refusePage(
        response,
        401,
        'Open Parley with the link printed in the terminal where it was started.',
      );
    }
    if (url.pathname === '/' || url.pathname === '/index.html') return serveIndex(response);
    const file = await readRendererFile(rendererDir, url.pathname);
    response.writeHead(file.status, file.headers);
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handleRequest(request, response).catch((error: unknown) => {
      log.error('browser host request failed', { error: String(error) });
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  const socketServer = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes ?? 1024 * 1024,
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const requestOrigin = request.headers.origin ?? '';
    if (!allowedHosts.has(request.headers.host ?? '')) return refuseUpgrade(socket, 403, 'Forbidden');
    if (new URL(request.url ?? '/', origin).pathname !== bridgePath)
      return refuseUpgrade(socket, 404, 'Not Found');
    if (!allowedOrigins.has(requestOrigin)) {
      log.warn('browser host refused a socket from a foreign origin', { origin: requestOrigin });
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    if (!hasSession(request)) return refuseUpgrade(socket, 401, 'Unauthorized');
    socketServer.handleUpgrade(request, socket, head, (ws) => attach(ws, requestOrigin));
  });

  function attach(socket: WebSocket, socketOrigin: string) {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (error) => log.warn('browser host socket error', { error: String(error) }));
    socket.on('message', (data, isBinary) => {
      void answer(socket, socketOrigin, isBinary ? undefined : data.toString());
    });
  }

  async function answer(socket: WebSocket, socketOrigin: string, text: string | undefined) {
    let raw: unknown;
    try {
      raw = text === undefined ? undefined : JSON.parse(text);
    } catch {
      raw = undefined;
    }
    const call = bridgeCallSchema.safeParse(raw);
    let frame: BridgeServerFrame;
    if (call.success) {
      frame = { id: call.data.id, response: await router.dispatch(call.data.request, { url: socketOrigin }) };
    } else {
      const message = raw === undefined ? 'Frame is not JSON text.' : describeIssues(call.error);
      log.warn('browser host received a malformed frame', { reason: message });
      frame = { id: null, response: { ok: false, error: { code: 'invalid_request', message } } };
    }
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  }

  return {
    launchUrl: `${origin}/?token=${launchToken}`,
    origin,
    port,
    async close() {
      await core.close();
      for (const socket of sockets) socket.terminate();
      socketServer.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
