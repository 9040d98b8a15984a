import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { describeIssues, ParleyError } from '../../protocol/errors';
import {
  authPaths,
  enrolRequestSchema,
  loginRequestSchema,
  secondFactorRequestSchema,
  setupRequestSchema,
} from '../../protocol/auth';
import { completeSetup } from '../admin/setup-codes';
import type { ServerContext } from '../context';
import { enrol, login, secondFactor, type LoginOrigin } from '../auth/login';
import { authenticateSession, revokeSessions } from '../auth/sessions';
import { readSecurityPolicy } from '../policy';
import { readJsonBody, sendError, sendJson } from './respond';

const bodyLimitBytes = 16 * 1024;

async function parseBody<S extends z.ZodType>(request: IncomingMessage, schema: S): Promise<z.output<S>> {
  const parsed = schema.safeParse(await readJsonBody(request, bodyLimitBytes));
  if (!parsed.success) throw new ParleyError('invalid_request', describeIssues(parsed.error));
  return parsed.data;
}

export function bearerToken(request: IncomingMessage): string | undefined {
  const match = /^Bearer ([\w-]{20,200})$/.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** The auth endpoints. Returns false when the path is not one of them. */
export async function handleAuthRoute(
  ctx: ServerContext,
  request: IncomingMessage,
  response: ServerResponse,
  origin: LoginOrigin,
  onLogout: (sessionIds: string[]) => void,
): Promise<boolean> {
  const path = new URL(request.url ?? '/', 'http://server').pathname;
  const routes: Record<string, () => Promise<void>> = {
    [authPaths.login]: async () =>
      sendJson(response, 200, await login(ctx, await parseBody(request, loginRequestSchema), origin)),
    [authPaths.secondFactor]: async () =>
      sendJson(
        response,
        200,
        await secondFactor(ctx, await parseBody(request, secondFactorRequestSchema), origin),
      ),
    [authPaths.enrol]: async () =>
      sendJson(response, 200, await enrol(ctx, await parseBody(request, enrolRequestSchema), origin)),
    [authPaths.setup]: async () =>
      sendJson(response, 200, await completeSetup(ctx, await parseBody(request, setupRequestSchema), origin)),
    [authPaths.logout]: async () => {
      const token = bearerToken(request);
      if (!token) throw new ParleyError('unauthenticated', 'Sign in first.');
      const policy = await readSecurityPolicy(ctx.db);
      const { session } = await authenticateSession(ctx.db, ctx.clock, policy, { token });
      onLogout(await revokeSessions(ctx.db, ctx.clock, { sessionId: session.id }, 'logged out'));
      response.writeHead(204).end();
    },
  };
  const route = routes[path];
  if (!route) return false;
  if (request.method !== 'POST') {
    sendJson(response, 405, { code: 'invalid_request', message: 'Use POST.' });
    return true;
  }
  try {
    await route();
  } catch (error) {
    const data = sendError(response, error);
    if (data.code === 'internal') ctx.log.error('auth route failed', { path, error: String(error) });
  }
  return true;
}
