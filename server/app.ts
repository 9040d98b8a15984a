import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { authPaths } from '../protocol/auth';
import { systemClock, type Clock } from './clock';
import type { ServerContext } from './context';
import { consoleLog, type ServerLog } from './log';
import { clientAddress } from './auth/ip-rules';
import { handleAuthRoute } from './http/auth-routes';
import { sendJson } from './http/respond';
import { eventsChannel, receiveAnnouncement } from './events';
import { createOperatorSocketServer } from './operator-socket';
import { readSecurityPolicy } from './policy';
import { startMaintenance, type MaintenanceOptions } from './maintenance';
import { leaveInstance } from './presence';
import { receiveSignals, signalsChannel } from './signals';
import { createVisitorSocketServer } from './visitors/visitor-socket';
import { defaultWidgetDir, handleWidgetRoute } from './http/widget-routes';
import { visitorPaths } from '../protocol/visitor-socket';
import { openStorage, type Storage, type StorageOptions } from './storage/database';

export interface ParleyServerOptions {
  storage: StorageOptions;
  /** Defaults to 127.0.0.1. Any other address needs TLS. */
  host?: string;
  /** Defaults to 0 (any free port). */
  port?: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  clock?: Clock;
  log?: ServerLog;
  /** How often operator and visitor sockets are pinged (default 30 s); tests shorten it. */
  socketHeartbeatMs?: number;
  /** The built widget (out/widget); found next to the code by default. */
  widgetDir?: string;
  maintenance?: MaintenanceOptions;
  /** Visitor message rate limit: a burst, then one per refill. */
  visitorMessages?: { burst: number; refillMs: number };
}

export interface ParleyServer {
  url: string;
  socketUrl: string;
  port: number;
  ctx: ServerContext;
  storage: Storage;
  close(): Promise<void>;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Parley Server as a library: the CLI and the desktop's local workspace both start it this way. */
export async function startParleyServer(options: ParleyServerOptions): Promise<ParleyServer> {
  const host = options.host ?? '127.0.0.1';
  if (!options.tls && !isLoopback(host)) {
    throw new Error(
      `Parley Server only listens beyond loopback with TLS: pass a certificate and key, or listen on 127.0.0.1 (not ${host}).`,
    );
  }
  const storage = await openStorage(options.storage);
  const ctx: ServerContext = {
    db: storage.db,
    clock: options.clock ?? systemClock,
    log: options.log ?? consoleLog(),
    singleInstance: storage.kind === 'pglite',
  };
  // Events stored by other instances on the same PostgreSQL reach this instance's sockets too.
  const stopListening = await storage.listen(eventsChannel, (payload) => {
    receiveAnnouncement(ctx, payload).catch((error: unknown) =>
      ctx.log.error('could not deliver events from another instance', { error: String(error) }),
    );
  });
  const stopListeningForSignals = await storage.listen(signalsChannel, (payload) =>
    receiveSignals(ctx, payload),
  );
  const heartbeat = options.socketHeartbeatMs ? { heartbeatMs: options.socketHeartbeatMs } : {};
  const sockets = createOperatorSocketServer(ctx, heartbeat);
  const visitorSockets = createVisitorSocketServer(ctx, {
    ...heartbeat,
    ...(options.visitorMessages
      ? { messageBurst: options.visitorMessages.burst, messageRefillMs: options.visitorMessages.refillMs }
      : {}),
  });
  const maintenance = startMaintenance(ctx, options.maintenance);
  const widgetDir = options.widgetDir ?? defaultWidgetDir();

  async function handleRequest(request: IncomingMessage, response: ServerResponse) {
    const path = new URL(request.url ?? '/', 'http://server').pathname;
    if (path === authPaths.health && request.method === 'GET') {
      return sendJson(response, 200, { status: 'ok', storage: storage.kind });
    }
    if (await handleWidgetRoute(ctx, request, response, { widgetDir })) return;
    const policy = await readSecurityPolicy(ctx.db);
    const address = clientAddress(
      request.socket.remoteAddress ?? '',
      request.headers['x-forwarded-for'],
      policy.trustedProxies,
    );
    const handled = await handleAuthRoute(ctx, request, response, { address }, (ids) =>
      sockets.endSessions(ids, 'logged out'),
    );
    if (!handled) sendJson(response, 404, { code: 'not_found', message: 'There is nothing here.' });
  }

  const server: Server = options.tls
    ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key })
    : createHttpServer();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handleRequest(request, response).catch((error: unknown) => {
      ctx.log.error('request failed', { error: String(error) });
      if (!response.headersSent)
        sendJson(response, 500, { code: 'internal', message: 'Something went wrong.' });
      else response.end();
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = new URL(request.url ?? '/', 'http://server').pathname;
    if (path === authPaths.operatorSocket) return void sockets.handleUpgrade(request, socket, head);
    if (path === visitorPaths.socket) return void visitorSockets.handleUpgrade(request, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('Parley Server has no TCP address');
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const scheme = options.tls ? 'https' : 'http';

  /** Closing twice (a test's cleanup after a simulated outage, say) waits for the first close. */
  let closing: Promise<void> | undefined;
  return {
    url: `${scheme}://${hostInUrl}:${address.port}`,
    socketUrl: `${options.tls ? 'wss' : 'ws'}://${hostInUrl}:${address.port}${authPaths.operatorSocket}`,
    port: address.port,
    ctx,
    storage,
    close() {
      closing ??= (async () => {
        maintenance.stop();
        sockets.close();
        visitorSockets.close();
        await leaveInstance(ctx).catch((error: unknown) =>
          ctx.log.error('could not record that this instance left', { error: String(error) }),
        );
        await stopListening();
        await stopListeningForSignals();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await storage.close();
      })();
      return closing;
    },
  };
}
