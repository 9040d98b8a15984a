import { ParleyError } from '../../protocol/errors';
import type { QueuedChat } from '../../protocol/operator-socket';
import type { ServerContext } from '../context';
import { maskerFor } from '../privacy/masking';
import { toQueuedChat } from './routing';

/*
 * Read-only views of the queues: the list operators see and the position a visitor is shown.
 */

/** How many recent accepts the wait estimate averages over. */
const acceptSampleSize = 20;

/** The guess while a group has no accepted chats to learn from yet. */
const fallbackSecondsToAccept = 60;

/** queue.list: waiting and offered chats in the operator's groups, in the order they are served. */
export async function listQueue(ctx: ServerContext, operatorId: string): Promise<QueuedChat[]> {
  const chats = await ctx.db
    .selectFrom('chats')
    .innerJoin('operator_groups', 'operator_groups.group_id', 'chats.group_id')
    .selectAll('chats')
    .where('operator_groups.operator_id', '=', operatorId)
    .where('chats.queue_state', 'in', ['waiting', 'offered'])
    .orderBy('chats.priority', 'desc')
    .orderBy('chats.queued_at')
    .orderBy('chats.id')
    .execute();
  const mask = await maskerFor(ctx, chats);
  return chats.map((chat) => toQueuedChat(chat, mask(chat)));
}

export interface QueuePosition {
  /** 1 for the chat served next. */
  position: number;
  estimatedWaitSeconds: number;
}

/**
 * Where a queued chat stands, for the visitor: chats not yet accepted that go before it (higher
 * priority, or equal and queued earlier), and a wait estimate of position × the group's recent
 * average time to accept ÷ the operators available to share the queue.
 */
export async function queuePosition(ctx: ServerContext, chatId: string): Promise<QueuePosition> {
  const chat = await ctx.db
    .selectFrom('chats')
    .select(['id', 'group_id', 'priority', 'queued_at', 'queue_state'])
    .where('id', '=', chatId)
    .executeTakeFirst();
  if (!chat) throw new ParleyError('not_found', 'There is no such chat.');
  const { group_id: groupId, queued_at: queuedAt } = chat;
  if (
    groupId === null ||
    queuedAt === null ||
    (chat.queue_state !== 'waiting' && chat.queue_state !== 'offered')
  ) {
    throw new ParleyError('conflict', 'This chat is not waiting in a queue.');
  }

  const ahead = await ctx.db
    .selectFrom('chats')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('group_id', '=', groupId)
    .where('queue_state', 'in', ['waiting', 'offered'])
    // A chat being handed over to a colleague is not waiting in line.
    .where('operator_id', 'is', null)
    .where((eb) =>
      eb.or([
        eb('priority', '>', chat.priority),
        eb.and([
          eb('priority', '=', chat.priority),
          eb.or([
            eb('queued_at', '<', queuedAt),
            eb.and([eb('queued_at', '=', queuedAt), eb('id', '<', chat.id)]),
          ]),
        ]),
      ]),
    )
    .executeTakeFirstOrThrow();
  const position = Number(ahead.count) + 1;

  const secondsToAccept = await averageSecondsToAccept(ctx, groupId);
  const available = await availableOperatorCount(ctx, groupId);
  return { position, estimatedWaitSeconds: estimateWait(position, secondsToAccept, available) };
}

function estimateWait(position: number, secondsToAccept: number, available: number): number {
  return Math.round((position * secondsToAccept) / Math.max(1, available));
}

/**
 * Every queued chat's place in the group's queue, in three queries however long the queue is: what
 * the visitor socket sends its waiting visitors when the queue moves.
 */
export async function queuePositions(
  ctx: ServerContext,
  groupId: string,
): Promise<Map<string, QueuePosition>> {
  const queued = await ctx.db
    .selectFrom('chats')
    .select('id')
    .where('group_id', '=', groupId)
    .where('queue_state', 'in', ['waiting', 'offered'])
    .where('operator_id', 'is', null)
    .orderBy('priority', 'desc')
    .orderBy('queued_at')
    .orderBy('id')
    .execute();
  const secondsToAccept = await averageSecondsToAccept(ctx, groupId);
  const available = await availableOperatorCount(ctx, groupId);
  return new Map(
    queued.map((chat, index) => [
      chat.id,
      { position: index + 1, estimatedWaitSeconds: estimateWait(index + 1, secondsToAccept, available) },
    ]),
  );
}

/** Members of the group who are online and accept new chats: 0 means the widget offers the offline form. */
export async function availableOperatorCount(ctx: ServerContext, groupId: string): Promise<number> {
  const available = await ctx.db
    .selectFrom('operators')
    .innerJoin('operator_groups', 'operator_groups.operator_id', 'operators.id')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('operator_groups.group_id', '=', groupId)
    .where('operators.status', '=', 'online')
    .where('operators.accepting_chats', '=', true)
    .where('operators.disabled', '=', false)
    .executeTakeFirstOrThrow();
  return Number(available.count);
}

/** Mean time from joining the queue to being accepted, over the group's latest accepted chats. */
async function averageSecondsToAccept(ctx: ServerContext, groupId: string): Promise<number> {
  const accepted = await ctx.db
    .selectFrom('chat_offers')
    .innerJoin('chats', 'chats.id', 'chat_offers.chat_id')
    .select(['chat_offers.decided_at', 'chats.queued_at'])
    .where('chats.group_id', '=', groupId)
    .where('chat_offers.outcome', '=', 'accepted')
    .orderBy('chat_offers.decided_at', 'desc')
    .limit(acceptSampleSize)
    .execute();
  const waits = accepted.flatMap((row) =>
    row.decided_at && row.queued_at ? [(row.decided_at.getTime() - row.queued_at.getTime()) / 1000] : [],
  );
  if (waits.length === 0) return fallbackSecondsToAccept;
  return waits.reduce((sum, wait) => sum + wait, 0) / waits.length;
}
