import type { ServerContext } from '../context';
import { randomToken } from './tokens';

/**
 * The per-device key that, with the OS keychain, unlocks a desktop's local cache. It is released
 * only at the end of a complete login; revoking the device deletes it, so the next login hands out
 * a new key and the old cache can no longer be opened.
 */
export async function releaseDeviceKey(
  ctx: ServerContext,
  operatorId: string,
  deviceId: string,
  deviceName: string | undefined,
): Promise<string> {
  const id = `${operatorId}:${deviceId}`;
  const existing = await ctx.db
    .selectFrom('devices')
    .select(['device_key', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (existing && existing.revoked_at === null) return existing.device_key;
  const deviceKey = randomToken(32);
  await ctx.db
    .insertInto('devices')
    .values({
      id,
      operator_id: operatorId,
      name: deviceName ?? null,
      device_key: deviceKey,
      created_at: ctx.clock.now(),
    })
    .onConflict((conflict) =>
      conflict
        .column('id')
        .doUpdateSet({ device_key: deviceKey, revoked_at: null, name: deviceName ?? null }),
    )
    .execute();
  return deviceKey;
}
