import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { IpcHandlers } from '../../main/core/ipc-router';
import type { OperatorProfile } from '../../protocol/auth';
import type { AdminOperator } from '../../protocol/operator-socket';
import { permissionsOf, type Role } from '../../protocol/roles';
import { operator, renderWorkspace } from '../support/render-app';

/** Who is signed in for the administration tests: Ada the admin, or Lee the team lead. */
export function signedInAs(role: Role): OperatorProfile {
  return role === 'admin'
    ? { ...operator, id: 'o-ada', username: 'ada', displayName: 'Ada Admin', role }
    : { ...operator, id: 'o-lee', username: 'lee', displayName: 'Lee Lead', role };
}

export function adminOperator(id: string, displayName: string, role: Role): AdminOperator {
  return {
    id,
    username: displayName.split(' ')[0]?.toLowerCase() ?? id,
    displayName,
    role,
    groupIds: [],
    maxConcurrentChats: 3,
    disabled: false,
    status: 'offline',
    totpEnabled: true,
    lastLoginAt: null,
    setupPending: false,
    version: 1,
  };
}

export const teamOperators = [
  adminOperator('o-ada', 'Ada Admin', 'admin'),
  adminOperator('o-lee', 'Lee Lead', 'lead'),
  adminOperator('o-anna', 'Anna Berg', 'agent'),
  adminOperator('o-ben', 'Ben Brandt', 'agent'),
];

/**
 * Signs in with `role`'s permissions, switches to administration and opens the tab named `tab`;
 * `script` answers the server methods the screen calls.
 */
export async function openAdminScreen(
  tab: string,
  { role = 'admin', script = {} }: { role?: Role; script?: Partial<IpcHandlers> } = {},
) {
  const me = signedInAs(role);
  const app = await renderWorkspace(
    {},
    {
      script: {
        'auth.state': () => ({
          status: 'signed_in',
          server: 'Support EU',
          serverOrigin: 'https://chat.example.eu',
          operator: me,
          permissions: permissionsOf(role),
        }),
        ...script,
      },
    },
  );
  await userEvent.click(screen.getByRole('button', { name: 'Administration' }));
  await userEvent.click(screen.getByRole('tab', { name: tab }));
  return { ...app, me };
}
