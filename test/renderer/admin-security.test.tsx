import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { IpcHandlers } from '../../main/core/ipc-router';
import { ParleyError } from '../../protocol/errors';
import type { IpRule, SecurityPolicy } from '../../protocol/operator-socket';
import type { Role } from '../../protocol/roles';
import { openAdminScreen, teamOperators } from './admin-screen';

const policy: SecurityPolicy = {
  totpRequiredRoles: ['agent', 'lead', 'admin'],
  sessionIdleMinutes: 60,
  sessionLifetimeHours: 12,
  lockout: { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 },
  passwordMinLength: 12,
  trustedProxies: [],
  addressPolicy: 'truncated',
  honourDoNotTrack: true,
};

const myAddress = '203.0.113.77';

/** A server with a policy and allowlists that change as the screen asks. */
function securityServer(rules: IpRule[] = [], overrides: Partial<IpcHandlers> = {}) {
  const state = { policy, rules: [...rules], next: 1 };
  const script: Partial<IpcHandlers> = {
    'policy.get': () => state.policy,
    'policy.update': (patch) => (state.policy = { ...state.policy, ...patch }),
    'ipRules.list': () => ({ rules: state.rules, yourAddress: myAddress }),
    'ipRules.add': ({ scope, subject, cidr }) => {
      const rule = { id: `r${state.next++}`, scope, subject, cidr };
      state.rules.push(rule);
      return rule;
    },
    'ipRules.remove': ({ id }) => {
      state.rules = state.rules.filter((rule) => rule.id !== id);
      return {};
    },
    'operators.list': () => ({ operators: teamOperators }),
    ...overrides,
  };
  return script;
}

async function openSecurity(
  options: { role?: Role; rules?: IpRule[]; overrides?: Partial<IpcHandlers> } = {},
) {
  const app = await openAdminScreen('Security', {
    role: options.role ?? 'admin',
    script: securityServer(options.rules, options.overrides),
  });
  const form = await screen.findByRole('form', { name: 'Security policy' });
  return { ...app, form };
}

const addForm = () => screen.getByRole('form', { name: 'Add a rule' });

describe('security policy', () => {
  it('shows the policy and sends only the fields I changed', async () => {
    const { form, argsOf } = await openSecurity();
    const idle = within(form).getByLabelText('Sign out after inactivity (minutes)') as HTMLInputElement;
    expect(idle.value).toBe('60');
    expect(within(form).getByRole('radio', { name: 'Truncated' })).toHaveProperty('checked', true);

    await userEvent.clear(idle);
    await userEvent.type(idle, '30');
    await userEvent.click(within(form).getByLabelText('Agents'));
    await userEvent.click(within(form).getByRole('radio', { name: 'Not kept' }));
    await userEvent.click(within(form).getByRole('button', { name: 'Save policy' }));

    expect(argsOf('policy.update')).toEqual([
      { totpRequiredRoles: ['lead', 'admin'], sessionIdleMinutes: 30, addressPolicy: 'none' },
    ]);
    expect(await within(form).findByRole('status')).toHaveProperty('textContent', 'Saved.');

    // Saved values are the new baseline: saving again has nothing to send.
    await userEvent.click(within(form).getByRole('button', { name: 'Save policy' }));
    expect(argsOf('policy.update')).toHaveLength(1);
    expect(within(form).getByRole('status').textContent).toBe('Nothing to save: no setting was changed.');
  });

  it('turns Do-Not-Track and Global Privacy Control off and on again, sending just that', async () => {
    const { form, argsOf } = await openSecurity();
    const honour = within(form).getByRole('checkbox', { name: /Honour Do-Not-Track/ });
    expect(honour).toHaveProperty('checked', true);
    await userEvent.click(honour);
    await userEvent.click(within(form).getByRole('button', { name: 'Save policy' }));
    expect(argsOf('policy.update')).toEqual([{ honourDoNotTrack: false }]);
  });

  it('sends the lockout as one object when one of its numbers changes', async () => {
    const { form, argsOf } = await openSecurity();
    const lock = within(form).getByLabelText('Then locked for (minutes)');
    await userEvent.clear(lock);
    await userEvent.type(lock, '30');
    await userEvent.click(within(form).getByRole('button', { name: 'Save policy' }));
    expect(argsOf('policy.update')).toEqual([
      { lockout: { maxFailures: 5, windowMinutes: 15, lockMinutes: 30 } },
    ]);
  });

  it('refuses out-of-range numbers next to the field and sends nothing', async () => {
    const { form, argsOf } = await openSecurity();
    const idle = within(form).getByLabelText('Sign out after inactivity (minutes)');
    await userEvent.clear(idle);
    await userEvent.type(idle, '3');
    const length = within(form).getByLabelText('Minimum password length (characters)');
    await userEvent.clear(length);
    await userEvent.type(length, '200');
    await userEvent.click(within(form).getByRole('button', { name: 'Save policy' }));

    expect(argsOf('policy.update')).toEqual([]);
    expect(idle.getAttribute('aria-invalid')).toBe('true');
    expect(describedText(idle)).toContain('Enter a whole number from 5 to 1440.');
    expect(describedText(length)).toContain('Enter a whole number from 8 to 128.');
    // The first invalid field in the form takes the focus.
    expect(document.activeElement).toBe(length);

    // Fixed, the error goes as I type; the form then saves.
    await userEvent.clear(idle);
    await userEvent.type(idle, '1440');
    expect(describedText(idle)).not.toContain('Enter a whole number');
    await userEvent.clear(length);
    await userEvent.type(length, '16');
    await userEvent.click(within(form).getByRole('button', { name: 'Save policy' }));
    expect(argsOf('policy.update')).toEqual([{ sessionIdleMinutes: 1440, passwordMinLength: 16 }]);
  });

  it('names the trusted proxy line that is not an address or network', async () => {
    const { form, argsOf } = await openSecurity();
    const proxies = within(form).getByLabelText('Trusted proxies');
    await userEvent.type(proxies, '10.0.0.0/8{Enter}10.0.0.300{Enter}{Enter}fd00::/8');
    await userEvent.click(within(form).getByRole('button', { name: 'Save policy' }));
    expect(argsOf('policy.update')).toEqual([]);
    expect(describedText(proxies)).toContain('Line 2: 10.0.0.300 is not a valid address or network.');

    await userEvent.clear(proxies);
    await userEvent.type(proxies, ' 10.0.0.0/8 {Enter}{Enter}fd00::/8');
    await userEvent.click(within(form).getByRole('button', { name: 'Save policy' }));
    expect(argsOf('policy.update')).toEqual([{ trustedProxies: ['10.0.0.0/8', 'fd00::/8'] }]);
  });

  it('shows the server’s refusal', async () => {
    const { form } = await openSecurity({
      overrides: {
        'policy.update': () => {
          throw new ParleyError('forbidden', 'Only administrators may change the security policy.');
        },
      },
    });
    await userEvent.click(within(form).getByLabelText('Team leads'));
    await userEvent.click(within(form).getByRole('button', { name: 'Save policy' }));
    expect((await within(form).findByRole('alert')).textContent).toBe(
      'Only administrators may change the security policy.',
    );
  });

  it('is read-only for a team lead: values shown, controls disabled, nothing to save or change', async () => {
    await openSecurity({
      role: 'lead',
      rules: [{ id: 'r1', scope: 'global', subject: '', cidr: '203.0.113.0/24' }],
    });
    expect(screen.getByText('Read-only: your role may look, but not change anything here.')).toBeTruthy();
    const form = screen.getByRole('form', { name: 'Security policy' });
    const idle = within(form).getByLabelText('Sign out after inactivity (minutes)') as HTMLInputElement;
    expect(idle.value).toBe('60');
    expect(idle.disabled).toBe(true);
    expect(within(form).getByLabelText('Agents')).toHaveProperty('disabled', true);
    expect(within(form).getByLabelText('Trusted proxies')).toHaveProperty('disabled', true);
    expect(within(form).queryByRole('button', { name: 'Save policy' })).toBeNull();

    expect(screen.getByRole('table', { name: 'Global rules' }).textContent).toContain('203.0.113.0/24');
    expect(screen.queryByRole('button', { name: /^Remove rule/ })).toBeNull();
    expect(screen.queryByRole('form', { name: 'Add a rule' })).toBeNull();
  });

  it('offers to try again when the server cannot be reached', async () => {
    let offline = true;
    await openAdminScreen('Security', {
      script: securityServer([], {
        'policy.get': () => {
          if (offline) throw new ParleyError('unreachable', 'You are offline.');
          return policy;
        },
      }),
    });
    expect((await screen.findByRole('alert')).textContent).toContain(
      'The security settings could not be loaded: You are offline.',
    );
    offline = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('form', { name: 'Security policy' })).toBeTruthy();
  });
});

describe('IP allowlists', () => {
  const rules: IpRule[] = [
    { id: 'r1', scope: 'global', subject: '', cidr: '203.0.113.0/24' },
    { id: 'r2', scope: 'role', subject: 'agent', cidr: '10.0.0.0/8' },
    { id: 'r3', scope: 'operator', subject: 'o-anna', cidr: '192.0.2.10/32' },
  ];

  it('shows the rules by scope with whom they bind, and my address', async () => {
    await openSecurity({ rules });
    expect(screen.getByText(`Your address as the server sees it: ${myAddress}`)).toBeTruthy();
    expect(screen.getByText(/An empty list restricts nothing/)).toBeTruthy();
    expect(rowsOf('Global rules')).toEqual(['203.0.113.0/24']);
    expect(rowsOf('By role rules')).toEqual(['Agents 10.0.0.0/8']);
    expect(rowsOf('By operator rules')).toEqual(['Anna Berg 192.0.2.10/32']);
  });

  it('says that an empty list restricts nothing', async () => {
    await openSecurity({ rules: [rules[1] as IpRule] });
    const global = screen.getByRole('region', { name: /Global/ });
    expect(within(global).getByText('No rules: this list restricts nothing.')).toBeTruthy();
  });

  it('checks the address as I type and sends nothing invalid', async () => {
    const { argsOf } = await openSecurity();
    const cidr = within(addForm()).getByLabelText('Address or network');
    await userEvent.type(cidr, '300.1.2.3/8');
    expect(describedText(cidr)).toContain('300.1.2.3/8 is not a valid address or network.');
    await userEvent.click(within(addForm()).getByRole('button', { name: 'Add rule' }));
    expect(argsOf('ipRules.add')).toEqual([]);

    await userEvent.clear(cidr);
    await userEvent.type(cidr, '203.0.113.9/24');
    expect(describedText(cidr)).toContain('Will be saved as 203.0.113.0/24.');
  });

  it('adds a rule that keeps me in without asking', async () => {
    const { argsOf } = await openSecurity();
    await userEvent.type(within(addForm()).getByLabelText('Address or network'), '203.0.113.0/24');
    expect(screen.queryByRole('alert')).toBeNull();
    await userEvent.click(within(addForm()).getByRole('button', { name: 'Add rule' }));
    expect(argsOf('ipRules.add')).toEqual([{ scope: 'global', subject: '', cidr: '203.0.113.0/24' }]);
    expect(await screen.findByText('Rule for 203.0.113.0/24 added.')).toBeTruthy();
    expect(rowsOf('Global rules')).toEqual(['203.0.113.0/24']);
  });

  it('warns before a rule locks me out and adds it only once I confirm', async () => {
    const { argsOf } = await openSecurity();
    await userEvent.type(within(addForm()).getByLabelText('Address or network'), '10.0.0.0/8');
    const warning = within(addForm()).getByRole('alert');
    expect(warning.textContent).toContain(`Your own address ${myAddress} would no longer be allowed`);
    expect(warning.textContent).toContain('the global list');
    const add = within(addForm()).getByRole('button', { name: 'Add rule' });
    expect(add).toHaveProperty('disabled', true);

    await userEvent.click(within(warning).getByLabelText(/I understand I will be locked out/));
    await userEvent.click(add);
    expect(argsOf('ipRules.add')).toEqual([
      { scope: 'global', subject: '', cidr: '10.0.0.0/8', confirmLockout: true },
    ]);
  });

  it('warns for my own operator list but not for a role I do not have', async () => {
    const { argsOf } = await openSecurity();
    const form = addForm();
    await userEvent.selectOptions(within(form).getByLabelText('List'), 'By role');
    await userEvent.type(within(form).getByLabelText('Address or network'), '10.0.0.0/8');
    expect(within(form).getByLabelText('Role')).toHaveProperty('value', 'agent');
    expect(within(form).queryByRole('alert')).toBeNull();
    await userEvent.selectOptions(within(form).getByLabelText('Role'), 'Admins');
    expect(within(form).getByRole('alert').textContent).toContain('the list of your role');

    await userEvent.selectOptions(within(form).getByLabelText('List'), 'By operator');
    await userEvent.click(within(form).getByRole('button', { name: 'Add rule' }));
    expect(within(form).getByText('Choose the operator the rule is for.')).toBeTruthy();
    expect(argsOf('ipRules.add')).toEqual([]);
    await userEvent.selectOptions(within(form).getByLabelText('Operator'), 'Ben Brandt');
    expect(within(form).queryByRole('alert')).toBeNull();
    await userEvent.selectOptions(within(form).getByLabelText('Operator'), 'Ada Admin');
    expect(within(form).getByRole('alert').textContent).toContain('your own list');
  });

  it('handles the server’s would_lock_out refusal by asking for the confirmation', async () => {
    let refuse = true;
    const { argsOf } = await openSecurity({
      overrides: {
        'ipRules.add': ({ scope, subject, cidr, confirmLockout }) => {
          if (refuse && !confirmLockout) {
            refuse = false;
            throw new ParleyError('would_lock_out', 'Your own address would no longer be allowed.');
          }
          return { id: 'r9', scope, subject, cidr };
        },
      },
    });
    // The screen thinks this is safe (a colleague changed the lists meanwhile, say); the server knows better.
    await userEvent.type(within(addForm()).getByLabelText('Address or network'), '203.0.113.0/24');
    await userEvent.click(within(addForm()).getByRole('button', { name: 'Add rule' }));
    const warning = await within(addForm()).findByRole('alert');
    expect(warning.textContent).toContain('Your own address would no longer be allowed.');
    await userEvent.click(within(warning).getByLabelText(/I understand/));
    await userEvent.click(within(addForm()).getByRole('button', { name: 'Add rule' }));
    expect(argsOf('ipRules.add')).toEqual([
      { scope: 'global', subject: '', cidr: '203.0.113.0/24' },
      { scope: 'global', subject: '', cidr: '203.0.113.0/24', confirmLockout: true },
    ]);
    expect(await screen.findByText('Rule for 203.0.113.0/24 added.')).toBeTruthy();
  });

  it('removes a rule after asking, and asks for the lockout confirmation when removing it shuts me out', async () => {
    const { argsOf } = await openSecurity({
      rules: [
        { id: 'r1', scope: 'global', subject: '', cidr: '203.0.113.0/24' },
        { id: 'r2', scope: 'global', subject: '', cidr: '10.0.0.0/8' },
      ],
    });
    await userEvent.click(screen.getByRole('button', { name: 'Remove rule 10.0.0.0/8 for Everyone' }));
    let dialog = screen.getByRole('dialog', { name: 'Remove the rule 10.0.0.0/8?' });
    expect(within(dialog).queryByRole('alert')).toBeNull();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(argsOf('ipRules.remove')).toEqual([{ id: 'r2' }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(rowsOf('Global rules')).toEqual(['203.0.113.0/24']);

    // Now 203.0.113.0/24 is the only global rule: removing it empties the list, which restricts nothing.
    await userEvent.click(screen.getByRole('button', { name: 'Remove rule 203.0.113.0/24 for Everyone' }));
    dialog = screen.getByRole('dialog');
    expect(within(dialog).queryByRole('alert')).toBeNull();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
  });

  it('asks for the lockout confirmation when the rule I remove is the one that lets me in', async () => {
    const { argsOf } = await openSecurity({
      rules: [
        { id: 'r1', scope: 'global', subject: '', cidr: '203.0.113.0/24' },
        { id: 'r2', scope: 'global', subject: '', cidr: '10.0.0.0/8' },
      ],
    });
    await userEvent.click(screen.getByRole('button', { name: 'Remove rule 203.0.113.0/24 for Everyone' }));
    const dialog = screen.getByRole('dialog', { name: 'Remove the rule 203.0.113.0/24?' });
    expect(within(dialog).getByRole('alert').textContent).toContain('would no longer be allowed');
    const remove = within(dialog).getByRole('button', { name: 'Remove' });
    expect(remove).toHaveProperty('disabled', true);
    await userEvent.click(within(dialog).getByLabelText(/I understand/));
    await userEvent.click(remove);
    expect(argsOf('ipRules.remove')).toEqual([{ id: 'r1', confirmLockout: true }]);
  });
});

/** The texts a control is described by (hint, error), as a screen reader reads them after its name. */
function describedText(element: HTMLElement): string {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');
}

function rowsOf(table: string): string[] {
  return within(screen.getByRole('table', { name: table }))
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent)
        .filter((text) => text !== 'Remove')
        .join(' '),
    );
}
