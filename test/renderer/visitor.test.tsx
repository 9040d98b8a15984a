import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { VisitorInfo } from '../../protocol/operator-socket';
import { emptyVisitor } from '../support/in-memory-parley';
import { renderWorkspace } from '../support/render-app';
import { chat, groups } from './fixtures';

const vera: VisitorInfo = {
  chatId: 'c1',
  visitorId: 'v1',
  fields: {
    name: 'Vera <b>Visitor</b>',
    email: 've***@example.com',
    phone: '+49 30 ****12',
    company: '<img src=x onerror=alert(1)>',
    custom: 'A-1234',
  },
  maskedFields: [],
  customLabel: 'Order number',
  pageUrl: 'https://shop.example.com/checkout?step=2',
  consent: { noticeVersion: '2026-03', language: 'de', givenAt: '2026-11-23T08:58:00.000Z' },
  address: '203.0.113.0',
  previousChats: [
    { id: 'p1', createdAt: '2026-10-02T10:00:00.000Z', outcome: 'answered', messageCount: 12, rating: 4 },
    { id: 'p2', createdAt: '2026-09-01T10:00:00.000Z', outcome: 'missed', messageCount: 1, rating: null },
  ],
  rating: { rating: 5, comment: 'Very helpful' },
};

const panel = () => screen.getByRole('complementary', { name: 'Visitor' });
const fact = (term: string) =>
  within(panel()).getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;

describe('visitor panel', () => {
  it('shows what the server sent: fields, page, consent, address, history and rating', async () => {
    await renderWorkspace({ chats: [chat('c1', 'Vera Visitor')], visitors: { c1: vera }, groups });
    await within(panel()).findByText('Order number');
    expect(fact('Email')).toBe('ve***@example.com');
    expect(fact('Phone')).toBe('+49 30 ****12');
    expect(fact('Order number')).toBe('A-1234');
    expect(fact('Page')).toBe('https://shop.example.com/checkout?step=2');
    expect(fact('Address')).toBe('203.0.113.0');
    expect(fact('Privacy notice')).toBe('2026-03');
    expect(fact('Language')).toBe('de');
    expect(fact('Given')).toMatch(/2026/);
    expect(within(panel()).queryByRole('link')).toBeNull();

    expect(within(panel()).getByText('5 of 5')).toBeTruthy();
    expect(within(panel()).getByText('“Very helpful”')).toBeTruthy();
    const history = within(panel()).getByRole('heading', { name: 'Previous chats (2)' }).nextElementSibling;
    const entries = within(history as HTMLElement).getAllByRole('listitem');
    expect(entries[0]?.textContent).toContain('Answered · 12 messages');
    expect(entries[0]?.textContent).toContain('4 of 5');
    expect(entries[1]?.textContent).toContain('Missed · 1 message');
  });

  it('shows markup in visitor data as text', async () => {
    await renderWorkspace({ chats: [chat('c1', 'Vera Visitor')], visitors: { c1: vera }, groups });
    await within(panel()).findByText('Order number');
    expect(fact('Name')).toBe('Vera <b>Visitor</b>');
    expect(fact('Company')).toBe('<img src=x onerror=alert(1)>');
    expect(panel().querySelector('b, img')).toBeNull();
  });

  it('fetches the visitor again when another chat is selected, and says when nothing was given', async () => {
    const { argsOf } = await renderWorkspace({
      chats: [chat('c1', 'Vera Visitor'), chat('c2', 'Otto Other')],
      visitors: { c1: vera, c2: emptyVisitor('c2') },
      groups,
    });
    await within(panel()).findByText('Order number');
    await userEvent.click(screen.getByRole('tab', { name: 'Otto Other' }));
    expect(await within(panel()).findByText('The visitor gave no details.')).toBeTruthy();
    expect(within(panel()).queryByText('Order number')).toBeNull();
    expect(within(panel()).getByText('No consent on record.')).toBeTruthy();
    expect(within(panel()).getByText('This is the visitor’s first chat.')).toBeTruthy();
    expect(argsOf('chats.visitor')).toEqual([{ chatId: 'c1' }, { chatId: 'c2' }]);
  });
});
