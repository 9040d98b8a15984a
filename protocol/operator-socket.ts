import { z } from 'zod';
import { operatorProfileSchema } from './auth';
import { parleyErrorSchema } from './errors';
import { maskingRulesSchema } from './masking';
import { permissionSchema, roleSchema, type Permission } from './roles';
import {
  prechatFieldNameSchema,
  prechatFieldsConfigSchema,
  privacyNoticeSchema,
  widgetSettingsSchema,
} from './visitor-socket';

/**
 * The operator socket: request/response with client-chosen ids, and server events numbered per
 * session (seq), so a client that drops can say which events it has seen when it comes back.
 *
 * Resuming: the server sends `welcome` (carrying the session's current seq) as soon as the socket
 * opens. The client answers with `hello` as its first frame: with `lastSeq`, it gets every stored
 * event after that seq as ordinary `event` frames, then `resumed`; if the server can no longer
 * replay from there, it gets `snapshot_required` instead and fetches a snapshot (e.g. `chats.mine`,
 * whose seq says which events the snapshot already contains). Either way live events follow, each
 * exactly once and in seq order. Until the hello (or a first request) arrives, the server holds
 * live events for a moment, so none overtakes the replay a resuming client is about to ask for.
 *
 * Retrying: a request to a mutating method may carry an `actionId`. The server applies an action id
 * once per operator and answers a repeat with the stored result, so an outbox can resend after a
 * reconnect without knowing whether the first attempt got through.
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
  /** A visitor whose browser sends Do-Not-Track or Global Privacy Control leaves no address or page. */
  honourDoNotTrack: z.boolean(),
});
export type SecurityPolicy = z.infer<typeof securityPolicySchema>;

const retentionDays = z.number().int().min(1, 'A retention period is at least one day.').max(3650);

/**
 * How long each kind of personal data is kept, in days; a scheduled job deletes what is older.
 * Chats count from when they ended, tickets from when they were opened (closed ones only), visitor
 * records from when the visitor was last seen, consents from when they were given.
 */
export const retentionPolicySchema = z.strictObject({
  chatsDays: retentionDays,
  ticketsDays: retentionDays,
  visitorsDays: retentionDays,
  consentsDays: retentionDays,
  auditDays: retentionDays,
});
export type RetentionPolicy = z.infer<typeof retentionPolicySchema>;

/** What the server holds about a person, found by email, name or id, before an erasure. */
export const personDataSchema = z.strictObject({
  visitors: z.array(
    z.strictObject({
      id: z.string(),
      language: z.string(),
      createdAt: z.iso.datetime(),
      lastSeenAt: z.iso.datetime(),
      consents: z.number().int().nonnegative(),
    }),
  ),
  chats: z.array(
    z.strictObject({
      id: z.string(),
      visitorName: z.string(),
      email: z.string().nullable(),
      status: z.enum(['open', 'closed']),
      createdAt: z.iso.datetime(),
    }),
  ),
  tickets: z.array(
    z.strictObject({
      id: z.string(),
      number: z.number().int(),
      subject: z.string(),
      requesterName: z.string().nullable(),
      requesterEmail: z.string().nullable(),
      createdAt: z.iso.datetime(),
    }),
  ),
});
export type PersonData = z.infer<typeof personDataSchema>;

/**
 * Everything the server holds about one person (GDPR Art. 15 and 20), as the export's JSON
 * document. Operators' internal notes are not the person's data and stay out.
 */
export const personExportSchema = z.strictObject({
  exportedAt: z.iso.datetime(),
  visitors: z.array(
    z.strictObject({
      id: z.string(),
      language: z.string(),
      address: z.string().nullable(),
      createdAt: z.iso.datetime(),
      lastSeenAt: z.iso.datetime(),
      consents: z.array(
        z.strictObject({
          groupId: z.string(),
          noticeVersion: z.string(),
          language: z.string(),
          givenAt: z.iso.datetime(),
        }),
      ),
    }),
  ),
  chats: z.array(
    z.strictObject({
      id: z.string(),
      groupId: z.string().nullable(),
      visitorId: z.string().nullable(),
      visitorName: z.string(),
      fields: z.record(z.string(), z.string()),
      pageUrl: z.string().nullable(),
      status: z.enum(['open', 'closed']),
      outcome: z.enum(['answered', 'missed', 'abandoned']).nullable(),
      rating: z.number().int().nullable(),
      ratingComment: z.string().nullable(),
      createdAt: z.iso.datetime(),
      closedAt: z.iso.datetime().nullable(),
      messages: z.array(
        z.strictObject({
          author: z.enum(['visitor', 'operator', 'system']),
          authorName: z.string(),
          text: z.string(),
          createdAt: z.iso.datetime(),
        }),
      ),
    }),
  ),
  tickets: z.array(
    z.strictObject({
      id: z.string(),
      number: z.number().int(),
      subject: z.string(),
      body: z.string(),
      status: z.enum(['open', 'pending', 'closed']),
      source: z.enum(['chat', 'offline_form']),
      chatId: z.string().nullable(),
      requester: z.record(z.string(), z.string()),
      createdAt: z.iso.datetime(),
    }),
  ),
});
export type PersonExport = z.infer<typeof personExportSchema>;

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

export const chatMessageSchema = z.strictObject({
  id: z.string(),
  chatId: z.string(),
  author: z.strictObject({
    kind: z.enum(['visitor', 'operator', 'system']),
    /** The operator's id; null for visitors (no identity yet) and system messages. */
    id: z.string().nullable(),
    name: z.string(),
  }),
  text: z.string(),
  /** The sender's idempotency key, when the sender gave one. */
  clientMsgId: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const chatSummarySchema = z.strictObject({
  id: z.string(),
  status: z.enum(['open', 'closed']),
  visitorName: z.string(),
  /** The chat's queue; null for chats opened straight onto an operator. Older caches lack it. */
  groupId: z.string().nullable().default(null),
  /** Oldest first. */
  messages: z.array(chatMessageSchema),
});
export type ChatSummary = z.infer<typeof chatSummarySchema>;

export const operatorStatusSchema = z.enum(['online', 'away', 'busy', 'offline']);
export type OperatorStatus = z.infer<typeof operatorStatusSchema>;

/** A chat in a group's queue, not yet accepted by anyone. */
export const queuedChatSchema = z.strictObject({
  id: z.string(),
  /** Null only for a chat without a queue that a colleague is handing over directly. */
  groupId: z.string().nullable(),
  visitorName: z.string(),
  /** Higher goes first. */
  priority: z.number().int(),
  /** Since when the chat waits for someone to accept it. */
  queuedAt: z.iso.datetime(),
  state: z.enum(['waiting', 'offered']),
  /** The operator it is ringing at, while offered. */
  offeredTo: z.string().nullable(),
});
export type QueuedChat = z.infer<typeof queuedChatSchema>;

/** What the visitor panel shows about the visitor of one chat. */
export const visitorInfoSchema = z.strictObject({
  chatId: z.string(),
  visitorId: z.string().nullable(),
  fields: z.strictObject({
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    company: z.string().nullable(),
    custom: z.string().nullable(),
  }),
  /** Fields with a value that the group's masking rules shorten or hide: what visitor.reveal can show. */
  maskedFields: z.array(prechatFieldNameSchema),
  customLabel: z.string(),
  pageUrl: z.string().nullable(),
  consent: z
    .strictObject({ noticeVersion: z.string(), language: z.string(), givenAt: z.iso.datetime() })
    .nullable(),
  /** As the address policy keeps it: full, truncated, or null. */
  address: z.string().nullable(),
  previousChats: z.array(
    z.strictObject({
      id: z.string(),
      createdAt: z.iso.datetime(),
      outcome: z.enum(['answered', 'missed', 'abandoned']).nullable(),
      messageCount: z.number().int().nonnegative(),
      rating: z.number().int().nullable(),
    }),
  ),
  rating: z.strictObject({ rating: z.number().int(), comment: z.string().nullable() }).nullable(),
});
export type VisitorInfo = z.infer<typeof visitorInfoSchema>;

export const ticketSchema = z.strictObject({
  id: z.string(),
  /** Shown to people: #1042. */
  number: z.number().int().positive(),
  subject: z.string(),
  status: z.enum(['open', 'pending', 'closed']),
  source: z.enum(['chat', 'offline_form']),
  groupId: z.string().nullable(),
  chatId: z.string().nullable(),
  requesterName: z.string().nullable(),
  requesterEmail: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type Ticket = z.infer<typeof ticketSchema>;

/** A reply kept for reuse; "/shortcut" in the composer expands to its text. */
export const cannedResponseSchema = z.strictObject({
  id: z.string(),
  shortcut: z.string(),
  title: z.string(),
  text: z.string(),
  /** Shared with the whole team, or the operator's own. */
  shared: z.boolean(),
  /** The caller may change it: their own, or shared ones with canned.manageShared. */
  editable: z.boolean(),
});
export type CannedResponse = z.infer<typeof cannedResponseSchema>;

export const teamMemberSchema = z.strictObject({
  id: z.string(),
  displayName: z.string(),
  status: operatorStatusSchema,
  acceptingChats: z.boolean(),
  groupIds: z.array(z.string()),
});
export type TeamMember = z.infer<typeof teamMemberSchema>;

export const teamGroupSchema = z.strictObject({ id: z.string(), name: z.string() });
export type TeamGroup = z.infer<typeof teamGroupSchema>;

/** An operator as administrators see them. */
export const adminOperatorSchema = z.strictObject({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  groupIds: z.array(z.string()),
  maxConcurrentChats: z.number().int(),
  disabled: z.boolean(),
  status: operatorStatusSchema,
  totpEnabled: z.boolean(),
  lastLoginAt: z.iso.datetime().nullable(),
  /** Created, but the operator has not yet chosen a password with their set-up code. */
  setupPending: z.boolean(),
  /** Bumped by every change: an update names the version it was made against. */
  version: z.number().int(),
});
export type AdminOperator = z.infer<typeof adminOperatorSchema>;

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time is HH:MM, from 00:00 to 23:59.');

/** When a group answers chats; outside these hours its widget offers the offline form. */
export const businessHoursSchema = z.strictObject({
  /** An IANA time zone such as Europe/Berlin. */
  timeZone: z.string().min(1).max(64),
  /** Monday first: each day's open intervals; an empty day is closed. */
  days: z.array(z.array(z.strictObject({ from: clockTime, to: clockTime })).max(4)).length(7),
});
export type BusinessHours = z.infer<typeof businessHoursSchema>;

export const adminGroupSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  archived: z.boolean(),
  routingMode: z.enum(['manual', 'automatic']),
  ringTimeoutSeconds: z.number().int(),
  defaultMaxChats: z.number().int(),
  /** Null: always open. */
  businessHours: businessHoursSchema.nullable(),
  prechatFields: prechatFieldsConfigSchema,
  widget: widgetSettingsSchema,
  /** Changing the text gives the notice a new version, which visitors must accept anew. */
  privacyNotice: privacyNoticeSchema,
  /** What operators see of each visitor field in this group's chats. */
  masking: maskingRulesSchema,
  version: z.number().int(),
});
export type AdminGroup = z.infer<typeof adminGroupSchema>;

const maxChats = z.number().int().min(1).max(50);
const displayNameField = z.string().trim().min(1).max(80);

/** What an administrator sets on a group; every field of an update is optional. */
const groupSettings = z.strictObject({
  name: z.string().trim().min(1).max(80),
  routingMode: z.enum(['manual', 'automatic']),
  ringTimeoutSeconds: z.number().int().min(5).max(600),
  defaultMaxChats: maxChats,
  businessHours: businessHoursSchema.nullable(),
  prechatFields: prechatFieldsConfigSchema,
  widget: widgetSettingsSchema,
  privacyNoticeText: privacyNoticeSchema.shape.text,
  masking: maskingRulesSchema,
});

const none = z.strictObject({});
const id = z.string().min(1).max(100);
const totpCode = z.string().trim().min(6).max(10);

const clientMsgId = z.string().min(8).max(64);

interface MethodOptions {
  /** Required permission; undefined means any signed-in operator. */
  permission?: Permission;
  /** Changes state: a request with an actionId is applied once and its result replayed on retry. */
  mutating: boolean;
  /**
   * The result carries a secret shown once (a TOTP secret, recovery codes). It is never stored for
   * replay, so these methods ignore actionId; the operator simply starts the step again.
   */
  returnsSecrets?: boolean;
}

interface MethodSpec<P extends z.ZodType, R extends z.ZodType> {
  params: P;
  result: R;
  permission: Permission | undefined;
  mutating: boolean;
  returnsSecrets: boolean;
}

function method<P extends z.ZodType, R extends z.ZodType>(
  params: P,
  result: R,
  options: MethodOptions,
): MethodSpec<P, R> {
  return {
    params,
    result,
    permission: options.permission,
    mutating: options.mutating,
    returnsSecrets: options.returnsSecrets ?? false,
  };
}

export const operatorMethods = {
  'me.get': method(
    none,
    z.strictObject({ operator: operatorProfileSchema, permissions: z.array(permissionSchema) }),
    { mutating: false },
  ),
  'password.change': method(
    z.strictObject({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) }),
    none,
    { mutating: true },
  ),
  'totp.begin': method(none, z.strictObject({ secret: z.string(), otpauthUri: z.string() }), {
    mutating: true,
    returnsSecrets: true,
  }),
  'totp.confirm': method(
    z.strictObject({ code: totpCode }),
    z.strictObject({ recoveryCodes: z.array(z.string()) }),
    { mutating: true, returnsSecrets: true },
  ),
  'totp.regenerateRecoveryCodes': method(
    z.strictObject({ code: totpCode }),
    z.strictObject({ recoveryCodes: z.array(z.string()) }),
    { mutating: true, returnsSecrets: true },
  ),
  /** Own sessions for everyone; every operator's sessions with sessions.manage. */
  'sessions.list': method(
    z.strictObject({ all: z.boolean().optional() }),
    z.strictObject({ sessions: z.array(sessionInfoSchema) }),
    { mutating: false },
  ),
  'sessions.revoke': method(z.strictObject({ sessionId: id }), none, { mutating: true }),
  'operators.resetTotp': method(z.strictObject({ operatorId: id }), none, {
    permission: 'security.manage',
    mutating: true,
  }),
  'policy.get': method(none, securityPolicySchema, { permission: 'security.view', mutating: false }),
  'policy.update': method(securityPolicySchema.partial().strict(), securityPolicySchema, {
    permission: 'security.manage',
    mutating: true,
  }),
  /** `yourAddress`: the caller's address as the server sees it, so a screen can warn before a lockout. */
  'retention.get': method(none, retentionPolicySchema, { permission: 'privacy.view', mutating: false }),
  'retention.update': method(retentionPolicySchema.partial().strict(), retentionPolicySchema, {
    permission: 'privacy.manage',
    mutating: true,
  }),
  /** Finds a person's records: exact email, part of a name, or a visitor or chat id. */
  'privacy.search': method(z.strictObject({ query: z.string().trim().min(2).max(200) }), personDataSchema, {
    permission: 'data.erase',
    mutating: false,
  }),
  /**
   * Erases the records named (a visitor's chats, tickets and consents go with them), keeps a
   * tombstone of ids only, and tells every operator client to purge them from its cache.
   */
  'privacy.erase': method(
    z.strictObject({
      visitorIds: z.array(id).max(100),
      chatIds: z.array(id).max(1000),
      ticketIds: z.array(id).max(1000),
      reason: z.string().trim().min(3).max(500),
    }),
    z.strictObject({
      erasureId: z.string(),
      visitors: z.number().int(),
      chats: z.number().int(),
      tickets: z.number().int(),
      consents: z.number().int(),
    }),
    { permission: 'data.erase', mutating: true },
  ),
  /** Everything about the records named (a visitor's chats, tickets and consents with them). */
  'privacy.export': method(
    z.strictObject({
      visitorIds: z.array(id).max(100),
      chatIds: z.array(id).max(1000),
      ticketIds: z.array(id).max(1000),
    }),
    personExportSchema,
    { permission: 'data.export', mutating: false },
  ),
  /** Which of these chats still exist: a client drops the rest from its cache (erased or expired). */
  'chats.existing': method(
    z.strictObject({ chatIds: z.array(id).max(1000) }),
    z.strictObject({ chatIds: z.array(z.string()) }),
    { permission: 'chat.handle', mutating: false },
  ),
  'ipRules.list': method(none, z.strictObject({ rules: z.array(ipRuleSchema), yourAddress: z.string() }), {
    permission: 'security.view',
    mutating: false,
  }),
  'ipRules.add': method(
    z.strictObject({
      scope: ipRuleSchema.shape.scope,
      subject: z.string().max(100),
      cidr: z.string().max(64),
      /** Without it, a rule that would shut the caller's own address out is refused (`would_lock_out`). */
      confirmLockout: z.boolean().optional(),
    }),
    ipRuleSchema,
    { permission: 'security.manage', mutating: true },
  ),
  'ipRules.remove': method(z.strictObject({ id, confirmLockout: z.boolean().optional() }), none, {
    permission: 'security.manage',
    mutating: true,
  }),
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
    { permission: 'audit.view', mutating: false },
  ),
  /** Open chats assigned to the caller, and the seq of the last event the snapshot already contains. */
  'chats.mine': method(
    none,
    z.strictObject({ seq: z.number().int().nonnegative(), chats: z.array(chatSummarySchema) }),
    { permission: 'chat.handle', mutating: false },
  ),
  /** Only the chat's assigned operator may write; a repeated clientMsgId returns the stored message. */
  'chat.send': method(
    z.strictObject({ chatId: id, clientMsgId, text: z.string().trim().min(1).max(5000) }),
    z.strictObject({ message: chatMessageSchema }),
    { permission: 'chat.handle', mutating: true },
  ),
  /** Presence, shown to colleagues in the same groups; offline is set by the server when the last socket closes. */
  'status.set': method(
    z.strictObject({
      status: z.enum(['online', 'away', 'busy']),
      /** False while finishing current chats: stay online but get no new ones. Unchanged when left out. */
      acceptingChats: z.boolean().optional(),
    }),
    z.strictObject({ status: operatorStatusSchema, acceptingChats: z.boolean() }),
    { permission: 'chat.handle', mutating: true },
  ),
  /** Waiting and offered chats in the caller's groups, in the order they will be served. */
  'queue.list': method(none, z.strictObject({ chats: z.array(queuedChatSchema) }), {
    permission: 'chat.handle',
    mutating: false,
  }),
  /** Takes a waiting chat of one's group or a chat offered to oneself; "already taken" if someone was quicker. */
  'chat.accept': method(z.strictObject({ chatId: id }), z.strictObject({ chat: chatSummarySchema }), {
    permission: 'chat.handle',
    mutating: true,
  }),
  /** Turns down a chat offered to the caller; it moves on to someone else. */
  'chat.decline': method(z.strictObject({ chatId: id }), none, { permission: 'chat.handle', mutating: true }),
  /**
   * Hands an assigned chat over: to an operator it is offered (and comes back if not accepted), to a
   * group it waits in that group's queue. The note is added to the chat as a system message.
   */
  'chat.transfer': method(
    z.strictObject({
      chatId: id,
      to: z.union([z.strictObject({ operatorId: id }), z.strictObject({ groupId: id })]),
      note: z.string().trim().max(1000).optional(),
    }),
    none,
    { permission: 'chat.handle', mutating: true },
  ),
  'chat.end': method(z.strictObject({ chatId: id }), none, { permission: 'chat.handle', mutating: true }),
  /** The operator is typing in the chat (or stopped): the visitor sees it. Ephemeral, never stored. */
  'chat.typing': method(z.strictObject({ chatId: id, typing: z.boolean() }), none, {
    permission: 'chat.handle',
    mutating: false,
  }),
  /** The operator has seen the chat up to this message: the visitor's messages show as read. */
  'chat.read': method(z.strictObject({ chatId: id, messageId: id }), none, {
    permission: 'chat.handle',
    mutating: false,
  }),
  /** The visitor panel: for a chat assigned or offered to the caller, or waiting in their group. */
  'chat.visitor': method(z.strictObject({ chatId: id }), visitorInfoSchema, {
    permission: 'chat.handle',
    mutating: false,
  }),
  /**
   * One masked value of one chat's visitor, for a stated reason; audited. The desktop shows it for
   * revealSeconds and keeps it nowhere, and it is never stored for replay.
   */
  'visitor.reveal': method(
    z.strictObject({
      chatId: id,
      field: prechatFieldNameSchema,
      reason: z.string().trim().min(3, 'Please say why you need to see this value.').max(500),
    }),
    z.strictObject({ value: z.string(), expiresAt: z.iso.datetime() }),
    { permission: 'visitor.reveal', mutating: true, returnsSecrets: true },
  ),
  /** Turns a chat of the caller's into a ticket with its transcript; the chat stays as it is. */
  'chat.toTicket': method(
    z.strictObject({ chatId: id, subject: z.string().trim().min(1).max(200).optional() }),
    z.strictObject({ ticket: ticketSchema }),
    { permission: 'tickets.work', mutating: true },
  ),
  /** Colleagues sharing a group with the caller (with their status) and every open group: transfer targets. */
  'team.get': method(
    none,
    z.strictObject({ operators: z.array(teamMemberSchema), groups: z.array(teamGroupSchema) }),
    { permission: 'chat.handle', mutating: false },
  ),
  /** The caller's own canned responses and the shared ones. */
  'canned.list': method(none, z.strictObject({ responses: z.array(cannedResponseSchema) }), {
    permission: 'chat.handle',
    mutating: false,
  }),
  /** Creates (without id) or changes one; shared ones need canned.manageShared. Shortcuts are unique per owner. */
  'canned.save': method(
    z.strictObject({
      id: id.optional(),
      shortcut: z
        .string()
        .trim()
        .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'A shortcut is 1–32 lower-case letters, digits, - or _.'),
      title: z.string().trim().min(1).max(100),
      text: z.string().trim().min(1).max(5000),
      shared: z.boolean(),
    }),
    cannedResponseSchema,
    { permission: 'chat.handle', mutating: true },
  ),
  'canned.remove': method(z.strictObject({ id }), none, { permission: 'chat.handle', mutating: true }),
  /** Every operator, filtered; search matches username and display name. */
  'operators.list': method(
    z.strictObject({
      search: z.string().trim().max(100).optional(),
      role: roleSchema.optional(),
      groupId: id.optional(),
      status: operatorStatusSchema.optional(),
      totpEnabled: z.boolean().optional(),
      disabled: z.boolean().optional(),
    }),
    z.strictObject({ operators: z.array(adminOperatorSchema) }),
    { permission: 'operators.view', mutating: false },
  ),
  /**
   * A new operator without a password: the result's set-up code (shown once, valid for 72 hours,
   * usable once) lets them choose one and enrol TOTP. No administrator ever knows their password.
   */
  'operators.create': method(
    z.strictObject({
      username: z
        .string()
        .trim()
        .toLowerCase()
        .regex(
          /^[a-z0-9][a-z0-9._-]{1,63}$/,
          'A username is 2–64 letters, digits, dots, dashes or underscores.',
        ),
      displayName: displayNameField,
      role: roleSchema,
      groupIds: z.array(id).max(50),
      maxConcurrentChats: maxChats.optional(),
    }),
    z.strictObject({
      operator: adminOperatorSchema,
      setupCode: z.string(),
      setupExpiresAt: z.iso.datetime(),
    }),
    { permission: 'operators.manage', mutating: true, returnsSecrets: true },
  ),
  /** Refused with `conflict` when the operator changed since `version`; nobody may demote the last admin. */
  'operators.update': method(
    z.strictObject({
      operatorId: id,
      version: z.number().int(),
      displayName: displayNameField.optional(),
      role: roleSchema.optional(),
      groupIds: z.array(id).max(50).optional(),
      maxConcurrentChats: maxChats.optional(),
    }),
    z.strictObject({ operator: adminOperatorSchema }),
    { permission: 'operators.manage', mutating: true },
  ),
  /** Disabling ends the operator's sessions; nobody may disable themselves or the last admin. */
  'operators.setDisabled': method(
    z.strictObject({ operatorId: id, disabled: z.boolean() }),
    z.strictObject({ operator: adminOperatorSchema }),
    { permission: 'operators.manage', mutating: true },
  ),
  'operators.endSessions': method(
    z.strictObject({ operatorId: id }),
    z.strictObject({ ended: z.number().int() }),
    { permission: 'sessions.manage', mutating: true },
  ),
  /** A fresh set-up code for an operator who has not used theirs; the old one stops working. */
  'operators.newSetupCode': method(
    z.strictObject({ operatorId: id }),
    z.strictObject({ setupCode: z.string(), setupExpiresAt: z.iso.datetime() }),
    { permission: 'operators.manage', mutating: true, returnsSecrets: true },
  ),
  'groups.list': method(
    z.strictObject({ includeArchived: z.boolean().optional() }),
    z.strictObject({ groups: z.array(adminGroupSchema) }),
    { permission: 'groups.view', mutating: false },
  ),
  'groups.create': method(
    groupSettings.partial().required({ name: true }),
    z.strictObject({ group: adminGroupSchema }),
    { permission: 'groups.manage', mutating: true },
  ),
  /** Refused with `conflict` when the group changed since `version`. */
  'groups.update': method(
    groupSettings.partial().extend({ groupId: id, version: z.number().int() }),
    z.strictObject({ group: adminGroupSchema }),
    { permission: 'groups.manage', mutating: true },
  ),
  /** Archived groups take no new chats; their history stays. */
  'groups.setArchived': method(
    z.strictObject({ groupId: id, archived: z.boolean() }),
    z.strictObject({ group: adminGroupSchema }),
    { permission: 'groups.manage', mutating: true },
  ),
} as const;

export const operatorEvents = {
  'session.revoked': z.strictObject({ sessionId: z.string(), reason: z.string() }),
  /** A message in a chat assigned to this operator, from anyone, including the operator's own. */
  'chat.message': z.strictObject({ message: chatMessageSchema }),
  /** Personal data was erased: drop these records from every local copy at once. */
  'data.erased': z.strictObject({ chatIds: z.array(z.string()), ticketIds: z.array(z.string()) }),
  /** A colleague sharing a group with this operator (or the operator themself) changed status. */
  'operator.status': z.strictObject({
    operatorId: z.string(),
    displayName: z.string(),
    status: operatorStatusSchema,
    acceptingChats: z.boolean(),
  }),
  /** Something changed in this group's queue: fetch queue.list again. */
  'queue.changed': z.strictObject({ groupId: z.string() }),
  /** A chat rings at this operator until expiresAt; a transfer carries the colleague's note. */
  'chat.offered': z.strictObject({
    chat: queuedChatSchema,
    expiresAt: z.iso.datetime(),
    transferNote: z.string().nullable(),
  }),
  /** The chat is now this operator's. */
  'chat.assigned': z.strictObject({ chat: chatSummarySchema }),
  /** The visitor corrected their details: the chat's name as the masking rules show it. */
  'chat.visitorChanged': z.strictObject({ chatId: z.string(), visitorName: z.string() }),
  /** The chat is no longer this operator's: it was handed over. */
  'chat.unassigned': z.strictObject({ chatId: z.string() }),
  'chat.closed': z.strictObject({ chatId: z.string(), outcome: z.enum(['answered', 'missed', 'abandoned']) }),
} as const;

/**
 * Signals: live-only notes (typing) that are worth nothing a moment later. They carry no seq, are
 * never stored or replayed, and may be lost with a connection.
 */
export const operatorSignals = {
  /** The visitor of a chat assigned to this operator is typing (or stopped). */
  'visitor.typing': z.strictObject({ chatId: z.string(), typing: z.boolean() }),
} as const;
export type OperatorSignal = keyof typeof operatorSignals;
export type OperatorSignalPayload<S extends OperatorSignal> = z.output<(typeof operatorSignals)[S]>;

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
    /** Idempotency key for a mutating method: the same id is applied at most once per operator. */
    actionId: z.string().min(8).max(64).optional(),
  }),
  z.strictObject({
    type: z.literal('hello'),
    protocolVersion: z.number().int(),
    /** The highest event seq this client has applied, when resuming; without it, live events only. */
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
  /** The replay after hello{lastSeq} is complete: the client is up to seq, live events follow. */
  z.strictObject({ type: z.literal('resumed'), seq: z.number().int().nonnegative() }),
  /**
   * The server cannot replay from hello's lastSeq (it is ahead of the server, or those events are
   * no longer kept): fetch a snapshot. Live events after seq follow.
   */
  z.strictObject({ type: z.literal('snapshot_required'), seq: z.number().int().nonnegative() }),
  /** A live-only note, see operatorSignals. */
  z.strictObject({ type: z.literal('signal'), signal: z.string(), payload: z.unknown() }),
  /** A frame that cannot be answered by id (not JSON, unknown type): the socket stays open. */
  z.strictObject({ type: z.literal('error'), error: parleyErrorSchema }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
