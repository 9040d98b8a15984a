import { describe, expect, it } from 'vitest';
import { can, permissions, permissionsOf } from '../../protocol/roles';

describe('role table', () => {
  it('gives agents chat work but no administration', () => {
    expect(can('agent', 'chat.handle')).toBe(true);
    expect(can('agent', 'operators.view')).toBe(false);
    expect(can('agent', 'data.erase')).toBe(false);
  });

  it('gives leads read-only views and admins every permission', () => {
    expect(can('lead', 'operators.view')).toBe(true);
    expect(can('lead', 'operators.manage')).toBe(false);
    expect(permissionsOf('admin')).toEqual(permissions);
    expect(permissionsOf('admin')).toEqual(expect.arrayContaining(permissionsOf('lead')));
    expect(permissionsOf('lead')).toEqual(expect.arrayContaining(permissionsOf('agent')));
  });
});
