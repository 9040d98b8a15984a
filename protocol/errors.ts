import { z } from 'zod';

/**
 * Every failure that crosses a boundary carries one of these codes plus a human message.
 * A single code covers "unknown user" and "wrong password" on purpose: distinct codes would
 * tell an attacker which usernames exist, which the equal response time is meant to hide.
 */
export const errorCodes = [
  // any boundary
  'invalid_request',
  'unknown_method',
  'untrusted_sender',
  'internal',
  'not_found',
  'conflict',
  'rate_limited',
  // authentication and authorisation
  'unauthenticated',
  'forbidden',
  'invalid_credentials',
  'totp_required',
  'totp_enrolment_required',
  'invalid_code',
  'code_replayed',
  'account_locked',
  'account_disabled',
  'address_not_allowed',
  'session_expired',
  'password_policy',
  /** An allowlist change would shut the admin making it out; they may confirm it. */
  'would_lock_out',
  'version_mismatch',
  // desktop connection
  'server_not_allowed',
  'certificate_mismatch',
  'unreachable',
  'policy_invalid',
  'cache_unavailable',
  // operator socket frames
  'malformed_frame',
  'frame_too_large',
  'unknown_message_type',
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const parleyErrorSchema = z.strictObject({
  code: errorCodeSchema,
  message: z.string(),
  /** ISO time after which the caller may try again (lockouts, rate limits). */
  retryAt: z.iso.datetime().optional(),
});
export type ParleyErrorData = z.infer<typeof parleyErrorSchema>;

/** Thrown inside a process; serialised as ParleyErrorData when it crosses a boundary. */
export class ParleyError extends Error {
  override readonly name = 'ParleyError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAt?: string,
  ) {
    super(message);
  }

  toData(): ParleyErrorData {
    return this.retryAt === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, retryAt: this.retryAt };
  }
}

/** Reads an error that came back across a boundary, whatever shape it arrived in. */
export function toParleyErrorData(error: unknown): ParleyErrorData {
  if (error instanceof ParleyError) return error.toData();
  const parsed = parleyErrorSchema.safeParse(error);
  if (parsed.success) return parsed.data;
  return { code: 'internal', message: error instanceof Error ? error.message : 'Unexpected error' };
}

/** Summarises a zod failure as one readable line, without echoing the offending values. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
