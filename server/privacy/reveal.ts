import { ParleyError } from '../../protocol/errors';
import { revealSeconds } from '../../protocol/masking';
import type { OperatorParams, OperatorResult } from '../../protocol/operator-socket';
import { auditCaller } from '../caller-audit';
import type { ServerContext } from '../context';
import type { Caller } from '../operator-methods';
import { chatVisibleTo } from '../visitors/visitor-info';
import { maskOf, visitorValues } from './masking';

/**
 * visitor.reveal: one masked value of one chat, for a stated reason. The audit entry names the
 * chat, the field and the reason, never the value; the desktop forgets the value at expiresAt.
 */
export async function revealValue(
  ctx: ServerContext,
  caller: Caller,
  params: OperatorParams<'visitor.reveal'>,
): Promise<OperatorResult<'visitor.reveal'>> {
  const chat = await chatVisibleTo(ctx, caller.operator, params.chatId);
  const value = visitorValues(chat)[params.field]?.trim();
  if (!value) throw new ParleyError('not_found', 'The visitor did not give this.');
  const mask = await maskOf(ctx, chat);
  if (!mask.masked.includes(params.field)) {
    throw new ParleyError('invalid_request', 'This value is not masked in this chat.');
  }
  await auditCaller(ctx, caller, 'visitor.revealed', chat.id, { field: params.field, reason: params.reason });
  const expiresAt = new Date(ctx.clock.now().getTime() + revealSeconds * 1000);
  return { value, expiresAt: expiresAt.toISOString() };
}
