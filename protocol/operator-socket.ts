import { z } from 'zod';
import { operatorProfileSchema } from './auth';
import { parleyErrorSchema } from './errors';
import { permissionSchema, roleSchema, type Permission } from './roles';

/**
 * The operator socket: request/response with client-chosen ids, and server events numbered per
 * session (seq), so a client that drops can say which events it has seen when it comes back.
 */

export const securityPolicySchema = z.strictObject({
  totpRequiredRoles: z.array(roleSchema),
  sessionIdleMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60),
  sessionLifetimeHours: z
    .number()
    .int()
    .min(1)
    .max(30 * 24),
  lockout: z.strictObject({
    maxFailures: z.number().int().min(3).max(100),
    windowMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
    lockMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60),
  }),
  passwordMinLength: z.number().int().min(8).max(128),
  trustedProxies: z.array(z.string().max(64)).max(50),
  addressPolicy: z.enum(['full', 'truncated', 'none']),
});
export type SecurityPolicy = z.infer<typeof securityPolicySchema>;

export const sessionInfoSchema = z.strictObject({
  id: z.string(),
  operatorId: z.string(),
  operatorName: z.string(),
  deviceName: z.string().nullable(),
  address: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  current: z.boolean(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const ipRuleSchema = z.strictObject({
  id: z.string(),
  scope: z.enum(['global', 'role', 'operator']),
  subject: z.string(),
  cidr: z.string(),
});
export type IpRule = z.infer<typeof ipRuleSchema>;

export const auditEntrySchema = z.strictObject({
  id: z.string(),
  at: z.iso.datetime(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  address: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntryInfo = z.infer<typeof auditEntrySchema>;

const none = z.strictObject({});
const id = z.string().min(1).max(100);
const totpCode = z.string().trim().min(6).max(10);

interface MethodSpec<P extends z.ZodType, R extends z.ZodType> {
  params: P;
  result: R;
  /** Required permission; undefined means any signed-in operator. */
  permission: Permission | undefined;
}

function method<P extends z.ZodType, R extends z.ZodType>(
  params: P,
  result: R,
  permission?: Permission,
): MethodSpec<P, R> {
  return { params, result, permission };
}

export const operatorMethods = {
  'me.get': method(
    none,
    z.strictObject({ operator: operatorProfileSchema, permissions: z.array(permissionSchema) }),
  ),
  'password.change': method(
    z.strictObject({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) }),
    none,
  ),
  'totp.begin': method(none, z.strictObject({ secret: z.string(), otpauthUri: z.string() })),
  'totp.confirm': method(
    z.strictObject({ code: totpCode }),
    z.strictObject({ recoveryCodes: z.array(z.string()) }),
  ),
  'totp.regenerateRecoveryCodes': method(
    z.strictObject({ code: totpCode }),
    z.strictObject({ recoveryCodes: z.array(z.string()) }),
  ),
  /** Own sessions for everyone; every operator's sessions with sessions.manage. */
  'sessions.list': method(
    z.strictObject({ all: z.boolean().optional() }),
    z.strictObject({ sessions: z.array(sessionInfoSchema) }),
  ),
  'sessions.revoke': method(z.strictObject({ sessionId: id }), none),
  'operators.resetTotp': method(z.strictObject({ operatorId: id }), none, 'security.manage'),
  'policy.get': method(none, securityPolicySchema, 'security.view'),
  'policy.update': method(securityPolicySchema.partial().strict(), securityPolicySchema, 'security.manage'),
  'ipRules.list': method(none, z.strictObject({ rules: z.array(ipRuleSchema) }), 'security.view'),
  'ipRules.add': method(
    z.strictObject({
      scope: ipRuleSchema.shape.scope,
      subject: z.string().max(100),
      cidr: z.string().max(64),
    }),
    ipRuleSchema,
    'security.manage',
  ),
  'ipRules.remove': method(z.strictObject({ id }), none, 'security.manage'),
  'audit.list': method(
    z.strictObject({
      actorId: id.optional(),
      action: z.string().max(100).optional(),
      from: z.iso.datetime().optional(),
      to: z.iso.datetime().optional(),
      /** Cursor: return entries older than this id. */
      before: z.string().regex(/^\d+$/).optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    z.strictObject({ entries: z.array(auditEntrySchema), nextCursor: z.string().nullable() }),
    'audit.view',
  ),
} as const;

export const operatorEvents = {
  'session.revoked': z.strictObject({ sessionId: z.string(), reason: z.string() }),
} as const;

export type OperatorMethod = keyof typeof operatorMethods;
export type OperatorEvent = keyof typeof operatorEvents;
export type OperatorParams<M extends OperatorMethod> = z.output<(typeof operatorMethods)[M]['params']>;
export type OperatorParamsInput<M extends OperatorMethod> = z.input<(typeof operatorMethods)[M]['params']>;
export type OperatorResult<M extends OperatorMethod> = z.output<(typeof operatorMethods)[M]['result']>;
export type OperatorEventPayload<E extends OperatorEvent> = z.output<(typeof operatorEvents)[E]>;

export function isOperatorMethod(name: string): name is OperatorMethod {
  return Object.hasOwn(operatorMethods, name);
}

export const maxOperatorFrameBytes = 256 * 1024;

/** Close codes beyond the standard ones, so a client knows whether reconnecting can help. */
export const socketCloseCodes = {
  sessionEnded: 4401,
  addressNotAllowed: 4403,
} as const;

export const clientFrameSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('request'),
    id: z.string().min(1).max(64),
    method: z.string().max(100),
    params: z.unknown().optional(),
  }),
  z.strictObject({
    type: z.literal('hello'),
    protocolVersion: z.number().int(),
    /** The highest event seq this client has applied, when resuming. */
    lastSeq: z.number().int().nonnegative().optional(),
  }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

// A plain union: the two response shapes share type 'response', which a discriminated union refuses.
export const serverFrameSchema = z.union([
  z.strictObject({
    type: z.literal('welcome'),
    protocolVersion: z.number().int(),
    sessionId: z.string(),
    operator: operatorProfileSchema,
    permissions: z.array(permissionSchema),
    /** The seq of the last event sent to this session so far. */
    seq: z.number().int().nonnegative(),
  }),
  z.strictObject({ type: z.literal('response'), id: z.string(), ok: z.literal(true), result: z.unknown() }),
  z.strictObject({
    type: z.literal('response'),
    id: z.string(),
    ok: z.literal(false),
    error: parleyErrorSchema,
  }),
  z.strictObject({
    type: z.literal('event'),
    seq: z.number().int().positive(),
    event: z.string(),
    payload: z.unknown(),
  }),
  /** A frame that cannot be answered by id (not JSON, unknown type): the socket stays open. */
  z.strictObject({ type: z.literal('error'), error: parleyErrorSchema }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
