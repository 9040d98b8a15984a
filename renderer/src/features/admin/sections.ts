import type { Permission } from '../../../../protocol/roles';

/**
 * The administration screens and the permissions of the protocol's role table behind them: `view`
 * opens the screen (read-only), `manage` enables its changes. The server refuses regardless.
 */
export const adminSections = [
  { id: 'operators', view: 'operators.view', manage: 'operators.manage' },
  { id: 'groups', view: 'groups.view', manage: 'groups.manage' },
  { id: 'security', view: 'security.view', manage: 'security.manage' },
  { id: 'privacy', view: 'privacy.view', manage: 'privacy.manage' },
  { id: 'sessions', view: 'sessions.manage', manage: 'sessions.manage' },
  { id: 'audit', view: 'audit.view', manage: 'audit.view' },
] as const satisfies readonly { id: string; view: Permission; manage: Permission }[];

export type AdminSectionId = (typeof adminSections)[number]['id'];

export function visibleSections(permissions: readonly Permission[]) {
  return adminSections.filter((section) => permissions.includes(section.view));
}
