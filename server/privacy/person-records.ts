import type { Db } from '../storage/database';

/** `in ()` is not SQL: an empty list becomes one id that no record has. */
export const orNone = (ids: string[]) => (ids.length > 0 ? ids : ['']);

/**
 * The records that exist among those named, and with each visitor their chats, and with those
 * chats and visitors their tickets: what an erasure removes and an export shows.
 */
export async function expandRecords(
  db: Db,
  named: { visitorIds: string[]; chatIds: string[]; ticketIds: string[] },
) {
  const visitorIds = (
    await db.selectFrom('visitors').select('id').where('id', 'in', orNone(named.visitorIds)).execute()
  ).map((row) => row.id);
  const chats = await db
    .selectFrom('chats')
    .select(['id', 'group_id'])
    .where((eb) => eb.or([eb('id', 'in', orNone(named.chatIds)), eb('visitor_id', 'in', orNone(visitorIds))]))
    .execute();
  const ticketIds = (
    await db
      .selectFrom('tickets')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('id', 'in', orNone(named.ticketIds)),
          eb('visitor_id', 'in', orNone(visitorIds)),
          eb('chat_id', 'in', orNone(chats.map((chat) => chat.id))),
        ]),
      )
      .execute()
  ).map((row) => row.id);
  return { visitorIds, chats, ticketIds };
}
