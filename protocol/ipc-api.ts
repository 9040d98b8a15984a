import {
  ipcEventEnvelopeSchema,
  ipcEvents,
  ipcMethods,
  ipcResponseSchema,
  type IpcEvent,
  type IpcRequest,
  type ParleyApi,
} from './ipc';

/** How a host carries the contract: Electron IPC in preload/, a loopback websocket in the browser. */
export interface IpcTransport {
  invoke(request: IpcRequest): Promise<unknown>;
  /** Delivers every raw event envelope; returns the unsubscribe function. */
  subscribe(listener: (envelope: unknown) => void): () => void;
}

/**
 * Builds window.parley from the contract. Methods reject with plain ParleyErrorData objects
 * (not Error instances) because Electron's contextBridge drops custom properties of errors.
 */
export function buildParleyApi(transport: IpcTransport): ParleyApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const [name, { result }] of Object.entries(ipcMethods)) {
    const [namespace, member] = name.split('.') as [string, string];
    api[namespace] ??= {};
    api[namespace][member] = async (args?: unknown) => {
      const response = ipcResponseSchema.safeParse(await transport.invoke({ method: name, args }));
      if (!response.success) {
        throw { code: 'internal', message: `Malformed response to ${name}` };
      }
      if (!response.data.ok) throw response.data.error;
      const value = result.safeParse(response.data.value);
      if (!value.success) throw { code: 'internal', message: `Unexpected result from ${name}` };
      return value.data;
    };
  }

  function on(event: IpcEvent, listener: (payload: unknown) => void): () => void {
    const schema = ipcEvents[event];
    return transport.subscribe((raw) => {
      const envelope = ipcEventEnvelopeSchema.safeParse(raw);
      if (!envelope.success || envelope.data.event !== event) return;
      const payload = schema.safeParse(envelope.data.payload);
      if (payload.success) listener(payload.data);
    });
  }

  return { ...api, on } as unknown as ParleyApi;
}
