import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IpcHandlers } from '../../main/core/ipc-router';
import { ParleyError } from '../../protocol/errors';
import type { IpcArgs } from '../../protocol/ipc';
import type { AuditEntryInfo } from '../../protocol/operator-socket';
import { captureDownloads } from './downloads';
import { openAdminScreen, teamOperators } from './admin-screen';

/** Entry `id` of a log whose ids count up with time: the higher, the newer. */
function entry(id: number, extra: Partial<AuditEntryInfo> = {}): AuditEntryInfo {
  return {
    id: String(id),
    at: new Date(Date.parse('2026-11-01T00:00:00.000Z') + id * 60_000).toISOString(),
    actorId: 'o-ada',
    actorName: 'ada',
    action: 'login.succeeded',
    target: null,
    address: '203.0.113.0',
    details: {},
    ...extra,
  };
}

/** A log of `count` entries, newest first; filters by actor and action like the server. */
function logOf(count: number): AuditEntryInfo[] {
  return Array.from({ length: count }, (_, index) => entry(count - index));
}

/** audit.list as the server answers it: newest first, `before` is "older than", limit + cursor. */
function auditServer(log: AuditEntryInfo[]) {
  return (params: IpcArgs<'audit.list'>) => {
    const matching = log.filter(
      (candidate) =>
        (params.actorId === undefined || candidate.actorId === params.actorId) &&
        (params.action === undefined || candidate.action === params.action) &&
        (params.before === undefined || Number(candidate.id) < Number(params.before)),
    );
    const limit = params.limit ?? 100;
    const entries = matching.slice(0, limit);
    return { entries, nextCursor: matching.length > limit ? (entries.at(-1)?.id ?? null) : null };
  };
}

async function openAudit(log: AuditEntryInfo[], overrides: Partial<IpcHandlers> = {}) {
  const app = await openAdminScreen('Audit log', {
    script: {
      'audit.list': auditServer(log),
      'operators.list': () => ({ operators: teamOperators }),
      ...overrides,
    },
  });
  await screen.findByRole('table', { name: 'Audit log entries, newest first' });
  return app;
}

const rows = () =>
  within(screen.getByRole('table', { name: 'Audit log entries, newest first' }))
    .getAllByRole('row')
    .slice(1)
    .filter((row) => row.getAttribute('aria-hidden') !== 'true');

const localDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

afterEach(() => vi.restoreAllMocks());

describe('audit log', () => {
  it('shows the newest entries with labels, codes, names and compact details', async () => {
    const log = [
      entry(3, {
        action: 'ip_rule.added',
        target: 'rule-1',
        details: { scope: 'global', subject: '', cidr: '10.0.0.0/8' },
      }),
      entry(2, { action: 'operator.disabled', target: 'o-anna', details: { endedSessions: 2 } }),
      entry(1, { actorId: null, actorName: null, action: 'custom.thing', address: null }),
    ];
    const { argsOf } = await openAudit(log);
    expect(argsOf('audit.list')).toEqual([{ limit: 100 }]);
    const cells = rows().map((row) =>
      within(row)
        .getAllByRole('cell')
        .slice(1)
        .map((cell) => cell.textContent),
    );
    expect(cells).toEqual([
      [
        'ada',
        'Allowlist rule addedip_rule.added',
        'rule-1',
        '203.0.113.0',
        'scope=global subject= cidr=10.0.0.0/8',
      ],
      ['ada', 'Operator disabledoperator.disabled', 'Anna Berg', '203.0.113.0', 'endedSessions=2'],
      ['unknown', 'custom.thing', '', 'not kept', ''],
    ]);
    // The time is shown where the operator is, to the second.
    const time = within(rows()[0] as HTMLElement)
      .getAllByRole('cell')[0]
      ?.querySelector('time');
    expect(time?.getAttribute('dateTime')).toBe(log[0]?.at);
    expect(screen.getByText('3 entries shown. That is all of them.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load older entries' })).toBeNull();
  });

  it('sends the filters: actor, action, and a period whose end includes that whole local day', async () => {
    const { argsOf } = await openAudit(logOf(5));
    const filters = screen.getByRole('form', { name: 'Filter the audit log' });
    await userEvent.selectOptions(within(filters).getByLabelText('Actor'), 'Anna Berg');
    await userEvent.type(within(filters).getByLabelText('Action'), 'login.failed');
    fireEvent.change(within(filters).getByLabelText('From'), { target: { value: '2026-11-01' } });
    fireEvent.change(within(filters).getByLabelText('To (inclusive)'), { target: { value: '2026-11-02' } });
    await userEvent.click(within(filters).getByRole('button', { name: 'Show entries' }));
    expect(argsOf('audit.list').at(-1)).toEqual({
      actorId: 'o-anna',
      action: 'login.failed',
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 10, 3).toISOString(),
      limit: 100,
    });
    expect(await screen.findByText('No entries match these filters.')).toBeTruthy();

    await userEvent.click(within(filters).getByRole('button', { name: 'Clear filters' }));
    expect(argsOf('audit.list').at(-1)).toEqual({ limit: 100 });
    expect((within(filters).getByLabelText('Action') as HTMLInputElement).value).toBe('');
  });

  it('offers the known actions by label and takes any code typed in', async () => {
    await openAudit(logOf(1));
    const input = screen.getByLabelText('Action') as HTMLInputElement;
    const options = [
      ...(document.getElementById(input.getAttribute('list') ?? '')?.querySelectorAll('option') ?? []),
    ];
    expect(options.find((option) => option.value === 'ip_rule.removed')?.textContent).toBe(
      'Allowlist rule removed',
    );
    expect(options.length).toBeGreaterThan(20);
    expect(
      options.every((option) => option.textContent !== '' && !option.textContent?.startsWith('admin.')),
    ).toBe(true);
  });

  it('refuses a period that ends before it starts', async () => {
    const { argsOf } = await openAudit(logOf(1));
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-11-05' } });
    const to = screen.getByLabelText('To (inclusive)');
    fireEvent.change(to, { target: { value: '2026-11-01' } });
    expect(to.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('The period ends before it starts.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Show entries' })).toHaveProperty('disabled', true);
    expect(argsOf('audit.list')).toHaveLength(1);
  });

  it('loads older entries page by page with the cursor, appending them', async () => {
    const { argsOf } = await openAudit(logOf(250));
    expect(screen.getByText('100 entries shown.')).toBeTruthy();
    // Virtualised: a screenful of the 100 rows is in the DOM, not all of them.
    expect(rows().length).toBeLessThan(40);
    expect(rows()[0]?.getAttribute('aria-rowindex')).toBe('2');

    await userEvent.click(screen.getByRole('button', { name: 'Load older entries' }));
    expect(await screen.findByText('200 entries shown.')).toBeTruthy();
    expect(argsOf('audit.list')[1]).toEqual({ before: '151', limit: 100 });

    await userEvent.click(screen.getByRole('button', { name: 'Load older entries' }));
    expect(await screen.findByText('250 entries shown. That is all of them.')).toBeTruthy();
    expect(argsOf('audit.list')[2]).toEqual({ before: '51', limit: 100 });
    expect(screen.queryByRole('button', { name: 'Load older entries' })).toBeNull();
    expect(screen.getByRole('table').getAttribute('aria-rowcount')).toBe('251');
  });

  it('keeps the filters when loading older entries', async () => {
    const log = logOf(300).map((candidate, index) => ({
      ...candidate,
      action: index % 2 ? 'login.failed' : 'lockout',
    }));
    const { argsOf } = await openAudit(log);
    await userEvent.type(screen.getByLabelText('Action'), 'lockout');
    await userEvent.click(screen.getByRole('button', { name: 'Show entries' }));
    await screen.findByText('100 entries shown.');
    await userEvent.click(screen.getByRole('button', { name: 'Load older entries' }));
    await screen.findByText('150 entries shown. That is all of them.');
    expect(argsOf('audit.list').at(-1)).toEqual({
      action: 'lockout',
      before: expect.any(String),
      limit: 100,
    });
  });

  it('downloads everything matching the filters as CSV, fetching 500 at a time, safe for spreadsheets', async () => {
    const log = logOf(1200);
    log[0] = { ...entry(1200), target: '=cmd|" /C calc"!A0', details: { note: '@SUM(1+1)' } };
    const files = captureDownloads();
    const { argsOf } = await openAudit(log);
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(await screen.findByText(/Downloaded 1,200 entries as parley-audit-/)).toBeTruthy();
    expect(argsOf('audit.list').slice(1)).toEqual([
      { limit: 500 },
      { limit: 500, before: '701' },
      { limit: 500, before: '201' },
    ]);

    expect(files).toHaveLength(1);
    const [file] = files;
    expect(file?.name).toBe(`parley-audit-${localDay(new Date())}.csv`);
    expect(file?.blob.type).toBe('text/csv;charset=utf-8');
    const text = await file?.blob.text();
    const records = text?.replace(/^\uFEFF/, '').split('\r\n');
    expect(records?.[0]).toBe('id,time,actor_id,actor,action,target,address,details');
    expect(records?.[1]).toBe(
      `1200,${entry(1200).at},o-ada,ada,login.succeeded,"'=cmd|"" /C calc""!A0",203.0.113.0,"{""note"":""@SUM(1+1)""}"`,
    );
    expect(records).toHaveLength(1200 + 2);
    expect(records?.at(-1)).toBe('');
  });

  it('downloads JSON with the filters it was made with', async () => {
    const files = captureDownloads();
    await openAudit(logOf(30).map((candidate) => ({ ...candidate, action: 'lockout' })));
    await userEvent.type(screen.getByLabelText('Action'), 'lockout');
    await userEvent.click(screen.getByRole('button', { name: 'Show entries' }));
    await screen.findByText('30 entries shown. That is all of them.');
    await userEvent.click(screen.getByRole('button', { name: 'Download JSON' }));
    await screen.findByText(/Downloaded 30 entries/);
    expect(files[0]?.name).toMatch(/^parley-audit-\d{4}-\d{2}-\d{2}\.json$/);
    const json = JSON.parse((await files[0]?.blob.text()) ?? '') as {
      filters: unknown;
      entries: AuditEntryInfo[];
    };
    expect(json.filters).toEqual({ action: 'lockout' });
    expect(json.entries).toHaveLength(30);
    expect(json.entries[0]).toEqual(entry(30, { action: 'lockout' }));
  });

  it('shows the progress of a long download and can cancel it', async () => {
    const files = captureDownloads();
    const log = logOf(1200);
    const answer = auditServer(log);
    const held: (() => void)[] = [];
    const { argsOf } = await openAudit(log, {
      'audit.list': (params) =>
        params.limit === 500
          ? new Promise((resolve) => held.push(() => resolve(answer(params))))
          : answer(params),
    });
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    expect(screen.getByRole('button', { name: 'Download CSV' })).toHaveProperty('disabled', true);
    await waitFor(() => expect(held).toHaveLength(1));
    held.shift()?.();
    expect(await screen.findByText('Fetched 500 entries…')).toBeTruthy();

    await waitFor(() => expect(held).toHaveLength(1));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel download' }));
    expect(screen.getByText('Download cancelled.')).toBeTruthy();
    held.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(argsOf('audit.list').filter((args) => (args as { limit: number }).limit === 500)).toHaveLength(2);
    expect(files).toEqual([]);
    expect(screen.getByRole('button', { name: 'Download CSV' })).toHaveProperty('disabled', false);
  });

  it('offers to try again when offline', async () => {
    let offline = true;
    const answer = auditServer(logOf(3));
    await openAdminScreen('Audit log', {
      script: {
        'operators.list': () => ({ operators: teamOperators }),
        'audit.list': (params) => {
          if (offline) throw new ParleyError('unreachable', 'You are offline.');
          return answer(params);
        },
      },
    });
    expect((await screen.findByRole('alert')).textContent).toContain(
      'The audit log could not be loaded: You are offline.',
    );
    offline = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('3 entries shown. That is all of them.')).toBeTruthy();
  });
});
