import { z } from 'zod';
import { parleyErrorSchema } from './errors';

/**
 * The desktop IPC contract: one map of method → {args, result} and one of event → payload.
 * main/ registers exactly these methods, preload/ and the browser bridge generate window.parley
 * from them, and every argument is parsed against them before a handler runs.
 */

export const languageSchema = z.enum(['en', 'de']);
export type Language = z.infer<typeof languageSchema>;

export const settingsSchema = z.strictObject({
  language: z.enum(['system', ...languageSchema.options]),
  theme: z.enum(['system', 'light', 'dark']),
});
export type Settings = z.infer<typeof settingsSchema>;
export const defaultSettings: Settings = { language: 'system', theme: 'system' };

export const appInfoSchema = z.strictObject({
  name: z.literal('Parley'),
  version: z.string(),
  host: z.enum(['electron', 'browser']),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

const noArgs = z.undefined();

function method<A extends z.ZodType, R extends z.ZodType>(args: A, result: R) {
  return { args, result };
}

export const ipcMethods = {
  'app.info': method(noArgs, appInfoSchema),
  'settings.get': method(noArgs, settingsSchema),
  'settings.update': method(settingsSchema.partial().strict(), settingsSchema),
} as const;

export const ipcEvents = {
  'settings.changed': settingsSchema,
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
