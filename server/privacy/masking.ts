import {
  defaultMaskingRules,
  maskingRulesSchema,
  visitorMask,
  type FieldValues,
  type MaskingRules,
  type VisitorMask,
} from '../../protocol/masking';
import type { ServerContext } from '../context';
import type { Chat } from '../storage/schema';

/*
 * The group's masking rules applied to a chat's visitor. Everything an operator receives about a
 * chat (its name, messages, queue entry, visitor panel, tickets) is built through a VisitorMask, so
 * no path can send a value the rules hide.
 */

export type MaskableChat = Pick<Chat, 'group_id' | 'visitor_id' | 'visitor_name' | 'visitor_fields'>;

/** A chat a colleague opened without a visitor record has only a name; a visitor's chat has its form. */
export function visitorValues(chat: MaskableChat): FieldValues {
  return chat.visitor_id === null ? { name: chat.visitor_name } : chat.visitor_fields;
}

const hideEverything: MaskingRules = {
  name: 'hidden',
  email: 'hidden',
  phone: 'hidden',
  company: 'hidden',
  custom: 'hidden',
};

/** Rules per group; chats without a group have nothing to hide by rule. Unreadable rules hide everything. */
async function maskingRulesOf(
  ctx: ServerContext,
  groupIds: (string | null)[],
): Promise<Map<string | null, MaskingRules>> {
  const rules = new Map<string | null, MaskingRules>([[null, defaultMaskingRules]]);
  const wanted = [...new Set(groupIds.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return rules;
  const rows = await ctx.db
    .selectFrom('groups')
    .select(['id', 'masking'])
    .where('id', 'in', wanted)
    .execute();
  for (const row of rows) {
    const parsed = maskingRulesSchema.safeParse(row.masking);
    rules.set(row.id, parsed.success ? parsed.data : hideEverything);
  }
  return rules;
}

export type Masker = (chat: MaskableChat) => VisitorMask;

/** Reads the rules of these chats' groups once; the masker then masks any of them. */
export async function maskerFor(ctx: ServerContext, chats: MaskableChat[]): Promise<Masker> {
  const rules = await maskingRulesOf(
    ctx,
    chats.map((chat) => chat.group_id),
  );
  return (chat) => visitorMask(rules.get(chat.group_id) ?? hideEverything, visitorValues(chat));
}

export function maskOf(ctx: ServerContext, chat: MaskableChat): Promise<VisitorMask> {
  return maskFor(ctx, chat.group_id, visitorValues(chat));
}

/** For any record that carries a visitor's details under a group's rules: a chat, a ticket. */
export async function maskFor(
  ctx: ServerContext,
  groupId: string | null,
  values: FieldValues,
): Promise<VisitorMask> {
  const rules = await maskingRulesOf(ctx, [groupId]);
  return visitorMask(rules.get(groupId) ?? hideEverything, values);
}
