import { ParleyError, describeIssues, type ParleyErrorData } from '../../protocol/errors';
import {
  ipcMethods,
  ipcRequestSchema,
  isIpcMethod,
  type IpcArgs,
  type IpcMethod,
  type IpcResponse,
  type IpcResult,
} from '../../protocol/ipc';
import type { Logger } from './ports';

export type IpcHandlers = {
  [M in IpcMethod]: (args: IpcArgs<M>) => Promise<IpcResult<M>> | IpcResult<M>;
};

/** Who sent a call: the URL of the frame (Electron) or the verified page origin (browser host). */
export interface IpcSender {
  url: string | undefined;
}

/**
 * The one place that checks senders and parses arguments. Every outcome is an IpcResponse:
 * a bad call is answered with a typed error and logged, never thrown into the void.
 */
export function createIpcRouter(options: {
  handlers: IpcHandlers;
  isTrustedSender: (url: string) => boolean;
  log: Logger;
}) {
  const { handlers, isTrustedSender, log } = options;

  function refuse(data: ParleyErrorData, fields: Record<string, unknown>): IpcResponse {
    log.warn(`ipc refused: ${data.code}`, { ...fields, reason: data.message });
    return { ok: false, error: data };
  }

  async function dispatch(request: unknown, sender: IpcSender): Promise<IpcResponse> {
    if (sender.url === undefined || !isTrustedSender(sender.url)) {
      return refuse(
        { code: 'untrusted_sender', message: 'This call did not come from the Parley window.' },
        { sender: sender.url ?? '(none)' },
      );
    }
    const envelope = ipcRequestSchema.safeParse(request);
    if (!envelope.success) {
      return refuse({ code: 'invalid_request', message: describeIssues(envelope.error) }, {});
    }
    const { method } = envelope.data;
    if (!isIpcMethod(method)) {
      return refuse(
        { code: 'unknown_method', message: `There is no method called "${method}".` },
        { method },
      );
    }
    const args = ipcMethods[method].args.safeParse(envelope.data.args);
    if (!args.success) {
      return refuse(
        {
          code: 'invalid_request',
          message: `Invalid arguments for ${method}: ${describeIssues(args.error)}`,
        },
        { method },
      );
    }
    try {
      const handler = handlers[method] as (args: unknown) => unknown;
      return { ok: true, value: await handler(args.data) };
    } catch (error) {
      if (error instanceof ParleyError) return { ok: false, error: error.toData() };
      log.error(`ipc handler failed: ${method}`, { error: String(error) });
      return { ok: false, error: { code: 'internal', message: `${method} failed unexpectedly.` } };
    }
  }

  return { dispatch };
}

export type IpcRouter = ReturnType<typeof createIpcRouter>;
