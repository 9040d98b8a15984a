import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { ParleyError } from '../../protocol/errors';
import type { AdminGroup, OperatorParams } from '../../protocol/operator-socket';
import type { PrivacyNotice } from '../../protocol/visitor-socket';
import { auditCaller } from '../caller-audit';
import type { OperatorHandlers } from '../operator-methods';
import { createGroup } from '../queues/groups';
import { routeGroup } from '../queues/routing';
import type { Db } from '../storage/database';
import type { Group } from '../storage/schema';
import { checkBusinessHours } from './business-hours';

/*
 * Administration of groups: their queue settings, business hours, widget and privacy notice.
 * Updates carry the version the admin saw, so two admins editing one group cannot overwrite each
 * other unnoticed; a new privacy notice text gets a new notice version, which visitors must accept
 * anew before they can chat.
 */

type GroupAdminHandlers = Pick<
  OperatorHandlers,
  'groups.list' | 'groups.create' | 'groups.update' | 'groups.setArchived'
>;

/** Arbitrary, but fixed: serialises name checks so two admins cannot both create "Sales". */
const groupNamesLockKey = 5_036_156;

export function toAdminGroup(group: Group): AdminGroup {
  return {
    id: group.id,
    name: group.name,
    archived: group.archived,
    routingMode: group.routing_mode,
    ringTimeoutSeconds: group.ring_timeout_seconds,
    defaultMaxChats: group.default_max_chats,
    businessHours: group.business_hours,
    prechatFields: group.prechat_fields,
    widget: group.widget_settings,
    privacyNotice: group.privacy_notice,
    masking: group.masking,
    version: group.version,
  };
}

/** Refuses a name another open group already has (ignoring case); call with the names lock held. */
async function checkNameFree(db: Db, name: string, exceptId?: string): Promise<void> {
  let query = db
    .selectFrom('groups')
    .select('name')
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .where('archived', '=', false);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  const taken = await query.executeTakeFirst();
  if (taken) throw new ParleyError('conflict', `There is already a group called “${taken.name}”.`);
}

async function lockGroupNames(db: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(groupNamesLockKey)})`.execute(db);
}

async function lockedGroup(db: Db, groupId: string): Promise<Group> {
  const group = await db
    .selectFrom('groups')
    .selectAll()
    .where('id', '=', groupId)
    .forUpdate()
    .executeTakeFirst();
  if (!group) throw new ParleyError('not_found', 'There is no such group.');
  return group;
}

/** The next version of a notice: "1" → "2"; anything else gets a suffix, so it differs. */
export function nextNoticeVersion(version: string): string {
  return /^\d{1,15}$/.test(version) ? String(Number(version) + 1) : `${version.slice(0, 36)}.2`;
}

type GroupUpdate = OperatorParams<'groups.update'>;

/** The columns an update writes, and the names of the settings that really changed. */
function changesOf(group: Group, params: GroupUpdate) {
  const changed: string[] = [];
  const set: {
    name?: string;
    routing_mode?: Group['routing_mode'];
    ring_timeout_seconds?: number;
    default_max_chats?: number;
    business_hours?: string | null;
    prechat_fields?: string;
    widget_settings?: string;
    privacy_notice?: string;
    masking?: string;
  } = {};
  const differs = (key: string, before: unknown, after: unknown) => {
    if (after === undefined || isDeepStrictEqual(before, after)) return false;
    changed.push(key);
    return true;
  };
  if (differs('name', group.name, params.name)) set.name = params.name;
  if (differs('routingMode', group.routing_mode, params.routingMode)) set.routing_mode = params.routingMode;
  if (differs('ringTimeoutSeconds', group.ring_timeout_seconds, params.ringTimeoutSeconds))
    set.ring_timeout_seconds = params.ringTimeoutSeconds;
  if (differs('defaultMaxChats', group.default_max_chats, params.defaultMaxChats))
    set.default_max_chats = params.defaultMaxChats;
  if (differs('businessHours', group.business_hours, params.businessHours))
    set.business_hours = params.businessHours === null ? null : JSON.stringify(params.businessHours);
  if (differs('prechatFields', group.prechat_fields, params.prechatFields))
    set.prechat_fields = JSON.stringify(params.prechatFields);
  if (differs('widget', group.widget_settings, params.widget))
    set.widget_settings = JSON.stringify(params.widget);
  if (differs('masking', group.masking, params.masking)) set.masking = JSON.stringify(params.masking);
  if (differs('privacyNoticeText', group.privacy_notice.text, params.privacyNoticeText)) {
    const notice: PrivacyNotice = {
      version: nextNoticeVersion(group.privacy_notice.version),
      text: params.privacyNoticeText ?? group.privacy_notice.text,
    };
    set.privacy_notice = JSON.stringify(notice);
  }
  return { set, changed };
}

export const groupAdminHandlers: GroupAdminHandlers = {
  async 'groups.list'(ctx, _caller, params) {
    let query = ctx.db.selectFrom('groups').selectAll().orderBy('name').orderBy('id');
    if (params.includeArchived !== true) query = query.where('archived', '=', false);
    const groups = await query.execute();
    return { groups: groups.map(toAdminGroup) };
  },

  async 'groups.create'(ctx, caller, params) {
    if (params.businessHours) checkBusinessHours(params.businessHours);
    const group = await ctx.db.transaction().execute(async (trx) => {
      await lockGroupNames(trx);
      await checkNameFree(trx, params.name);
      return createGroup(
        { ...ctx, db: trx },
        {
          name: params.name,
          routingMode: params.routingMode,
          ringTimeoutSeconds: params.ringTimeoutSeconds,
          defaultMaxChats: params.defaultMaxChats,
          businessHours: params.businessHours,
          prechatFields: params.prechatFields,
          widget: params.widget,
          masking: params.masking,
          privacyNotice:
            params.privacyNoticeText === undefined
              ? undefined
              : { version: '1', text: params.privacyNoticeText },
        },
      );
    });
    await auditCaller(ctx, caller, 'group.created', group.id, { name: group.name });
    return { group: toAdminGroup(group) };
  },

  async 'groups.update'(ctx, caller, params) {
    if (params.businessHours) checkBusinessHours(params.businessHours);
    const { before, after, changed } = await ctx.db.transaction().execute(async (trx) => {
      await lockGroupNames(trx);
      const group = await lockedGroup(trx, params.groupId);
      if (group.version !== params.version) {
        throw new ParleyError('conflict', 'Someone else changed this group. Reload and try again.');
      }
      const { set, changed } = changesOf(group, params);
      if (set.name !== undefined && !group.archived) await checkNameFree(trx, set.name, group.id);
      const updated = await trx
        .updateTable('groups')
        .set({ ...set, version: group.version + 1 })
        .where('id', '=', group.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { before: group, after: updated, changed };
    });
    // Waiting chats may be offered now: after the switch to automatic routing, or with more room.
    const nowAutomatic = before.routing_mode !== 'automatic' && after.routing_mode === 'automatic';
    const moreRoom = after.default_max_chats > before.default_max_chats;
    if (!after.archived && (nowAutomatic || moreRoom)) await routeGroup(ctx, after.id);
    await auditCaller(ctx, caller, 'group.updated', after.id, { name: after.name, changed });
    return { group: toAdminGroup(after) };
  },

  async 'groups.setArchived'(ctx, caller, params) {
    const { group, changed } = await ctx.db.transaction().execute(async (trx) => {
      await lockGroupNames(trx);
      const group = await lockedGroup(trx, params.groupId);
      if (group.archived === params.archived) return { group, changed: false };
      // Back in use, its name must not clash with a group created meanwhile.
      if (!params.archived) await checkNameFree(trx, group.name, group.id);
      const updated = await trx
        .updateTable('groups')
        .set({ archived: params.archived, version: group.version + 1 })
        .where('id', '=', group.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { group: updated, changed: true };
    });
    if (changed) {
      await auditCaller(ctx, caller, params.archived ? 'group.archived' : 'group.unarchived', group.id, {
        name: group.name,
      });
    }
    return { group: toAdminGroup(group) };
  },
};
