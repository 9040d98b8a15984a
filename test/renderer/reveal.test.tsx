import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParleyError } from '../../protocol/errors';
import type { VisitorInfo } from '../../protocol/operator-socket';
import { permissionsOf, type Role } from '../../protocol/roles';
import { emptyVisitor } from '../support/in-memory-parley';
import { renderWorkspace } from '../support/render-app';
import { chat, groups } from './fixtures';

/** Vera as the server sends her under rules that shorten her name and email and hide her phone. */
const vera: VisitorInfo = {
  ...emptyVisitor('c1'),
  visitorId: 'v1',
  fields: { name: 'V••• V•••', email: 'v•••@e•••.de', phone: null, company: 'Acme GmbH', custom: null },
  maskedFields: ['name', 'email', 'phone'],
};
const veraUnmasked = { name: 'Vera Visitor', email: 'vera@example.de', phone: '+49 170 1234512' };

async function openVera(role: Role, refusal?: string) {
  const app = await renderWorkspace(
    {
      chats: [chat('c1', 'V••• V•••'), chat('c2', 'Otto Other')],
      visitors: { c1: vera, c2: emptyVisitor('c2') },
      unmasked: { c1: veraUnmasked },
      groups,
    },
    {
      permissions: permissionsOf(role),
      ...(refusal
        ? {
            script: {
              'chats.reveal': () => {
                throw new ParleyError('forbidden', refusal);
              },
            },
          }
        : {}),
    },
  );
  await within(panel()).findByText('Acme GmbH');
  return app;
}

const panel = () => screen.getByRole('complementary', { name: 'Visitor' });
const fact = (term: string) =>
  within(panel()).getByText(term, { selector: 'dt' }).nextElementSibling as HTMLElement;

async function askToReveal(field: string, reason: string) {
  await userEvent.click(within(panel()).getByRole('button', { name: `Reveal ${field}` }));
  const dialog = within(screen.getByRole('dialog', { name: `Reveal ${field}` }));
  if (reason) await userEvent.type(dialog.getByLabelText('Reason'), reason);
  return dialog;
}

afterEach(() => vi.useRealTimers());

describe('masked visitor details', () => {
  it('shows masked values as masked and a hidden one as hidden, with nothing to reveal for an agent', async () => {
    await openVera('agent');
    expect(fact('Name').textContent).toBe('V••• V••• masked');
    expect(fact('Email').textContent).toBe('v•••@e•••.de masked');
    expect(fact('Phone').textContent).toBe('Hidden');
    expect(fact('Company').textContent).toBe('Acme GmbH');
    expect(within(panel()).queryByRole('button', { name: /^Reveal/ })).toBeNull();
  });

  it('lets a lead reveal one value for a reason, and forgets it when its time is up', async () => {
    const { argsOf, store } = await openVera('lead');
    expect(
      within(panel())
        .getAllByRole('button', { name: /^Reveal/ })
        .map((button) => button.getAttribute('aria-label')),
    ).toEqual(['Reveal name', 'Reveal email', 'Reveal phone']);
    const dialog = await askToReveal('email', '  Customer asked for a call back ');

    // Fake clocks that still run, so the screen's own waiting works; the test jumps ahead below.
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    fireEvent.click(dialog.getByRole('button', { name: 'Reveal' }));
    expect(await within(panel()).findByText('vera@example.de')).toBeTruthy();
    expect(argsOf('chats.reveal')).toEqual([
      { chatId: 'c1', field: 'email', reason: 'Customer asked for a call back' },
    ]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fact('Email').textContent).toMatch(/^vera@example\.deHideShown until \d{1,2}:\d\d/);
    const hide = within(panel()).getByRole('button', { name: 'Hide email' });
    expect(document.activeElement).toBe(hide);
    // The other masked values stay masked, and the value is kept nowhere but on screen.
    expect(fact('Phone').textContent).toBe('HiddenReveal');
    expect(JSON.stringify([...store.values()])).not.toContain('vera@example.de');
    expect(JSON.stringify({ ...localStorage })).not.toContain('vera@example.de');

    act(() => vi.advanceTimersByTime(5 * 60 * 1000 - 1000));
    expect(within(panel()).getByText('vera@example.de')).toBeTruthy();
    act(() => vi.advanceTimersByTime(1000));
    expect(within(panel()).queryByText('vera@example.de')).toBeNull();
    expect(fact('Email').textContent).toBe('v•••@e•••.de maskedReveal');
    expect(within(panel()).getByRole('button', { name: 'Reveal email' })).toBe(hide);
  });

  it('hides a revealed value on request, and forgets it when another chat is selected', async () => {
    const { argsOf } = await openVera('lead');
    await userEvent.click((await askToReveal('phone', 'Call back')).getByRole('button', { name: 'Reveal' }));
    expect(await within(panel()).findByText('+49 170 1234512')).toBeTruthy();
    await userEvent.click(within(panel()).getByRole('button', { name: 'Hide phone' }));
    expect(fact('Phone').textContent).toBe('HiddenReveal');

    await userEvent.click(
      (await askToReveal('name', 'Greeting by name')).getByRole('button', { name: 'Reveal' }),
    );
    expect(await within(panel()).findByText('Vera Visitor')).toBeTruthy();
    await userEvent.click(screen.getByRole('tab', { name: 'Otto Other' }));
    await within(panel()).findByText('The visitor gave no details.');
    await userEvent.click(screen.getByRole('tab', { name: 'V••• V•••' }));
    await within(panel()).findByText('Acme GmbH');
    expect(fact('Name').textContent).toBe('V••• V••• maskedReveal');
    expect(argsOf('chats.reveal')).toHaveLength(2);
  });

  it('forgets a revealed value once the visitor changes their details, since it may be out of date', async () => {
    const { emit } = await openVera('lead');
    await userEvent.click((await askToReveal('email', 'Call back')).getByRole('button', { name: 'Reveal' }));
    expect(await within(panel()).findByText('vera@example.de')).toBeTruthy();
    act(() => emit('chats.visitorChanged', { chatId: 'c1' }));
    await waitFor(() => expect(within(panel()).queryByText('vera@example.de')).toBeNull());
    expect(within(panel()).getByRole('button', { name: 'Reveal email' })).toBeTruthy();
  });

  it('asks for a reason beside the field and sends nothing without one', async () => {
    const { argsOf } = await openVera('lead');
    for (const typed of ['', '  ', 'ok']) {
      const dialog = await askToReveal('email', typed);
      await userEvent.click(dialog.getByRole('button', { name: 'Reveal' }));
      expect(dialog.getByText('Give a reason of 3 to 500 characters.')).toBeTruthy();
      expect(dialog.getByLabelText('Reason').getAttribute('aria-invalid')).toBe('true');
      expect(document.activeElement).toBe(dialog.getByLabelText('Reason'));
      await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
    }
    expect(argsOf('chats.reveal')).toEqual([]);
    expect(fact('Email').textContent).toBe('v•••@e•••.de maskedReveal');
  });

  it('shows the server’s refusal in the dialog and reveals nothing', async () => {
    await openVera('lead', 'Your role may not reveal visitor details.');
    const dialog = await askToReveal('email', 'Customer asked for a call back');
    await userEvent.click(dialog.getByRole('button', { name: 'Reveal' }));
    expect((await dialog.findByRole('alert')).textContent).toBe('Your role may not reveal visitor details.');
    expect((dialog.getByLabelText('Reason') as HTMLInputElement).value).toBe(
      'Customer asked for a call back',
    );
    expect(fact('Email').textContent).toBe('v•••@e•••.de maskedReveal');
  });
});
