import type { ServerContext } from './context';
import { sweepPresence } from './presence';
import { runRetention } from './privacy/retention';
import { abandonChat } from './queues/handover';
import { expireOffers } from './queues/routing';

/*
 * The server's clockwork: offers that rang out move on, chats whose visitor vanished while
 * waiting count as abandoned, operators whose instance died go offline, and personal data past its
 * retention period is deleted. Every step is safe to
 * run on several instances at once (the queue lock serialises the queue changes).
 */

export interface MaintenanceOptions {
  /** How often ringing offers are checked (default 1 s: ring timeouts are counted in seconds). */
  offerCheckMs?: number;
  /** How often visitors and presence are swept (default 30 s). */
  sweepMs?: number;
  /** A waiting visitor unheard of for this long has left (default 2 minutes). */
  visitorGoneMs?: number;
  /** An instance that has not refreshed its presence rows for this long is gone (default 90 s). */
  presenceStaleMs?: number;
  /** How often expired personal data is deleted (default hourly, the first run a minute after start). */
  retentionMs?: number;
}

/** Waiting chats whose visitor's widget has not been heard of for a while: the visitor has gone. */
export async function abandonVanishedVisitors(ctx: ServerContext, goneMs: number): Promise<number> {
  const chats = await ctx.db
    .selectFrom('chats')
    .innerJoin('visitors', 'visitors.id', 'chats.visitor_id')
    .select('chats.id')
    .where('chats.queue_state', 'in', ['waiting', 'offered'])
    .where('chats.operator_id', 'is', null)
    .where('visitors.last_seen_at', '<', new Date(ctx.clock.now().getTime() - goneMs))
    .execute();
  let abandoned = 0;
  for (const chat of chats) if (await abandonChat(ctx, chat.id)) abandoned += 1;
  return abandoned;
}

export function startMaintenance(ctx: ServerContext, options: MaintenanceOptions = {}) {
  const fail = (what: string) => (error: unknown) =>
    ctx.log.error(`${what} failed`, { error: String(error) });
  let offersRunning = false;
  const offers = setInterval(() => {
    if (offersRunning) return;
    offersRunning = true;
    expireOffers(ctx, ctx.clock.now())
      .catch(fail('expiring offers'))
      .finally(() => (offersRunning = false));
  }, options.offerCheckMs ?? 1_000);
  const sweep = setInterval(() => {
    abandonVanishedVisitors(ctx, options.visitorGoneMs ?? 120_000).catch(
      fail('abandoning vanished visitors'),
    );
    sweepPresence(ctx, options.presenceStaleMs ?? 90_000).catch(fail('sweeping presence'));
  }, options.sweepMs ?? 30_000);
  const retention = () => void runRetention(ctx).catch(fail('deleting expired data'));
  const retentionStart = setTimeout(retention, Math.min(60_000, options.retentionMs ?? 60_000));
  const retentionEvery = setInterval(retention, options.retentionMs ?? 60 * 60_000);
  offers.unref();
  sweep.unref();
  retentionStart.unref();
  retentionEvery.unref();
  return {
    stop() {
      clearInterval(offers);
      clearInterval(sweep);
      clearTimeout(retentionStart);
      clearInterval(retentionEvery);
    },
  };
}
