import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerProfile } from '../../protocol/desktop-policy';
import { ParleyError } from '../../protocol/errors';
import { createOperator } from '../../server/accounts';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { recordAudit } from '../../server/audit';
import { readSecurityPolicy } from '../../server/policy';
import { addToGroup, groupNamed } from '../../server/queues/groups';
import type { Platform } from './ports';

export interface WorkspaceAdmin {
  username: string;
  displayName: string;
  password: string;
}

export const localWorkspaceProfileId = 'local-workspace';

/**
 * "Start a local workspace": Parley Server embedded in this process, its database (PGlite) in the
 * app's data folder, listening on loopback only. The zero-setup way to try Parley on one machine.
 */
export function createLocalWorkspace(platform: Platform) {
  const dataDir = join(platform.dataDir, 'workspace');
  let server: ParleyServer | undefined;

  async function ensureAdmin(running: ParleyServer, admin: WorkspaceAdmin | undefined) {
    const { db, clock } = running.ctx;
    const existing = await db.selectFrom('operators').select('id').limit(1).executeTakeFirst();
    if (existing) {
      if (admin)
        throw new ParleyError('conflict', 'This workspace already has an administrator. Sign in instead.');
      return;
    }
    if (!admin) throw new ParleyError('invalid_request', 'Create the first administrator of this workspace.');
    const policy = await readSecurityPolicy(db);
    const operator = await createOperator(db, clock, { ...admin, role: 'admin' }, policy.passwordMinLength);
    // A first queue, so the workspace's /demo page and widget work before anyone sets up groups.
    const group = await groupNamed(running.ctx, 'Support');
    await addToGroup(running.ctx, operator.id, group.id);
    await recordAudit(db, clock, policy.addressPolicy, {
      action: 'operator.created',
      target: operator.id,
      details: { via: 'local workspace', role: 'admin' },
    });
  }

  return {
    status: () => ({ exists: existsSync(join(dataDir, 'PG_VERSION')), running: server !== undefined }),

    async start(admin: WorkspaceAdmin | undefined): Promise<ServerProfile> {
      server ??= await startParleyServer({
        storage: { kind: 'pglite', dataDir },
        host: '127.0.0.1',
        port: 0,
        log: platform.log,
      });
      await ensureAdmin(server, admin);
      return { id: localWorkspaceProfileId, name: 'Local workspace', url: server.url };
    },

    async close() {
      await server?.close();
      server = undefined;
    },
  };
}
