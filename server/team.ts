import type { OperatorResult } from '../protocol/operator-socket';
import type { ServerContext } from './context';

/**
 * team.get: the colleagues who share a group with the operator (and the operator), with status,
 * and every open group: who and where a chat can be handed over to.
 */
export async function teamOf(ctx: ServerContext, operatorId: string): Promise<OperatorResult<'team.get'>> {
  const colleagues = await ctx.db
    .selectFrom('operators')
    .select(['id', 'display_name', 'status', 'accepting_chats'])
    .where('disabled', '=', false)
    .where((eb) =>
      eb.or([
        eb('id', '=', operatorId),
        eb(
          'id',
          'in',
          eb
            .selectFrom('operator_groups as theirs')
            .innerJoin('operator_groups as mine', 'mine.group_id', 'theirs.group_id')
            .where('mine.operator_id', '=', operatorId)
            .select('theirs.operator_id'),
        ),
      ]),
    )
    .orderBy('display_name')
    .execute();
  const memberships = await ctx.db
    .selectFrom('operator_groups')
    .select(['operator_id', 'group_id'])
    .where(
      'operator_id',
      'in',
      colleagues.map((operator) => operator.id),
    )
    .execute();
  const groups = await ctx.db
    .selectFrom('groups')
    .select(['id', 'name'])
    .where('archived', '=', false)
    .orderBy('name')
    .execute();
  return {
    operators: colleagues.map((operator) => ({
      id: operator.id,
      displayName: operator.display_name,
      status: operator.status,
      acceptingChats: operator.accepting_chats,
      groupIds: memberships.filter((row) => row.operator_id === operator.id).map((row) => row.group_id),
    })),
    groups,
  };
}
