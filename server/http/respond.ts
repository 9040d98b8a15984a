import type { IncomingMessage, ServerResponse } from 'node:http';
import { ParleyError, type ErrorCode, type ParleyErrorData } from '../../protocol/errors';

const statusOf: Record<ErrorCode, number> = {
  invalid_request: 400,
  unknown_method: 404,
  untrusted_sender: 403,
  internal: 500,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unauthenticated: 401,
  forbidden: 403,
  invalid_credentials: 401,
  totp_required: 401,
  totp_enrolment_required: 401,
  invalid_code: 401,
  code_replayed: 401,
  account_locked: 429,
  account_disabled: 403,
  address_not_allowed: 403,
  session_expired: 401,
  password_policy: 400,
  would_lock_out: 409,
  version_mismatch: 426,
  server_not_allowed: 403,
  certificate_mismatch: 495,
  unreachable: 502,
  policy_invalid: 500,
  cache_unavailable: 500,
  malformed_frame: 400,
  frame_too_large: 413,
  unknown_message_type: 400,
};

export function httpStatusOf(code: ErrorCode): number {
  return statusOf[code];
}

const jsonHeaders = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, jsonHeaders);
  response.end(JSON.stringify(body));
}

/** Expected failures keep their code and message; anything else becomes a plain 500. */
export function sendError(response: ServerResponse, error: unknown): ParleyErrorData {
  const data =
    error instanceof ParleyError
      ? error.toData()
      : { code: 'internal' as const, message: 'Something went wrong on the server.' };
  sendJson(response, httpStatusOf(data.code), data);
  return data;
}

export async function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes)
      throw new ParleyError('frame_too_large', `Request bodies are limited to ${limitBytes} bytes.`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ParleyError('invalid_request', 'The request body is not valid JSON.');
  }
}
