import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { widgetConfigSchema } from '../../protocol/visitor-socket';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { defaultWidgetDir, handleWidgetRoute } from '../../server/http/widget-routes';
import { silentLog } from '../../server/log';
import { addToGroup, createGroup } from '../../server/queues/groups';
import type { ServerContext } from '../../server/context';
import { freshPglite } from '../support/databases';
import { addOperator, contextFor, fakeClock } from '../support/server-fixtures';

let server: ParleyServer;
let ctx: ServerContext;
let base: string;
let widgetDir: string;
const clock = fakeClock();

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'parley-widget-'));
  widgetDir = join(base, 'widget');
  await mkdir(join(widgetDir, 'assets'), { recursive: true });
  await writeFile(join(widgetDir, 'parley.js'), '(function(){})();\n');
  await writeFile(join(widgetDir, 'frame.html'), '<!doctype html><title>Chat</title>\n');
  await writeFile(join(widgetDir, 'assets', 'frame-Ab12_c.js'), 'console.log(1);\n');
  await writeFile(join(widgetDir, 'assets', 'frame-Ab12_c.css'), 'body{}\n');
  await writeFile(join(widgetDir, 'secret.txt'), 'inside-secret');
  await writeFile(join(base, 'secret.txt'), 'outside-secret');
  server = await startParleyServer({ storage: { kind: 'pglite' }, clock, log: silentLog, widgetDir });
  ctx = server.ctx;
});

afterAll(async () => {
  await server?.close();
  await rm(base, { recursive: true, force: true });
});

/** A request with the path exactly as given: fetch() would normalise the dots away first. */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = httpRequest(`${url}${path}`, { path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

async function newGroup(name: string) {
  clock.advanceMinutes(1);
  return createGroup(ctx, { name });
}

describe('GET /widget/config', () => {
  it('describes the group in the visitor’s language, with the defaults of a new group', async () => {
    const group = await newGroup('Support DE');
    const response = await fetch(`${server.url}/widget/config?group=${group.id}&lang=de`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const config = widgetConfigSchema.parse(await response.json());
    expect(config).toEqual({
      groupId: group.id,
      groupName: 'Support DE',
      language: 'de',
      online: false,
      privacyNotice: { version: '1', text: expect.stringContaining('Für den Chat verarbeiten wir') },
      fields: {
        name: 'required',
        email: 'optional',
        phone: 'hidden',
        company: 'hidden',
        custom: 'hidden',
        visitorsMayEdit: true,
      },
      customLabel: 'Referenz',
      greeting: 'Hallo! Wie können wir helfen?',
      color: '#2f6f5e',
      cookieless: false,
    });
  });

  it('uses the group’s own settings, English for unknown languages and for texts left empty', async () => {
    const group = await newGroup('Shop');
    await ctx.db
      .updateTable('groups')
      .set({
        privacy_notice: JSON.stringify({ version: '2026-11', text: { en: 'English notice', de: '' } }),
        prechat_fields: JSON.stringify({
          name: 'optional',
          email: 'required',
          phone: 'optional',
          company: 'hidden',
          custom: 'required',
          customLabel: { en: 'Order number', de: 'Bestellnummer' },
          visitorsMayEdit: false,
        }),
        widget_settings: JSON.stringify({
          color: '#aa3300',
          greeting: { en: 'Hi there', de: 'Moin' },
          cookieless: true,
        }),
      })
      .where('id', '=', group.id)
      .execute();
    const german = widgetConfigSchema.parse(
      await (await fetch(`${server.url}/widget/config?group=${group.id}&lang=de-AT`)).json(),
    );
    expect(german).toMatchObject({
      language: 'de',
      privacyNotice: { version: '2026-11', text: 'English notice' },
      fields: {
        name: 'optional',
        email: 'required',
        phone: 'optional',
        company: 'hidden',
        custom: 'required',
        visitorsMayEdit: false,
      },
      customLabel: 'Bestellnummer',
      greeting: 'Moin',
      color: '#aa3300',
      cookieless: true,
    });
    const french = widgetConfigSchema.parse(
      await (await fetch(`${server.url}/widget/config?group=${group.id}&lang=fr`)).json(),
    );
    expect(french).toMatchObject({ language: 'en', greeting: 'Hi there', customLabel: 'Order number' });
  });

  it('is online only while a member is online, accepting chats and not disabled', async () => {
    const group = await newGroup('Online check');
    const olga = await addOperator(ctx, `olga-${group.id.slice(0, 8)}`);
    await addToGroup(ctx, olga.id, group.id);
    const online = async () =>
      ((await (await fetch(`${server.url}/widget/config?group=${group.id}`)).json()) as { online: boolean })
        .online;
    const set = (values: { status?: 'online' | 'away'; accepting_chats?: boolean; disabled?: boolean }) =>
      ctx.db.updateTable('operators').set(values).where('id', '=', olga.id).execute();

    expect(await online()).toBe(false);
    await set({ status: 'online', accepting_chats: true });
    expect(await online()).toBe(true);
    await set({ accepting_chats: false });
    expect(await online()).toBe(false);
    await set({ accepting_chats: true, disabled: true });
    expect(await online()).toBe(false);
    await set({ disabled: false, status: 'away' });
    expect(await online()).toBe(false);
  });

  it('answers 404 for unknown and archived groups, 400 without a group', async () => {
    const archived = await newGroup('Old');
    await ctx.db.updateTable('groups').set({ archived: true }).where('id', '=', archived.id).execute();
    for (const id of ['no-such-group', archived.id]) {
      const response = await fetch(`${server.url}/widget/config?group=${id}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ code: 'not_found', message: expect.any(String) });
    }
    expect((await fetch(`${server.url}/widget/config`)).status).toBe(400);
    expect((await fetch(`${server.url}/widget/config?group=x`, { method: 'POST' })).status).toBe(405);
  });
});

describe('the built widget', () => {
  it('serves the loader as JavaScript that any site may include', async () => {
    const response = await fetch(`${server.url}/widget/parley.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await response.text()).toBe('(function(){})();\n');

    const again = await fetch(`${server.url}/widget/parley.js`, {
      headers: { 'If-None-Match': response.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
  });

  it('serves the frame page with a strict CSP and lets any site embed it', async () => {
    const response = await fetch(`${server.url}/widget/frame?group=g1&lang=en`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('frame-ancestors');
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('serves hashed assets with their type and a long cache', async () => {
    const script = await fetch(`${server.url}/widget/assets/frame-Ab12_c.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const style = await fetch(`${server.url}/widget/assets/frame-Ab12_c.css`);
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await fetch(`${server.url}/widget/assets/missing.js`)).status).toBe(404);
  });

  it('refuses every way out of the assets folder', async () => {
    const attempts = [
      '/widget/assets/../secret.txt',
      '/widget/assets/../../secret.txt',
      '/widget/assets/..%2Fsecret.txt',
      '/widget/assets/..%2F..%2Fsecret.txt',
      '/widget/assets/%2e%2e/secret.txt',
      '/widget/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/widget/assets/..%5Csecret.txt',
      '/widget/assets/%252e%252e%252fsecret.txt',
      '/widget/assets/frame-Ab12_c.js%00.txt',
      '/widget/assets/',
      '/widget/assets/%',
    ];
    for (const path of attempts) {
      const { status, body } = await rawGet(server.url, path);
      expect({ path, status }).toEqual({ path, status: 404 });
      expect(body).not.toContain('secret');
    }
  });

  it('says how to build the widget when it is not built', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'parley-unbuilt-'));
    const plain: Server = createServer((request, response) => {
      void handleWidgetRoute(ctx, request, response, { widgetDir: empty }).then((handled) => {
        if (!handled) response.writeHead(404).end();
      });
    });
    await new Promise<void>((ready) => plain.listen(0, '127.0.0.1', ready));
    try {
      const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
      const response = await fetch(`${url}/widget/parley.js`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('The widget is not built: run npm run build');
      expect((await fetch(`${url}/healthz`)).status).toBe(404);
    } finally {
      await new Promise((closed) => plain.close(closed));
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('finds the built widget next to the sources by default', () => {
    expect(defaultWidgetDir()).toBe(resolve('out/widget'));
  });
});

describe('GET /demo', () => {
  it('embeds the loader with the oldest group that is not archived', async () => {
    const response = await fetch(`${server.url}/demo`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    const first = await ctx.db
      .selectFrom('groups')
      .select('id')
      .where('archived', '=', false)
      .orderBy('created_at')
      .executeTakeFirstOrThrow();
    expect(html).toContain(`<script src="/widget/parley.js" data-group="${first.id}" data-lang="de" async>`);
    expect(html).toContain('Bergmann Outdoor');
  });

  it('takes the group, language and cookieless mode from the query, escaped', async () => {
    const html = await (
      await fetch(`${server.url}/demo?group=${encodeURIComponent('"><b>x')}&lang=en&cookieless=1`)
    ).text();
    expect(html).toContain(
      '<script src="/widget/parley.js" data-group="&#34;&#62;&#60;b&#62;x" data-lang="en" data-cookieless="true" async>',
    );
    expect(html).not.toContain('"><b>x');
  });

  it('says so when there is no group to embed', async () => {
    const storage = await freshPglite();
    const empty = contextFor(storage, fakeClock());
    const plain: Server = createServer((request, response) => {
      void handleWidgetRoute(empty, request, response, { widgetDir });
    });
    await new Promise<void>((ready) => plain.listen(0, '127.0.0.1', ready));
    try {
      const html = await (
        await fetch(`http://127.0.0.1:${(plain.address() as AddressInfo).port}/demo`)
      ).text();
      expect(html).toContain('There is no chat group yet');
      expect(html).not.toContain('parley.js');
    } finally {
      await new Promise((closed) => plain.close(closed));
    }
  });
});
