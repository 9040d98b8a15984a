import { z } from 'zod';
import { operatorProfileSchema } from './auth';
import {
  cannedResponseSchema,
  chatSummarySchema,
  operatorMethods,
  operatorStatusSchema,
  type OperatorMethod,
  queuedChatSchema,
  teamGroupSchema,
  teamMemberSchema,
  visitorInfoSchema,
} from './operator-socket';
import { serverProfileSchema } from './desktop-policy';
import { parleyErrorSchema } from './errors';
import { permissionSchema } from './roles';

/**
 * The desktop IPC contract: one map of method → {args, result} and one of event → payload.
 * main/ registers exactly these methods, preload/ and the browser bridge generate window.parley
 * from them, and every argument is parsed against them before a handler runs.
 */

export const languageSchema = z.enum(['en', 'de']);
export type Language = z.infer<typeof languageSchema>;

export const soundSchema = z.enum(['none', 'chime', 'bell', 'tick']);
export type Sound = z.infer<typeof soundSchema>;

const attentionRuleSchema = z.strictObject({ notify: z.boolean(), sound: soundSchema });

/** How Parley gets the operator's attention: per event a notification and a sound. */
export const attentionSettingsSchema = z.strictObject({
  /** A chat is offered to me or waits in my queue. */
  newChat: attentionRuleSchema,
  /** A visitor writes in one of my chats that is not in front of me. */
  newMessage: attentionRuleSchema,
  /** Ring again every so many seconds until someone acts; 0 rings once. */
  repeatSeconds: z.union([z.literal(0), z.literal(15), z.literal(30), z.literal(60)]),
  /** No notifications and no sounds; the badge still counts. */
  doNotDisturb: z.boolean(),
});
export type AttentionSettings = z.infer<typeof attentionSettingsSchema>;

export const settingsSchema = z.strictObject({
  language: z.enum(['system', ...languageSchema.options]),
  theme: z.enum(['system', 'light', 'dark']),
  /** Lock after this many minutes without input anywhere on the system; 0 turns auto-lock off. */
  autoLockMinutes: z.number().int().min(0).max(240),
  /** Switch to away after this many idle minutes (and back on return); 0 turns it off. */
  autoAwayMinutes: z.number().int().min(0).max(240),
  attention: attentionSettingsSchema,
});
export type Settings = z.infer<typeof settingsSchema>;
export const defaultSettings: Settings = {
  language: 'system',
  theme: 'system',
  autoLockMinutes: 10,
  autoAwayMinutes: 5,
  attention: {
    newChat: { notify: true, sound: 'chime' },
    newMessage: { notify: true, sound: 'tick' },
    repeatSeconds: 30,
    doNotDisturb: false,
  },
};

export const appInfoSchema = z.strictObject({
  name: z.literal('Parley'),
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** Where the desktop's sign-in stands; the renderer shows exactly one screen per status. */
export const authStateSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('signed_out'), error: parleyErrorSchema.optional() }),
  z.strictObject({ status: z.literal('signing_in'), server: z.string() }),
  z.strictObject({
    status: z.literal('second_factor'),
    server: z.string(),
    username: z.string(),
    error: parleyErrorSchema.optional(),
  }),
  z.strictObject({
    status: z.literal('enrol_totp'),
    server: z.string(),
    username: z.string(),
    secret: z.string(),
    otpauthUri: z.string(),
    /** An SVG data: URL of the QR code for otpauthUri. */
    qrCode: z.string(),
    error: parleyErrorSchema.optional(),
  }),
  /** Shown once, right after enrolment, until the operator confirms they saved them. */
  z.strictObject({ status: z.literal('recovery_codes'), server: z.string(), codes: z.array(z.string()) }),
  z.strictObject({
    status: z.literal('signed_in'),
    server: z.string(),
    /** Where visitors' browsers reach this server (scheme, host, port): the widget's embed code needs it. */
    serverOrigin: z.string(),
    operator: operatorProfileSchema,
    permissions: z.array(permissionSchema),
  }),
  z.strictObject({
    status: z.literal('locked'),
    server: z.string(),
    username: z.string(),
    reason: z.enum(['idle', 'screen_locked', 'manual']),
    error: parleyErrorSchema.optional(),
  }),
]);
export type AuthState = z.infer<typeof authStateSchema>;

export const connectionStatusSchema = z.strictObject({
  state: z.enum(['offline', 'connecting', 'online', 'reconnecting']),
  since: z.iso.datetime(),
  /** When the next reconnect attempt is due, while reconnecting. */
  nextAttemptAt: z.iso.datetime().optional(),
  lastError: parleyErrorSchema.optional(),
});
export type ConnectionStatus = z.infer<typeof connectionStatusSchema>;

export const noticeSchema = z.strictObject({
  kind: z.enum([
    'cache_rebuilt',
    'cache_unavailable',
    'policy_invalid',
    'session_ended',
    'server_misbehaved',
    'action_failed',
  ]),
  message: z.string(),
});
export type Notice = z.infer<typeof noticeSchema>;

/** A message the operator wrote that the server has not acknowledged yet (it is in the outbox). */
export const pendingMessageSchema = z.strictObject({
  clientMsgId: z.string(),
  chatId: z.string(),
  text: z.string(),
  createdAt: z.iso.datetime(),
});
export type PendingMessage = z.infer<typeof pendingMessageSchema>;

/** A chat ringing at this operator until expiresAt. */
export const chatOfferSchema = z.strictObject({
  chat: queuedChatSchema,
  expiresAt: z.iso.datetime(),
  transferNote: z.string().nullable(),
});
export type ChatOffer = z.infer<typeof chatOfferSchema>;

export const myStatusSchema = z.strictObject({
  status: operatorStatusSchema,
  acceptingChats: z.boolean(),
  /** Set by Parley after system idle (autoAwayMinutes); it switches back on return. */
  automatic: z.boolean(),
});
export type MyStatus = z.infer<typeof myStatusSchema>;

/** What the renderer should do to get the operator's attention; main has already notified natively in Electron. */
export const attentionSchema = z.strictObject({
  kind: z.enum(['new_chat', 'new_message']),
  chatId: z.string(),
  title: z.string(),
  body: z.string(),
  /** Show a notification (the browser host shows a web notification; Electron has shown its own). */
  notify: z.boolean(),
  sound: soundSchema,
  /** A repeat of an earlier ring for the same thing, nobody having acted. */
  repeat: z.boolean(),
});
export type Attention = z.infer<typeof attentionSchema>;

const chatId = z.string().min(1).max(100);

const newProfileSchema = serverProfileSchema.omit({ id: true }).extend({ id: z.string().max(64).optional() });

const noArgs = z.undefined();

function method<A extends z.ZodType, R extends z.ZodType>(args: A, result: R) {
  return { args, result };
}

/**
 * Administration passes straight through to the server under the server's own names: the same
 * params and result, and the server's refusals unchanged. The server checks every permission.
 */
export const adminPassthroughMethods = [
  'operators.list',
  'operators.create',
  'operators.update',
  'operators.setDisabled',
  'operators.endSessions',
  'operators.newSetupCode',
  'operators.resetTotp',
  'groups.list',
  'groups.create',
  'groups.update',
  'groups.setArchived',
  'privacy.search',
  'privacy.erase',
  'privacy.export',
  'retention.get',
  'retention.update',
  'policy.get',
  'policy.update',
  'ipRules.list',
  'ipRules.add',
  'ipRules.remove',
  'sessions.list',
  'sessions.revoke',
  'audit.list',
] as const satisfies readonly OperatorMethod[];
export type AdminPassthroughMethod = (typeof adminPassthroughMethods)[number];

type PassthroughSpecs = {
  [M in AdminPassthroughMethod]: {
    args: (typeof operatorMethods)[M]['params'];
    result: (typeof operatorMethods)[M]['result'];
  };
};

const adminIpcMethods = Object.fromEntries(
  adminPassthroughMethods.map((name) => [
    name,
    method(operatorMethods[name].params, operatorMethods[name].result),
  ]),
) as PassthroughSpecs;

export const ipcMethods = {
  ...adminIpcMethods,
  'app.info': method(noArgs, appInfoSchema),
  /** The renderer reports input (throttled); the browser host has no system idle time otherwise. */
  'app.activity': method(noArgs, z.strictObject({})),
  'settings.get': method(noArgs, settingsSchema),
  'settings.update': method(settingsSchema.partial().strict(), settingsSchema),
  'profiles.list': method(
    noArgs,
    z.strictObject({
      profiles: z.array(serverProfileSchema),
      allowLocalWorkspace: z.boolean(),
      /** Set when the admin policy file is broken: Parley then refuses every connection. */
      policyError: z.string().optional(),
    }),
  ),
  'profiles.remove': method(z.strictObject({ id: z.string().max(64) }), z.strictObject({})),
  'auth.state': method(noArgs, authStateSchema),
  'auth.signIn': method(
    z.strictObject({
      profile: newProfileSchema,
      /** "Remember this server": keeps the profile, never the password. */
      remember: z.boolean(),
      username: z.string().trim().min(1).max(64),
      password: z.string().min(1).max(1024),
    }),
    authStateSchema,
  ),
  /** A new operator's first sign-in: the set-up code from their admin and the password they choose. */
  'auth.setup': method(
    z.strictObject({
      profile: newProfileSchema,
      remember: z.boolean(),
      username: z.string().trim().min(1).max(64),
      code: z.string().trim().min(20).max(200),
      password: z.string().min(1).max(1024),
    }),
    authStateSchema,
  ),
  'auth.submitCode': method(z.strictObject({ code: z.string().trim().min(6).max(40) }), authStateSchema),
  'auth.confirmEnrolment': method(
    z.strictObject({ code: z.string().trim().min(6).max(10) }),
    authStateSchema,
  ),
  'auth.acknowledgeRecoveryCodes': method(noArgs, authStateSchema),
  'auth.lock': method(noArgs, authStateSchema),
  'auth.unlock': method(
    z.strictObject({ password: z.string().min(1).max(1024), code: z.string().trim().max(40).optional() }),
    authStateSchema,
  ),
  'auth.signOut': method(z.strictObject({ forgetDevice: z.boolean() }), authStateSchema),
  'connection.status': method(noArgs, connectionStatusSchema),
  'chats.list': method(
    noArgs,
    z.strictObject({ chats: z.array(chatSummarySchema), pending: z.array(pendingMessageSchema) }),
  ),
  'chats.send': method(
    z.strictObject({ chatId: z.string().min(1).max(100), text: z.string().trim().min(1).max(5000) }),
    pendingMessageSchema,
  ),
  /** Waiting chats in my groups (served first at the top) and the chats ringing at me. */
  'queue.list': method(
    noArgs,
    z.strictObject({ chats: z.array(queuedChatSchema), offers: z.array(chatOfferSchema) }),
  ),
  /** Needs a live connection: "already taken" and other refusals come back as errors. */
  'chats.accept': method(z.strictObject({ chatId }), z.strictObject({})),
  /** Accepts the chat that has waited longest (an offer to me first). */
  'chats.acceptNext': method(noArgs, z.strictObject({ chatId: z.string().nullable() })),
  'chats.decline': method(z.strictObject({ chatId }), z.strictObject({})),
  'chats.transfer': method(operatorMethods['chat.transfer'].params, z.strictObject({})),
  'chats.end': method(z.strictObject({ chatId }), z.strictObject({})),
  /** Closes the tab of an ended chat: it leaves my chats on this desktop. An open chat is refused. */
  'chats.dismiss': method(z.strictObject({ chatId }), z.strictObject({})),
  'chats.toTicket': method(
    operatorMethods['chat.toTicket'].params,
    z.strictObject({ ticketNumber: z.number() }),
  ),
  'chats.typing': method(z.strictObject({ chatId, typing: z.boolean() }), z.strictObject({})),
  /**
   * The chat in front of the operator (null: none, or the window is in the background). Parley
   * does not ring for it and marks it read.
   */
  'chats.focus': method(z.strictObject({ chatId: chatId.nullable() }), z.strictObject({})),
  'chats.visitor': method(z.strictObject({ chatId }), visitorInfoSchema),
  /** One masked visitor value, for a reason; the answer is never cached on this desktop. */
  'chats.reveal': method(operatorMethods['visitor.reveal'].params, operatorMethods['visitor.reveal'].result),
  'team.get': method(
    noArgs,
    z.strictObject({ operators: z.array(teamMemberSchema), groups: z.array(teamGroupSchema) }),
  ),
  'status.get': method(noArgs, myStatusSchema),
  'status.set': method(operatorMethods['status.set'].params, myStatusSchema),
  'canned.list': method(noArgs, z.strictObject({ responses: z.array(cannedResponseSchema) })),
  'canned.save': method(operatorMethods['canned.save'].params, cannedResponseSchema),
  'canned.remove': method(z.strictObject({ id: z.string().min(1).max(100) }), z.strictObject({})),
  'workspace.status': method(noArgs, z.strictObject({ exists: z.boolean(), running: z.boolean() })),
  /** Starts the embedded server; creates its first admin when the workspace is new. */
  'workspace.start': method(
    z.strictObject({
      admin: z
        .strictObject({
          username: z.string().trim().min(2).max(64),
          displayName: z.string().trim().min(1).max(80),
          password: z.string().min(1).max(1024),
        })
        .optional(),
    }),
    serverProfileSchema,
  ),
} as const;

export const ipcEvents = {
  'settings.changed': settingsSchema,
  'auth.changed': authStateSchema,
  'connection.changed': connectionStatusSchema,
  notice: noticeSchema,
  /** The cached chats or the outbox changed: fetch chats.list again. */
  'chats.changed': z.strictObject({}),
  /** The queue or my offers changed: fetch queue.list again. */
  'queue.changed': z.strictObject({}),
  /** A colleague's status changed: fetch team.get again. */
  'team.changed': z.strictObject({}),
  'status.changed': myStatusSchema,
  /** The visitor of one of my chats corrected their details: fetch chats.visitor again. */
  'chats.visitorChanged': z.strictObject({ chatId: z.string() }),
  /** The visitor of one of my chats started or stopped typing. */
  'chats.typing': z.strictObject({ chatId: z.string(), typing: z.boolean() }),
  /** The operator clicked a native notification about this chat: bring it to the front. */
  'chats.reveal': z.strictObject({ chatId: z.string() }),
  attention: attentionSchema,
  /** How many chats wait for me to act (offers, unread chats): the dock/taskbar badge. */
  badge: z.strictObject({ count: z.number().int().nonnegative() }),
} as const;

export type IpcMethod = keyof typeof ipcMethods;
export type IpcEvent = keyof typeof ipcEvents;
export type IpcArgs<M extends IpcMethod> = z.input<(typeof ipcMethods)[M]['args']>;
export type IpcResult<M extends IpcMethod> = z.output<(typeof ipcMethods)[M]['result']>;
export type IpcEventPayload<E extends IpcEvent> = z.output<(typeof ipcEvents)[E]>;

export function isIpcMethod(name: string): name is IpcMethod {
  return Object.hasOwn(ipcMethods, name);
}

/** Channel names, shared by main/index.ts and preload/ so they cannot drift apart. */
export const ipcChannels = { invoke: 'parley:invoke', event: 'parley:event' } as const;

export const ipcRequestSchema = z.strictObject({
  method: z.string().max(100),
  args: z.unknown().optional(),
});
export type IpcRequest = z.infer<typeof ipcRequestSchema>;

export const ipcResponseSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: parleyErrorSchema }),
]);
export type IpcResponse = z.infer<typeof ipcResponseSchema>;

export const ipcEventEnvelopeSchema = z.strictObject({
  event: z.string(),
  payload: z.unknown(),
});
export type IpcEventEnvelope = z.infer<typeof ipcEventEnvelopeSchema>;

// window.parley, derived from the contract: 'settings.update' becomes parley.settings.update(args).
type NamespaceOf<M> = M extends `${infer N}.${string}` ? N : never;
type MemberOf<M, N extends string> = M extends `${N}.${infer Member}` ? Member : never;
type ApiFunction<M extends IpcMethod> =
  undefined extends IpcArgs<M>
    ? (args?: IpcArgs<M>) => Promise<IpcResult<M>>
    : (args: IpcArgs<M>) => Promise<IpcResult<M>>;

export type ParleyApi = {
  [N in NamespaceOf<IpcMethod>]: {
    [Member in MemberOf<IpcMethod, N>]: `${N}.${Member}` extends IpcMethod
      ? ApiFunction<`${N}.${Member}`>
      : never;
  };
} & {
  /** Subscribes to a main → renderer event; returns the unsubscribe function. */
  on<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void;
};

/** Frames of the browser host's loopback websocket, which carries the same contract as Electron IPC. */
export const bridgeCallSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  request: z.unknown(),
});
export type BridgeCall = z.infer<typeof bridgeCallSchema>;

export const bridgeServerFrameSchema = z.union([
  z.strictObject({ id: z.number().int().nonnegative().nullable(), response: ipcResponseSchema }),
  ipcEventEnvelopeSchema,
]);
export type BridgeServerFrame = z.infer<typeof bridgeServerFrameSchema>;

export const bridgePath = '/__parley/ipc';
