import { z } from 'zod';

export const roles = ['agent', 'lead', 'admin'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/**
 * The permission table. The server enforces it; the desktop client reads it only to hide what a
 * role cannot do. `view` permissions grant read-only screens, `manage` permissions grant changes.
 */
export const permissionTable = {
  'chat.handle': ['agent', 'lead', 'admin'],
  'tickets.work': ['agent', 'lead', 'admin'],
  'canned.manageShared': ['lead', 'admin'],
  'stats.viewOwn': ['agent', 'lead', 'admin'],
  'stats.viewTeam': ['lead', 'admin'],
  'visitor.reveal': ['lead', 'admin'],
  'operators.view': ['lead', 'admin'],
  'operators.manage': ['admin'],
  'groups.view': ['lead', 'admin'],
  'groups.manage': ['admin'],
  'security.view': ['lead', 'admin'],
  'security.manage': ['admin'],
  'sessions.manage': ['admin'],
  'audit.view': ['admin'],
  'privacy.view': ['lead', 'admin'],
  'privacy.manage': ['admin'],
  'data.export': ['admin'],
  'data.erase': ['admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissionTable;
export const permissions = Object.keys(permissionTable) as Permission[];
export const permissionSchema = z.enum(permissions as [Permission, ...Permission[]]);

export function can(role: Role, permission: Permission): boolean {
  return (permissionTable[permission] as readonly Role[]).includes(role);
}

export function permissionsOf(role: Role): Permission[] {
  return permissions.filter((permission) => can(role, permission));
}
