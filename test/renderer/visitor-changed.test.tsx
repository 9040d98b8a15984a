import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { emptyVisitor } from '../support/in-memory-parley';
import { renderWorkspace } from '../support/render-app';
import { chat, groups } from './fixtures';

const panel = () => screen.getByRole('complementary', { name: 'Visitor' });
const fact = (term: string) =>
  within(panel()).queryByText(term, { selector: 'dt' })?.nextElementSibling?.textContent;

describe('visitor panel when the visitor corrects their details', () => {
  it('shows the new details of the chat in front, and leaves other chats alone', async () => {
    const vera = {
      ...emptyVisitor('c1'),
      fields: { ...emptyVisitor('c1').fields, email: 'vera@example.de' },
    };
    const { state, emit, argsOf } = await renderWorkspace({
      chats: [chat('c1', 'Vera Visitor'), chat('c2', 'Otto Other')],
      visitors: { c1: vera },
      groups,
    });
    await within(panel()).findByText('vera@example.de');

    state.visitors['c1'] = { ...vera, fields: { ...vera.fields, email: 'vera.weber@example.de' } };
    emit('chats.visitorChanged', { chatId: 'c1' });
    expect(await within(panel()).findByText('vera.weber@example.de')).toBeTruthy();
    expect(fact('Email')).toBe('vera.weber@example.de');

    await userEvent.click(screen.getByRole('tab', { name: 'Otto Other' }));
    await within(panel()).findByText('The visitor gave no details.');
    const fetched = argsOf('chats.visitor').length;
    emit('chats.visitorChanged', { chatId: 'c1' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(argsOf('chats.visitor')).toHaveLength(fetched);
    expect(within(panel()).queryByText('vera.weber@example.de')).toBeNull();
  });
});
