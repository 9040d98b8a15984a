import { z } from 'zod';
import { permissionSchema, roleSchema } from './roles';

/** Bumped when the HTTP auth bodies or the operator socket frames change incompatibly. */
export const protocolVersion = 1;

const username = z.string().trim().min(1).max(64);
const password = z.string().min(1).max(1024);
const ticket = z.string().min(20).max(200);
const deviceId = z.string().min(8).max(100);

export const loginRequestSchema = z.strictObject({
  protocolVersion: z.number().int(),
  username,
  password,
  deviceId: deviceId.optional(),
  deviceName: z.string().max(200).optional(),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** The second step: a 6-digit TOTP code or one of the operator's recovery codes. */
export const secondFactorRequestSchema = z.strictObject({
  ticket,
  code: z.string().trim().min(6).max(40),
});
export type SecondFactorRequest = z.infer<typeof secondFactorRequestSchema>;

/** Confirms first-time TOTP enrolment during login with one valid code. */
export const enrolRequestSchema = z.strictObject({
  ticket,
  code: z.string().trim().min(6).max(10),
});
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

export const operatorProfileSchema = z.strictObject({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  groupIds: z.array(z.string()),
  totpEnabled: z.boolean(),
});
export type OperatorProfile = z.infer<typeof operatorProfileSchema>;

export const sessionGrantSchema = z.strictObject({
  token: z.string(),
  sessionId: z.string(),
  expiresAt: z.iso.datetime(),
  idleTimeoutSeconds: z.number().int().positive(),
  operator: operatorProfileSchema,
  permissions: z.array(permissionSchema),
  /** Released only after a complete login, for the device named at login; wraps the desktop cache key. */
  deviceKey: z.string().optional(),
});
export type SessionGrant = z.infer<typeof sessionGrantSchema>;

/** The one-time set-up: a new operator chooses their password with the code an admin handed them. */
export const setupRequestSchema = z.strictObject({
  protocolVersion: z.number().int(),
  /** The code is only good together with the username it was made for. */
  username,
  code: z.string().trim().min(20).max(200),
  password,
  deviceId: deviceId.optional(),
  deviceName: z.string().max(200).optional(),
});
export type SetupRequest = z.infer<typeof setupRequestSchema>;

export const loginResponseSchema = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('second_factor'), ticket: z.string(), expiresAt: z.iso.datetime() }),
  z.strictObject({
    step: z.literal('enrol_totp'),
    ticket: z.string(),
    expiresAt: z.iso.datetime(),
    secret: z.string(),
    otpauthUri: z.string(),
  }),
  z.strictObject({ step: z.literal('done'), session: sessionGrantSchema }),
]);
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const enrolResponseSchema = z.strictObject({
  step: z.literal('done'),
  session: sessionGrantSchema,
  recoveryCodes: z.array(z.string()),
});
export type EnrolResponse = z.infer<typeof enrolResponseSchema>;

export const authPaths = {
  login: '/api/auth/login',
  secondFactor: '/api/auth/second-factor',
  enrol: '/api/auth/enrol',
  logout: '/api/auth/logout',
  /** A new operator's set-up code and chosen password; answers like login (usually: enrol TOTP next). */
  setup: '/api/auth/setup',
  operatorSocket: '/api/operator/socket',
  health: '/healthz',
} as const;
