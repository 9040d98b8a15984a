import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { silentLog } from '../../server/log';
import { addToGroup, createGroup } from '../../server/queues/groups';
import { enqueueChat } from '../../server/queues/handover';
import { launchChromium, screenshotDir } from '../support/chromium';
import { signInOnHost } from '../support/operator-page';
import { startBuiltHost } from '../support/processes';
import { addOperator, withoutRequiredTotp } from '../support/server-fixtures';

/*
 * The operator's queue under load, in Chromium through the built browser host: frame times while
 * 5,000 chats wait and 50 more arrive every second, against the same page with an empty queue
 * measured in the same run. Frames are timed in the page (requestAnimationFrame); the main
 * thread's tasks come from a Chromium trace.
 */

interface FrameFigures {
  frames: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Renderer main-thread tasks over 50 ms, from the trace. */
  longTasks: number;
  /** Share of the window the renderer's main thread was busy, from the trace. */
  mainThreadBusy: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  args?: { name?: string };
}

/** Tasks of the renderer main thread ('CrRendererMain') in a Chromium trace. */
function rendererTasks(trace: Buffer): number[] {
  const events = (JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
  if (!main) return [];
  return events
    .filter(
      (event) =>
        event.pid === main.pid &&
        event.tid === main.tid &&
        event.name === 'ThreadControllerImpl::RunTask' &&
        event.ph === 'X',
    )
    .map((event) => (event.dur ?? 0) / 1000);
}

async function measure(
  page: Page,
  seconds: number,
  during: () => Promise<void>,
  traceName: string,
): Promise<FrameFigures> {
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser');
  await browser.startTracing(page, { categories: ['devtools.timeline', 'toplevel'] });
  // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
  const intervals = page.evaluate<number[]>(`new Promise((resolve) => {
    const gaps = [];
    let last = performance.now();
    const end = last + ${seconds * 1000};
    const onFrame = (now) => {
      gaps.push(now - last);
      last = now;
      if (now < end) requestAnimationFrame(onFrame);
      else resolve(gaps);
    };
    requestAnimationFrame(onFrame);
  })`);
  await during();
  const gaps = (await intervals).sort((a, b) => a - b);
  const trace = await browser.stopTracing();
  writeFileSync(join(screenshotDir, traceName), trace);
  const tasks = rendererTasks(trace);
  const at = (p: number) =>
    Number((gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))] ?? NaN).toFixed(1));
  return {
    frames: gaps.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    maxMs: Number((gaps.at(-1) ?? NaN).toFixed(1)),
    longTasks: tasks.filter((ms) => ms > 50).length,
    mainThreadBusy: Number((tasks.reduce((sum, ms) => sum + ms, 0) / (seconds * 1000)).toFixed(2)),
  };
}

/** Puts `count` chats into the group's queue in one statement, as if they had queued over the last hour. */
async function fillQueue(server: ParleyServer, groupId: string, count: number) {
  const now = Date.now();
  const rows = Array.from({ length: count }, (_, index) => {
    const queuedAt = new Date(now - 3_600_000 + index * (3_600_000 / count));
    return {
      id: randomUUID(),
      status: 'open' as const,
      operator_id: null,
      visitor_name: `Visitor ${index + 1}`,
      created_at: queuedAt,
      closed_at: null,
      group_id: groupId,
      queue_state: 'waiting' as const,
      priority: index % 50 === 0 ? 1 : 0,
      queued_at: queuedAt,
    };
  });
  for (let start = 0; start < rows.length; start += 1000) {
    await server.ctx.db
      .insertInto('chats')
      .values(rows.slice(start, start + 1000))
      .execute();
  }
}

export async function queueFramesBench(options = { waiting: 5000, perSecond: 50, seconds: 10 }) {
  const server = await startParleyServer({ storage: { kind: 'pglite' }, log: silentLog });
  const host = await startBuiltHost(mkdtempSync(join(tmpdir(), 'parley-bench-frames-')));
  const browser = await launchChromium();
  try {
    await withoutRequiredTotp(server.ctx);
    // Manual routing: chats stay in the queue, as in a team that picks.
    const group = await createGroup(server.ctx, { name: 'Bench', routingMode: 'manual' });
    const operator = await addOperator(server.ctx, 'frames');
    await addToGroup(server.ctx, operator.id, group.id);

    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    await signInOnHost(page, host, server.url, 'frames');
    await page.getByRole('heading', { name: 'Queue (0)' }).waitFor({ timeout: 30_000 });

    const seconds = options.seconds;
    const idle = await measure(page, seconds, () => Promise.resolve(), 'queue-trace-idle.json');

    await fillQueue(server, group.id, options.waiting);
    // One real arrival makes the desk fetch the queue with everything in it.
    await enqueueChat(server.ctx, { groupId: group.id, visitorName: 'First arrival' });
    await page.getByRole('heading', { name: `Queue (${options.waiting + 1})` }).waitFor({ timeout: 60_000 });

    let arrived = 0;
    const loaded = await measure(
      page,
      seconds,
      async () => {
        const started = Date.now();
        const total = options.perSecond * seconds;
        while (arrived < total) {
          const due = Math.floor(((Date.now() - started) / 1000) * options.perSecond);
          while (arrived < Math.min(due, total)) {
            await enqueueChat(server.ctx, { groupId: group.id, visitorName: `Arrival ${++arrived}` });
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      },
      'queue-trace-loaded.json',
    );
    const expected = options.waiting + 1 + arrived;
    await page.getByRole('heading', { name: `Queue (${expected})` }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(screenshotDir, 'bench-queue-5000.png') });
    return {
      waiting: options.waiting,
      arrivalsPerSecond: options.perSecond,
      idle,
      loaded,
      p95Ratio: Number((loaded.p95Ms / idle.p95Ms).toFixed(1)),
    };
  } finally {
    await browser.close();
    await host.stop();
    await server.close();
  }
}
