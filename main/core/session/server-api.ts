import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { z } from 'zod';
import {
  authPaths,
  enrolResponseSchema,
  loginResponseSchema,
  protocolVersion,
  type EnrolResponse,
  type LoginResponse,
} from '../../../protocol/auth';
import { ParleyError, parleyErrorSchema } from '../../../protocol/errors';
import {
  connectionOptions,
  describeConnectionError,
  httpUrl,
  type ServerTarget,
} from '../connect/server-target';

const timeoutMs = 15_000;
const maxResponseBytes = 256 * 1024;

/**
 * One JSON POST to Parley Server, to exactly the address the policy approved. A reply that does not
 * match the contract is an error, not data.
 */
async function post<S extends z.ZodType>(
  target: ServerTarget,
  path: string,
  body: unknown,
  schema: S | undefined,
  token?: string,
): Promise<z.output<S> | undefined> {
  const url = httpUrl(target, path);
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  const payload = JSON.stringify(body);
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        timeout: timeoutMs,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(payload),
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        ...connectionOptions(target),
      },
      (response) => {
        let received = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          received += chunk;
          if (received.length > maxResponseBytes) req.destroy(new Error('response too large'));
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: received }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end(payload);
  }).catch((error: unknown) => {
    throw describeConnectionError(error);
  });

  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ParleyError(
      'unreachable',
      `The server at ${target.url.origin} did not answer like a Parley server.`,
    );
  }
  if (status < 200 || status >= 300) {
    const error = parleyErrorSchema.safeParse(json);
    if (error.success) throw new ParleyError(error.data.code, error.data.message, error.data.retryAt);
    throw new ParleyError('unreachable', `The server at ${target.url.origin} answered with HTTP ${status}.`);
  }
  if (!schema) return undefined;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ParleyError(
      'version_mismatch',
      'The server answered in a format this version of Parley does not know.',
    );
  }
  return parsed.data;
}

export interface Device {
  deviceId: string;
  deviceName: string;
}

export function login(target: ServerTarget, username: string, password: string, device: Device) {
  return post(
    target,
    authPaths.login,
    { protocolVersion, username, password, ...device },
    loginResponseSchema,
  ) as Promise<LoginResponse>;
}

/** A new operator's set-up code and chosen password; the server answers as it does a login. */
export function setup(
  target: ServerTarget,
  username: string,
  code: string,
  password: string,
  device: Device,
) {
  return post(
    target,
    authPaths.setup,
    { protocolVersion, username, code, password, ...device },
    loginResponseSchema,
  ) as Promise<LoginResponse>;
}

export function submitSecondFactor(target: ServerTarget, ticket: string, code: string) {
  return post(
    target,
    authPaths.secondFactor,
    { ticket, code },
    loginResponseSchema,
  ) as Promise<LoginResponse>;
}

export function confirmEnrolment(target: ServerTarget, ticket: string, code: string) {
  return post(target, authPaths.enrol, { ticket, code }, enrolResponseSchema) as Promise<EnrolResponse>;
}

export async function logout(target: ServerTarget, token: string): Promise<void> {
  await post(target, authPaths.logout, {}, undefined, token);
}
