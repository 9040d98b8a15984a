import { ParleyError } from '../../../protocol/errors';
import {
  operatorMethods,
  type OperatorMethod,
  type OperatorParamsInput,
  type OperatorResult,
} from '../../../protocol/operator-socket';
import type { Connection } from '../realtime/connection';
import { newActionId } from '../realtime/outbox';

export type OperatorCall = <M extends OperatorMethod>(
  method: M,
  params: OperatorParamsInput<M>,
) => Promise<OperatorResult<M>>;

/**
 * Direct requests on the live socket, for what the operator does and must see succeed or fail now
 * (accepting a chat is no use an hour later, unlike a message in the outbox). Mutating methods carry
 * a fresh actionId so the server applies a repeated frame once. The server's refusals ("already
 * taken") pass through unchanged; its answers are parsed like every other boundary.
 */
export function createOperatorCall(connection: Pick<Connection, 'isReady' | 'request'>): OperatorCall {
  return async (method, params) => {
    if (!connection.isReady()) {
      throw new ParleyError('unreachable', 'You are offline. Parley reconnects by itself; try again then.');
    }
    const spec = operatorMethods[method];
    const raw = await connection.request(method, params, spec.mutating ? newActionId() : undefined);
    const result = spec.result.safeParse(raw);
    if (!result.success) {
      throw new ParleyError(
        'version_mismatch',
        'The server answered in a format this version of Parley does not know.',
      );
    }
    return result.data as OperatorResult<typeof method>;
  };
}
