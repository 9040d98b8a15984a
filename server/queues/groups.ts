import { randomUUID } from 'node:crypto';
import { ParleyError } from '../../protocol/errors';
import type { MaskingRules } from '../../protocol/masking';
import type { BusinessHours } from '../../protocol/operator-socket';
import type { PrechatFieldsConfig, PrivacyNotice, WidgetSettings } from '../../protocol/visitor-socket';
import type { ServerContext } from '../context';
import type { Group } from '../storage/schema';

/*
 * Groups own the queues: each group has one, with its routing mode and ring timeout. Set-up code,
 * tests and the administration methods (server/admin/groups.ts) create them here.
 */

export interface NewGroup {
  name: string;
  routingMode?: Group['routing_mode'];
  ringTimeoutSeconds?: number;
  defaultMaxChats?: number;
  /** Left out: the defaults from the migration. */
  businessHours?: BusinessHours | null;
  prechatFields?: PrechatFieldsConfig;
  widget?: WidgetSettings;
  privacyNotice?: PrivacyNotice;
  masking?: MaskingRules;
}

const json = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));

export async function createGroup(ctx: ServerContext, input: NewGroup): Promise<Group> {
  const name = input.name.trim();
  if (name === '') throw new ParleyError('invalid_request', 'A group needs a name.');
  return ctx.db
    .insertInto('groups')
    .values({
      id: randomUUID(),
      name,
      created_at: ctx.clock.now(),
      routing_mode: input.routingMode,
      ring_timeout_seconds: input.ringTimeoutSeconds,
      default_max_chats: input.defaultMaxChats,
      business_hours: input.businessHours === null ? null : json(input.businessHours),
      prechat_fields: json(input.prechatFields),
      widget_settings: json(input.widget),
      privacy_notice: json(input.privacyNotice),
      masking: json(input.masking),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function addToGroup(ctx: ServerContext, operatorId: string, groupId: string): Promise<void> {
  await ctx.db
    .insertInto('operator_groups')
    .values({ operator_id: operatorId, group_id: groupId })
    .onConflict((conflict) => conflict.columns(['operator_id', 'group_id']).doNothing())
    .execute();
}

export async function groupIdsOf(ctx: ServerContext, operatorId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('operator_groups')
    .select('group_id')
    .where('operator_id', '=', operatorId)
    .orderBy('group_id')
    .execute();
  return rows.map((row) => row.group_id);
}

export async function memberIdsOf(ctx: ServerContext, groupId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('operator_groups')
    .select('operator_id')
    .where('group_id', '=', groupId)
    .orderBy('operator_id')
    .execute();
  return rows.map((row) => row.operator_id);
}

export async function isMember(ctx: ServerContext, operatorId: string, groupId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('operator_groups')
    .select('operator_id')
    .where('operator_id', '=', operatorId)
    .where('group_id', '=', groupId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The open group with this name, created when there is none: how the CLI and a new workspace get their first queue. */
export async function groupNamed(ctx: ServerContext, name: string): Promise<Group> {
  const existing = await ctx.db
    .selectFrom('groups')
    .selectAll()
    .where('name', '=', name.trim())
    .where('archived', '=', false)
    .orderBy('created_at')
    .executeTakeFirst();
  return existing ?? createGroup(ctx, { name });
}
