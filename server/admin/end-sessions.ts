import { revokeSessions } from '../auth/sessions';
import type { ServerContext } from '../context';
import type { Caller, SocketEffects } from '../operator-methods';

/** Ends sessions on an operator's word and closes their sockets; returns the ids that were live. */
export async function endSessionsByAdmin(
  ctx: ServerContext,
  caller: Caller,
  effects: SocketEffects,
  where: Parameters<typeof revokeSessions>[2],
): Promise<string[]> {
  const ended = await revokeSessions(ctx.db, ctx.clock, where, 'ended by ' + caller.operator.username);
  await effects.endSessions(ended, 'ended by an administrator');
  return ended;
}
