import type { Permission } from '../../../../protocol/roles';
import { useAuthStore } from '../login/store';

/** The signed-in operator's permissions, from the server's welcome; empty when signed out. */
export function usePermissions(): readonly Permission[] {
  return useAuthStore((store) => (store.auth?.status === 'signed_in' ? store.auth.permissions : []));
}

export function useCan(permission: Permission): boolean {
  return usePermissions().includes(permission);
}
