import { screen, within } from '@testing-library/dom';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { visitorPaths, maxVisitorMessageLength } from '../../protocol/visitor-socket';
import { maxMessageLength, paths } from '../../widget/src/contract';
import { baseConfig, chat, consentAndOpen, operatorMessage, settle, startFrame } from './harness';

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  document.body.replaceChildren();
});

afterEach(() => {
  vi.useRealTimers();
});

async function startChatting(options: Parameters<typeof consentAndOpen>[0] = {}) {
  const frame = await consentAndOpen(options);
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Name'), 'Vera');
  await user.click(screen.getByRole('button', { name: 'Start chat' }));
  await frame.socket().answer('chat.start', { chat: chat() });
  return { frame, user, socket: frame.socket() };
}

describe('the widget frame', () => {
  it('keeps its copies of the contract constants equal to the contract', () => {
    expect(paths).toEqual(visitorPaths);
    expect(maxMessageLength).toBe(maxVisitorMessageLength);
  });

  it('opens no socket before the visitor accepts the privacy notice', async () => {
    const frame = await startFrame();
    expect(frame.configRequests).toEqual(['/widget/config?group=g1&lang=en']);
    expect(screen.getByRole('heading', { name: 'Hello! How can we help?' })).toBeTruthy();
    const notice = screen.getByRole('region', { name: 'Privacy notice' });
    expect(notice.textContent).toContain('We keep chats for 90 days.');
    expect(notice.textContent).toContain('Version 3');
    expect(frame.sockets).toHaveLength(0);
    expect(frame.toLoader).toHaveBeenCalledWith({ type: 'parley:ready', color: '#2f6f5e' });

    screen.getByRole('button', { name: 'Accept and continue' }).click();
    expect(frame.sockets).toHaveLength(1);
    frame.socket().open();
    const consent = await frame.socket().answer('session.consent', {
      visitorToken: 'visitor-token-0123456789abcdef',
      visitorId: 'v1',
    });
    expect(consent).toEqual({ groupId: 'g1', noticeVersion: '3', language: 'en' });
    expect(localStorage.getItem('parley.visitor.g1')).toBe('visitor-token-0123456789abcdef');
    expect(document.cookie).toBe('');
    expect(document.activeElement).toBe(screen.getByLabelText('Name'));
  });

  it('keeps the token for the tab only when the group or the site asks for cookieless', async () => {
    await consentAndOpen({ params: 'group=g1&lang=en&cookieless=1' });
    expect(sessionStorage.getItem('parley.visitor.g1')).toBe('visitor-token-0123456789abcdef');
    expect(localStorage.getItem('parley.visitor.g1')).toBeNull();
  });

  it('asks for the fields the group configured and explains a bad email under the field', async () => {
    const frame = await consentAndOpen();
    const user = userEvent.setup();
    const name = screen.getByLabelText('Name');
    expect(name.hasAttribute('required')).toBe(true);
    expect(screen.getByLabelText('Email (optional)').hasAttribute('required')).toBe(false);
    expect(screen.getByLabelText('Order number (optional)')).toBeTruthy();
    expect(screen.queryByLabelText(/Phone/)).toBeNull();
    expect(screen.queryByLabelText(/Company/)).toBeNull();

    await user.type(screen.getByLabelText('Email (optional)'), 'vera@');
    await user.click(screen.getByRole('button', { name: 'Start chat' }));
    expect(screen.getByLabelText('Name').getAttribute('aria-invalid')).toBe('true');
    const email = screen.getByLabelText('Email (optional)');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(email.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'Please enter an email address like name@example.com.',
    );
    expect(document.activeElement).toBe(name);
    expect(frame.socket().methods()).toEqual(['session.consent']);

    await user.type(name, '  Vera Visitor ');
    await user.type(email, 'example.com');
    await user.type(screen.getByLabelText('Order number (optional)'), 'A-1042');
    await user.click(screen.getByRole('button', { name: 'Start chat' }));
    const params = await frame.socket().answer('chat.start', { chat: chat() });
    expect(params).toEqual({
      fields: { name: 'Vera Visitor', email: 'vera@example.com', custom: 'A-1042' },
      pageUrl: 'https://shop.example/rucksaecke?size=35',
    });
  });

  it('shows the queue position and wait, then the operator, and moves focus to the composer', async () => {
    const { socket } = await startChatting();
    expect(screen.getByText('You are number 2 in line, about 1 minute')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByLabelText('Message'));

    socket.event('chat', {
      chat: { ...chat({ position: 1, estimatedWaitSeconds: 170 }), messages: undefined },
    });
    expect(screen.getByText('You are next in line, about 3 minutes')).toBeTruthy();
    const { messages: _messages, ...active } = chat({
      status: 'active',
      position: null,
      operatorName: 'Olga',
    });
    socket.event('chat', { chat: active });
    expect(screen.getByText('You are chatting with Olga')).toBeTruthy();
  });

  it('sends on Enter, breaks the line on Shift+Enter, and tracks sending, sent and read', async () => {
    const { socket, user } = await startChatting();
    const composer = screen.getByLabelText('Message');
    await user.type(composer, 'Hello{Shift>}{Enter}{/Shift}second line');
    expect((composer as HTMLTextAreaElement).value).toBe('Hello\nsecond line');
    expect(socket.methods()).not.toContain('chat.send');

    await user.type(composer, '{Enter}');
    expect((composer as HTMLTextAreaElement).value).toBe('');
    const log = screen.getByRole('log', { name: 'Messages' });
    expect(within(log).getByText('Sending…')).toBeTruthy();

    const request = socket.pending('chat.send');
    expect(request.params).toEqual({ clientMsgId: 'client-msg-1', text: 'Hello\nsecond line' });
    await socket.answer('chat.send', {
      message: {
        id: '9',
        author: 'visitor',
        name: 'Vera',
        text: 'Hello\nsecond line',
        clientMsgId: 'client-msg-1',
        createdAt: '2026-11-23T12:05:01.000Z',
      },
    });
    expect(within(log).getByText('Sent')).toBeTruthy();

    // "10" is after "9" as a number, though not as a string.
    const { messages: _messages, ...read } = chat({ status: 'active', operatorName: 'Olga', readUpTo: '10' });
    socket.event('chat', { chat: read });
    expect(within(log).getByText('Read')).toBeTruthy();
    expect(within(log).getAllByText(/Hello/)).toHaveLength(1);
  });

  it('shows what operators write as text, never as markup', async () => {
    const { socket } = await startChatting();
    socket.event('message', { message: operatorMessage('11', '<img src=x onerror="alert(1)"><b>bold</b>') });
    const log = screen.getByRole('log', { name: 'Messages' });
    expect(within(log).getByText('<img src=x onerror="alert(1)"><b>bold</b>')).toBeTruthy();
    expect(log.querySelector('img, b')).toBeNull();
  });

  it('tells the operator about typing and shows when the operator types', async () => {
    const { socket } = await startChatting();
    vi.useFakeTimers();
    const composer = screen.getByLabelText('Message') as HTMLTextAreaElement;
    for (const text of ['H', 'Ha', 'Hal']) {
      composer.value = text;
      composer.dispatchEvent(new Event('input', { bubbles: true }));
    }
    expect(socket.sent.filter((request) => request.method === 'chat.typing').map((r) => r.params)).toEqual([
      { typing: true },
    ]);
    vi.advanceTimersByTime(3100);
    expect(socket.sent.filter((request) => request.method === 'chat.typing').map((r) => r.params)).toEqual([
      { typing: true },
      { typing: false },
    ]);

    socket.event('typing', { typing: true, name: 'Olga' });
    expect(screen.getByText('Olga is typing…')).toBeTruthy();
    socket.event('message', { message: operatorMessage('12', 'Hello Vera!') });
    expect(screen.queryByText('Olga is typing…')).toBeNull();
  });

  it('shows a rate limit, keeps the message and sends it again on request', async () => {
    const { socket, user } = await startChatting();
    await user.type(screen.getByLabelText('Message'), 'Anyone there?{Enter}');
    await socket.refuse('chat.send', 'rate_limited', 'Slow down: at most 20 messages a minute.');
    expect(screen.getByText('Slow down: at most 20 messages a minute.')).toBeTruthy();
    expect(screen.getByText('Not sent.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Send again' }));
    expect(socket.pending('chat.send').params).toEqual({
      clientMsgId: 'client-msg-1',
      text: 'Anyone there?',
    });
  });

  it('ends the chat, takes a rating with a comment and downloads the transcript', async () => {
    const { socket, user } = await startChatting();
    socket.event('message', { message: operatorMessage('11', 'Hello, I am Olga.\nHow can I help?') });
    await user.click(screen.getByRole('button', { name: 'End chat' }));
    await socket.answer('chat.leave');
    expect(screen.getByRole('heading', { name: 'The chat has ended.' })).toBe(document.activeElement);
    expect(screen.queryByLabelText('Message')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Send rating' }));
    expect(screen.getByText('Please choose from 1 to 5 stars.')).toBeTruthy();
    await user.click(screen.getByRole('radio', { name: '4 stars' }));
    await user.type(screen.getByLabelText('Comment (optional)'), 'Quick and friendly');
    await user.click(screen.getByRole('button', { name: 'Send rating' }));
    expect(await socket.answer('chat.rate')).toEqual({ rating: 4, comment: 'Quick and friendly' });
    expect(screen.getByText('Thank you for your feedback.')).toBeTruthy();

    const blobs: Blob[] = [];
    const downloads: string[] = [];
    URL.createObjectURL = (blob: Blob) => (blobs.push(blob), 'blob:transcript');
    URL.revokeObjectURL = () => undefined;
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      downloads.push(this.download);
    });
    await user.click(screen.getByRole('button', { name: 'Download transcript' }));
    click.mockRestore();
    expect(downloads).toEqual([expect.stringMatching(/^chat-transcript-2026-11-2\d\.txt$/)]);
    const text = await blobs[0]?.text();
    expect(text).toMatch(/^Chat transcript – Bergmann Outdoor\n\n/);
    expect(text).toMatch(/\[2026-11-2\d \d\d:\d\d\] Olga: Hello, I am Olga\.\n {4}How can I help\?\n$/);
  });

  it('shows the rating when the operator ends the chat', async () => {
    const { socket } = await startChatting();
    const { messages: _messages, ...ended } = chat({ status: 'ended', position: null });
    socket.event('chat', { chat: ended });
    expect(screen.getByRole('group', { name: 'How was your chat?' })).toBeTruthy();
    expect(screen.getAllByRole('radio').map((radio) => radio.getAttribute('value'))).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
    ]);
    expect(screen.getByRole('radio', { name: '1 star' })).toBeTruthy();
  });

  it('offers the offline form when nobody is online and reports the ticket number', async () => {
    const frame = await consentAndOpen({ config: { online: false } });
    const user = userEvent.setup();
    expect(screen.getByText(/Nobody is available right now/)).toBeTruthy();
    await user.type(screen.getByLabelText('Name'), 'Vera');
    await user.click(screen.getByRole('button', { name: 'Send message' }));
    // The reply goes by email, so the offline form needs one even where the chat form does not.
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Message').getAttribute('aria-invalid')).toBe('true');
    await user.type(screen.getByLabelText('Email'), 'vera@example.com');
    await user.type(screen.getByLabelText('Message'), 'Is the Alpin Pro 45 in stock?');
    await user.click(screen.getByRole('button', { name: 'Send message' }));
    expect(await frame.socket().answer('offline.submit', { ticketNumber: 1042 })).toEqual({
      fields: { name: 'Vera', email: 'vera@example.com' },
      message: 'Is the Alpin Pro 45 in stock?',
    });
    expect(screen.getByText('Thanks! Your message is ticket #1042. We will answer by email.')).toBeTruthy();
  });

  it('turns a refused start (nobody online any more) into the offline form, keeping what was typed', async () => {
    const frame = await consentAndOpen();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), 'Vera');
    await user.click(screen.getByRole('button', { name: 'Start chat' }));
    await frame.socket().refuse('chat.start', 'conflict', 'Nobody is online in this group.');
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('Vera');
    expect(screen.getByRole('button', { name: 'Send message' })).toBeTruthy();
    expect(screen.getByLabelText('Message')).toBeTruthy();
  });

  it('speaks German', async () => {
    const frame = await consentAndOpen(
      { params: 'group=g1&lang=de', config: { language: 'de', customLabel: 'Bestellnummer' } },
      'Akzeptieren und fortfahren',
    );
    expect(frame.configRequests).toEqual(['/widget/config?group=g1&lang=de']);
    expect(document.documentElement.lang).toBe('de');
    const user = userEvent.setup();
    expect(screen.getByLabelText('Bestellnummer (optional)')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Chat starten' }));
    expect(screen.getByText('Bitte füllen Sie dieses Feld aus.')).toBeTruthy();
    await user.type(screen.getByLabelText('Name'), 'Vera');
    await user.click(screen.getByRole('button', { name: 'Chat starten' }));
    await frame.socket().answer('chat.start', { chat: chat() });
    expect(screen.getByText('Sie sind Nummer 2 in der Warteschlange, etwa 1 Minute')).toBeTruthy();
    expect(screen.getByLabelText('Nachricht')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Chat beenden' }));
    await frame.socket().answer('chat.leave');
    expect(screen.getByRole('radio', { name: '4 Sterne' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Verlauf herunterladen' })).toBeTruthy();
  });

  it('takes the browser language when the site names none', async () => {
    const frame = await startFrame({
      params: 'group=g1',
      browserLanguage: 'de-AT',
      config: { language: 'de' },
    });
    expect(frame.configRequests).toEqual(['/widget/config?group=g1&lang=de']);
  });

  it('says so when the group does not exist', async () => {
    await startFrame({ configStatus: 404 });
    expect(screen.getByText('This chat is not set up yet.')).toBeTruthy();
  });

  it('resumes with a stored token instead of asking for consent again', async () => {
    localStorage.setItem('parley.visitor.g1', 'visitor-token-0123456789abcdef');
    const frame = await startFrame();
    expect(screen.queryByRole('button', { name: 'Accept and continue' })).toBeNull();
    frame.socket().open();
    const params = await frame.socket().answer('session.resume', {
      visitorId: 'v1',
      groupId: 'g1',
      chat: chat({
        status: 'active',
        position: null,
        operatorName: 'Olga',
        messages: [operatorMessage('5', 'Welcome back')],
      }),
    });
    expect(params).toEqual({ visitorToken: 'visitor-token-0123456789abcdef' });
    expect(screen.getByText('Welcome back')).toBeTruthy();
    expect(screen.getByText('You are chatting with Olga')).toBeTruthy();
  });

  it('starts over at consent when the server no longer knows the token', async () => {
    localStorage.setItem('parley.visitor.g1', 'visitor-token-0123456789abcdef');
    const frame = await startFrame();
    frame.socket().open();
    await frame.socket().refuse('session.resume', 'unauthenticated', 'Unknown visitor.');
    expect(localStorage.getItem('parley.visitor.g1')).toBeNull();
    expect(screen.getByRole('button', { name: 'Accept and continue' })).toBeTruthy();
    expect(frame.socket().closed).toBe(true);
  });

  it('reconnects after a dropped connection, resumes and sends what was waiting', async () => {
    const { frame, socket, user } = await startChatting();
    socket.close();
    expect(screen.getByText('Connection lost. Reconnecting…')).toBeTruthy();
    await user.type(screen.getByLabelText('Message'), 'Still there?{Enter}');
    expect(screen.getByText('Sending…')).toBeTruthy();

    await vi.waitFor(() => expect(frame.sockets).toHaveLength(2), { timeout: 3000 });
    const again = frame.socket();
    again.open();
    expect(screen.queryByText('Connection lost. Reconnecting…')).toBeNull();
    await again.answer('session.resume', {
      visitorId: 'v1',
      groupId: 'g1',
      chat: chat({ status: 'active', operatorName: 'Olga' }),
    });
    expect(again.pending('chat.send').params).toEqual({ clientMsgId: 'client-msg-1', text: 'Still there?' });
    await settle();
  });

  it('lets the visitor correct their details during the chat, starting from what they entered', async () => {
    const { socket, user } = await startChatting();
    await user.click(screen.getByRole('button', { name: 'Your details' }));
    expect(screen.getByRole('heading', { name: 'Your details' })).toBeTruthy();
    const name = screen.getByLabelText('Name') as HTMLInputElement;
    expect(name.value).toBe('Vera');
    expect(document.activeElement).toBe(name);

    await user.clear(name);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(socket.methods()).not.toContain('details.update');

    await user.type(name, 'Vera Weber');
    await user.type(screen.getByLabelText('Email (optional)'), 'vera@example.com');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(
      await socket.refuse('details.update', 'forbidden', 'The details of this chat cannot be changed.'),
    ).toEqual({
      fields: { name: 'Vera Weber', email: 'vera@example.com' },
    });
    expect(screen.getByText('The details of this chat cannot be changed.').getAttribute('role')).toBe(
      'alert',
    );

    await user.click(screen.getByRole('button', { name: 'Save' }));
    await socket.answer('details.update');
    expect(screen.getByText('Your details have been updated.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Your details' }));
    expect(screen.getByLabelText('Message')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Your details' }));
    expect((screen.getByLabelText('Email (optional)') as HTMLInputElement).value).toBe('vera@example.com');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByText('Your details have been updated.')).toBeNull();
    expect(socket.methods().filter((method) => method === 'details.update')).toHaveLength(2);
  });

  it('offers no details form where the group does not allow changes, nor once the chat has ended', async () => {
    await startChatting({ config: { fields: { ...baseConfig.fields, visitorsMayEdit: false } } });
    expect(screen.queryByRole('button', { name: 'Your details' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Delete this chat' })).toBeTruthy();

    document.body.replaceChildren();
    localStorage.clear();
    const { socket, user } = await startChatting();
    await user.click(screen.getByRole('button', { name: 'End chat' }));
    await socket.answer('chat.leave');
    expect(screen.queryByRole('button', { name: 'Your details' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Delete this chat' })).toBeTruthy();
  });

  it('deletes the chat only after the visitor confirms, then starts afresh', async () => {
    const { socket, user } = await startChatting();
    socket.event('message', { message: operatorMessage('11', 'Hello, I am Olga.') });
    const remove = screen.getByRole('button', { name: 'Delete this chat' });
    await user.click(remove);
    const question = screen.getByRole('group', {
      name: 'This deletes the chat and its messages for good.',
    });
    // The safe choice has the focus: Enter alone deletes nothing.
    expect(document.activeElement).toBe(within(question).getByRole('button', { name: 'Cancel' }));
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('group', { name: /for good/ })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete this chat' }));
    expect(socket.methods()).not.toContain('chat.delete');

    await user.click(screen.getByRole('button', { name: 'Delete this chat' }));
    await user.click(screen.getByRole('button', { name: 'Delete chat' }));
    await socket.refuse('chat.delete', 'internal', '');
    expect(screen.getByText('Something went wrong. Please try again.')).toBeTruthy();
    expect(screen.getByText('Hello, I am Olga.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Delete chat' }));
    await socket.answer('chat.delete');
    expect(screen.queryByText('Hello, I am Olga.')).toBeNull();
    expect(screen.getByRole('button', { name: 'Start chat' })).toBeTruthy();
    expect((screen.getByLabelText('Name') as HTMLInputElement).value).toBe('');
    expect(screen.queryByText('Something went wrong. Please try again.')).toBeNull();
  });

  it('speaks German in the details form and the delete confirmation', async () => {
    const frame = await consentAndOpen(
      { params: 'group=g1&lang=de', config: { language: 'de' } },
      'Akzeptieren und fortfahren',
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Name'), 'Vera');
    await user.click(screen.getByRole('button', { name: 'Chat starten' }));
    await frame.socket().answer('chat.start', { chat: chat() });
    await user.click(screen.getByRole('button', { name: 'Diesen Chat löschen' }));
    expect(
      screen.getByRole('group', { name: 'Damit werden der Chat und seine Nachrichten endgültig gelöscht.' }),
    ).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Abbrechen' }));
    await user.click(screen.getByRole('button', { name: 'Ihre Angaben' }));
    expect(screen.getByRole('heading', { name: 'Ihre Angaben' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Speichern' })).toBeTruthy();
  });

  it('asks the loader for attention when a reply arrives while the widget is closed', async () => {
    const { frame, socket } = await startChatting();
    frame.widget.receive({ type: 'parley:closed' });
    socket.event('message', { message: operatorMessage('11', 'Hello?') });
    expect(frame.toLoader).toHaveBeenLastCalledWith({ type: 'parley:attention' });
  });
});
