import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import WebSocket from 'ws';
import { authPaths, protocolVersion, type LoginResponse, type SessionGrant } from '../../protocol/auth';
import { serverFrameSchema, type ServerFrame } from '../../protocol/operator-socket';
import { totpCode } from '../../server/auth/totp';
import type { StorageOptions } from '../../server/storage/database';
import { describePostgres } from './databases';
import { FrameLog } from './frame-log';

export type EventFrame = Extract<ServerFrame, { type: 'event' }>;

/** A minimal operator client for server tests: HTTP login, then a socket that records every frame. */
export async function postJson(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Signs in with password and, where needed, enrols TOTP or answers with a code from `secret`. */
export async function signIn(
  baseUrl: string,
  username: string,
  password: string,
  options: { secret?: string; headers?: Record<string, string>; now?: () => number } = {},
): Promise<{ grant: SessionGrant; secret: string | undefined }> {
  const now = options.now ?? Date.now;
  const login = await postJson(
    baseUrl,
    authPaths.login,
    { protocolVersion, username, password },
    options.headers,
  );
  if (login.status !== 200) throw Object.assign(new Error('login failed'), { response: login });
  const step = login.body as LoginResponse;
  if (step.step === 'done') return { grant: step.session, secret: options.secret };
  if (step.step === 'enrol_totp') {
    const enrolled = await postJson(
      baseUrl,
      authPaths.enrol,
      { ticket: step.ticket, code: totpCode(step.secret, now()) },
      options.headers,
    );
    if (enrolled.status !== 200) throw Object.assign(new Error('enrolment failed'), { response: enrolled });
    return { grant: (enrolled.body as { session: SessionGrant }).session, secret: step.secret };
  }
  if (!options.secret) throw new Error('second factor needed but no secret known');
  const code = totpCode(options.secret, now());
  const done = await postJson(
    baseUrl,
    authPaths.secondFactor,
    { ticket: step.ticket, code },
    options.headers,
  );
  if (done.status !== 200) throw Object.assign(new Error('second factor failed'), { response: done });
  return { grant: (done.body as { session: SessionGrant }).session, secret: options.secret };
}

export class OperatorTestSocket {
  private readonly log = new FrameLog<ServerFrame>();
  readonly frames = this.log.frames;
  readonly closed: Promise<{ code: number; reason: string }>;
  private nextId = 1;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.log.push(serverFrameSchema.parse(JSON.parse(data.toString()))));
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static open(socketUrl: string, token: string | undefined, headers: Record<string, string> = {}) {
    return new WebSocket(socketUrl, {
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    });
  }

  static async connect(socketUrl: string, token: string, headers: Record<string, string> = {}) {
    const client = new OperatorTestSocket(OperatorTestSocket.open(socketUrl, token, headers));
    await client.waitFor((frame) => frame.type === 'welcome');
    return client;
  }

  /** Connects like a resuming client: hello (with lastSeq when given) as soon as the socket opens. */
  static async connectWithHello(socketUrl: string, token: string, lastSeq?: number) {
    const client = new OperatorTestSocket(OperatorTestSocket.open(socketUrl, token));
    client.socket.once('open', () => client.hello(lastSeq));
    await client.waitFor((frame) => frame.type === 'welcome');
    return client;
  }

  hello(lastSeq?: number) {
    this.socket.send(
      JSON.stringify({ type: 'hello', protocolVersion, ...(lastSeq === undefined ? {} : { lastSeq }) }),
    );
  }

  events(): EventFrame[] {
    return this.frames.filter((frame): frame is EventFrame => frame.type === 'event');
  }

  waitFor(match: (frame: ServerFrame) => boolean, timeoutMs = 5_000): Promise<ServerFrame> {
    return this.log.waitFor(match, timeoutMs);
  }

  sendRaw(data: string) {
    this.socket.send(data);
  }

  async request(
    method: string,
    params?: unknown,
    options: { actionId?: string } = {},
  ): Promise<Extract<ServerFrame, { type: 'response' }>> {
    const id = `r${this.nextId++}`;
    this.socket.send(
      JSON.stringify({
        type: 'request',
        id,
        method,
        ...(params === undefined ? {} : { params }),
        ...options,
      }),
    );
    const frame = await this.waitFor((candidate) => candidate.type === 'response' && candidate.id === id);
    return frame as Extract<ServerFrame, { type: 'response' }>;
  }

  close() {
    this.socket.close();
  }
}

/** Resolves with the HTTP status and JSON body of a refused upgrade (or 101 if it opened). */
export function upgradeOutcome(socket: WebSocket): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve) => {
    socket.on('open', () => {
      resolve({ status: 101, body: undefined });
      socket.close();
    });
    socket.on('error', () => undefined);
    socket.on('unexpected-response', (_request, response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }),
      );
    });
  });
}

/**
 * Runs `suite` against servers on PGlite and on PostgreSQL. Each `storage()` call gives options
 * for a new, empty database that a second server can open again after the first closed (PGlite
 * in a temp data directory), as a server restart would.
 */
export function describeEachServerStorage(
  name: string,
  suite: (storage: () => Promise<StorageOptions>) => void,
): void {
  describe(name, () => {
    describe('on PGlite', () => {
      const dirs: string[] = [];
      // Registered before the suite's hooks, so it runs after them, once its servers are closed.
      afterAll(async () => {
        for (const dir of dirs) await rm(dir, { recursive: true, force: true });
      });
      suite(async () => {
        const dir = await mkdtemp(join(tmpdir(), 'parley-server-'));
        dirs.push(dir);
        return { kind: 'pglite', dataDir: dir };
      });
    });
    describePostgres('on PostgreSQL', (server) =>
      suite(async () => ({ kind: 'postgres', connectionString: await server().createDatabase() })),
    );
  });
}
