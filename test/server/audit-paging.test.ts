import { afterAll, beforeAll, expect, it } from 'vitest';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { listAudit, recordAudit } from '../../server/audit';
import { silentLog } from '../../server/log';
import { describeEachServerStorage } from '../support/operator-client';
import { fakeClock } from '../support/server-fixtures';

describeEachServerStorage('paging through a large audit log', (storage) => {
  let server: ParleyServer;
  const clock = fakeClock(Date.parse('2026-11-01T00:00:00Z'));
  const total = 1_300;

  beforeAll(async () => {
    server = await startParleyServer({ storage: await storage(), log: silentLog, clock });
    await server.ctx.db.deleteFrom('audit_log').execute();
    for (let i = 0; i < total; i++) {
      clock.advanceMinutes(1);
      await recordAudit(server.ctx.db, clock, 'full', {
        action: i % 4 === 0 ? 'ip_rule.added' : 'login.succeeded',
        details: { i },
      });
    }
  }, 120_000);
  afterAll(() => server?.close());

  async function everything(filter: { action?: string; from?: string; to?: string }) {
    const seen: number[] = [];
    let before: string | undefined;
    for (let pages = 0; pages < 20; pages++) {
      const page = await listAudit(server.ctx.db, { ...filter, before, limit: 500 });
      seen.push(...page.entries.map((entry) => entry.details['i'] as number));
      if (!page.nextCursor) return seen;
      before = page.nextCursor;
    }
    throw new Error('the cursor never ran out');
  }

  it('returns every entry exactly once, newest first, page after page', async () => {
    const all = await everything({});
    expect(all).toHaveLength(total);
    expect(all).toEqual([...all].sort((a, b) => b - a));
  });

  it('pages within one action and within a period', async () => {
    const rules = await everything({ action: 'ip_rule.added' });
    expect(rules).toHaveLength(total / 4);
    expect(rules.every((i) => i % 4 === 0)).toBe(true);

    // Entry i was recorded at start + (i + 1) minutes; `to` is exclusive.
    const start = Date.parse('2026-11-01T00:00:00Z');
    const minute = (n: number) => new Date(start + n * 60_000).toISOString();
    const period = await everything({ from: minute(101), to: minute(701) });
    expect(period).toHaveLength(600);
    expect(Math.min(...period)).toBe(100);
    expect(Math.max(...period)).toBe(699);
  });
});
