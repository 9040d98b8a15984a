import { randomUUID } from 'node:crypto';
import { ParleyError } from '../../protocol/errors';
import type { VisitorLanguage } from '../../protocol/visitor-socket';
import { anonymiseAddress } from '../auth/ip-rules';
import { randomToken, sha256 } from '../auth/tokens';
import type { ServerContext } from '../context';
import { readSecurityPolicy } from '../policy';
import type { Group, Visitor } from '../storage/schema';

/*
 * Visitors: someone on a website who consented to a group's privacy notice. The consent is the
 * visitor record's reason to exist, so both are written together; the widget keeps a bearer token.
 */

export async function openGroup(ctx: ServerContext, groupId: string): Promise<Group> {
  const group = await ctx.db.selectFrom('groups').selectAll().where('id', '=', groupId).executeTakeFirst();
  if (!group || group.archived) throw new ParleyError('not_found', 'This chat is not available.');
  return group;
}

export interface ConsentInput {
  groupId: string;
  noticeVersion: string;
  language: VisitorLanguage;
  address: string | null;
}

/** Records the consent (time and notice version) and creates the visitor; returns the token. */
export async function recordConsent(
  ctx: ServerContext,
  input: ConsentInput,
): Promise<{ visitor: Visitor; token: string }> {
  const group = await openGroup(ctx, input.groupId);
  if (group.privacy_notice.version !== input.noticeVersion) {
    throw new ParleyError('conflict', 'The privacy notice has changed. Please read it again.');
  }
  const policy = await readSecurityPolicy(ctx.db);
  const token = randomToken();
  const now = ctx.clock.now();
  const visitor = await ctx.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('visitors')
      .values({
        id: randomUUID(),
        token_hash: sha256(token),
        group_id: group.id,
        language: input.language,
        address: input.address === null ? null : anonymiseAddress(input.address, policy.addressPolicy),
        created_at: now,
        last_seen_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('consents')
      .values({
        visitor_id: created.id,
        group_id: group.id,
        notice_version: input.noticeVersion,
        language: input.language,
        given_at: now,
      })
      .execute();
    return created;
  });
  return { visitor, token };
}

export async function visitorByToken(ctx: ServerContext, token: string): Promise<Visitor> {
  const visitor = await ctx.db
    .updateTable('visitors')
    .set({ last_seen_at: ctx.clock.now() })
    .where('token_hash', '=', sha256(token))
    .returningAll()
    .executeTakeFirst();
  if (!visitor) throw new ParleyError('unauthenticated', 'This chat session has ended. Please start again.');
  return visitor;
}

/** Visitors with a live socket on this instance are still there. */
export async function touchVisitors(ctx: ServerContext, visitorIds: string[]): Promise<void> {
  if (visitorIds.length === 0) return;
  await ctx.db
    .updateTable('visitors')
    .set({ last_seen_at: ctx.clock.now() })
    .where('id', 'in', visitorIds)
    .execute();
}
