import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { businessHoursSchema } from '../../protocol/operator-socket';
import {
  defaultPrechatFields,
  defaultPrivacyNotice,
  defaultWidgetSettings,
  prechatFieldsConfigSchema,
  privacyNoticeSchema,
  visitorLanguageSchema,
  visitorPaths,
  widgetConfigSchema,
  widgetSettingsSchema,
  type VisitorLanguage,
  type WidgetConfig,
} from '../../protocol/visitor-socket';
import { openNow } from '../admin/business-hours';
import type { ServerContext } from '../context';
import { sendJson } from './respond';

/*
 * The visitor widget over plain HTTP: its configuration, the built loader, frame page and assets
 * (from out/widget), and a demo shop page that embeds it. Nothing here needs a session: the widget
 * shows nothing personal before the visitor consents over the socket.
 */

/** The built widget: next to this file when run from source, or next to out/main when bundled. */
export function defaultWidgetDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    resolve(here, '../../out/widget'),
    resolve(here, '../widget'),
    resolve(process.cwd(), 'out/widget'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'parley.js'))) ?? resolve(process.cwd(), 'out/widget');
}

export async function handleWidgetRoute(
  ctx: ServerContext,
  request: IncomingMessage,
  response: ServerResponse,
  options: { widgetDir: string },
): Promise<boolean> {
  const url = new URL(request.url ?? '/', 'http://server');
  const path = url.pathname;
  const own =
    path === visitorPaths.config ||
    path === visitorPaths.loader ||
    path === visitorPaths.frame ||
    path === visitorPaths.demo ||
    path.startsWith(visitorPaths.assets);
  if (!own) return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    sendJson(response, 405, { code: 'invalid_request', message: `${path} only answers GET.` });
    return true;
  }

  if (path === visitorPaths.config) await sendConfig(ctx, url, response);
  else if (path === visitorPaths.demo) await sendDemo(ctx, url, response);
  else if (path === visitorPaths.loader)
    await sendFile(request, response, options.widgetDir, 'parley.js', loaderHeaders);
  else if (path === visitorPaths.frame)
    await sendFile(request, response, options.widgetDir, 'frame.html', frameHeaders);
  else await sendAsset(request, response, options.widgetDir, path.slice(visitorPaths.assets.length));
  return true;
}

// ---- configuration ---------------------------------------------------------------------------

function languageOf(requested: string | null): VisitorLanguage {
  const parsed = visitorLanguageSchema.safeParse(requested?.slice(0, 2).toLowerCase());
  return parsed.success ? parsed.data : 'en';
}

/** A stored setting as the schema allows it; a damaged one falls back to the default, loudly. */
function settingOr<T>(
  ctx: ServerContext,
  schema: z.ZodType<T>,
  value: unknown,
  fallback: T,
  what: string,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  ctx.log.error('a group setting does not match its schema; the widget uses the default', { setting: what });
  return fallback;
}

export async function widgetConfigFor(
  ctx: ServerContext,
  groupId: string,
  language: VisitorLanguage,
): Promise<WidgetConfig | null> {
  const group = await ctx.db
    .selectFrom('groups')
    .select(['id', 'name', 'privacy_notice', 'prechat_fields', 'widget_settings', 'business_hours'])
    .where('id', '=', groupId)
    .where('archived', '=', false)
    .executeTakeFirst();
  if (!group) return null;
  const hours = settingOr(ctx, businessHoursSchema.nullable(), group.business_hours, null, 'business_hours');
  const available = await ctx.db
    .selectFrom('operator_groups')
    .innerJoin('operators', 'operators.id', 'operator_groups.operator_id')
    .select('operators.id')
    .where('operator_groups.group_id', '=', groupId)
    .where('operators.status', '=', 'online')
    .where('operators.accepting_chats', '=', true)
    .where('operators.disabled', '=', false)
    .limit(1)
    .executeTakeFirst();

  const notice = settingOr(
    ctx,
    privacyNoticeSchema,
    group.privacy_notice,
    defaultPrivacyNotice,
    'privacy_notice',
  );
  const fields = settingOr(
    ctx,
    prechatFieldsConfigSchema,
    group.prechat_fields,
    defaultPrechatFields,
    'prechat_fields',
  );
  const settings = settingOr(
    ctx,
    widgetSettingsSchema,
    group.widget_settings,
    defaultWidgetSettings,
    'widget_settings',
  );
  // A text left empty in the visitor's language falls back to English.
  const inLanguage = (texts: Record<VisitorLanguage, string>) => texts[language] || texts.en;
  const { customLabel, ...modes } = fields;
  return widgetConfigSchema.parse({
    groupId: group.id,
    groupName: group.name,
    language,
    // Outside business hours nobody answers, whoever is online: the widget offers the offline form.
    online: available !== undefined && openNow(ctx, hours),
    privacyNotice: { version: notice.version, text: inLanguage(notice.text) },
    fields: modes,
    customLabel: inLanguage(customLabel),
    greeting: inLanguage(settings.greeting),
    color: settings.color,
    cookieless: settings.cookieless,
  });
}

async function sendConfig(ctx: ServerContext, url: URL, response: ServerResponse): Promise<void> {
  const groupId = url.searchParams.get('group');
  if (!groupId) {
    sendJson(response, 400, {
      code: 'invalid_request',
      message: 'Name the group: /widget/config?group=<id>.',
    });
    return;
  }
  const config =
    groupId.length <= 100
      ? await widgetConfigFor(ctx, groupId, languageOf(url.searchParams.get('lang')))
      : null;
  if (!config) sendJson(response, 404, { code: 'not_found', message: 'There is no such chat group.' });
  else sendJson(response, 200, config);
}

// ---- built files -----------------------------------------------------------------------------

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Sites include it with a plain script tag, possibly under their own COEP; it changes with each release. */
const loaderHeaders = {
  'Cache-Control': 'public, max-age=300',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/**
 * The frame runs only its own bundled script and style; 'self' covers the same-origin websocket
 * (CSP 3). No frame-ancestors and no X-Frame-Options: any site may embed the widget, and the chat
 * stays unreadable to it across origins.
 */
const frameHeaders = {
  'Cache-Control': 'no-cache',
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/** Asset names carry a content hash, so they never change. */
const assetHeaders = { 'Cache-Control': 'public, max-age=31536000, immutable' };

// Vite's output is flat: a file name of letters, digits, dot, dash and underscore, nothing else.
const assetName = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/;

function notFound(response: ServerResponse): void {
  sendJson(response, 404, { code: 'not_found', message: 'There is nothing here.' });
}

async function sendAsset(
  request: IncomingMessage,
  response: ServerResponse,
  widgetDir: string,
  encodedName: string,
): Promise<void> {
  let name: string;
  try {
    name = decodeURIComponent(encodedName);
  } catch {
    return notFound(response);
  }
  if (!assetName.test(name) || name.includes('..')) return notFound(response);
  await sendFile(request, response, widgetDir, `assets/${name}`, assetHeaders);
}

async function sendFile(
  request: IncomingMessage,
  response: ServerResponse,
  widgetDir: string,
  relative: string,
  headers: Record<string, string>,
): Promise<void> {
  const root = resolve(widgetDir);
  const file = resolve(root, relative);
  if (!file.startsWith(root + sep)) return notFound(response);
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    if (existsSync(join(root, 'parley.js'))) return notFound(response);
    response.writeHead(503, {
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
    });
    response.end('The widget is not built: run npm run build.\n');
    return;
  }
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const common = { ...headers, ETag: etag, 'X-Content-Type-Options': 'nosniff' };
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, common);
    response.end();
    return;
  }
  response.writeHead(200, {
    ...common,
    'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
  });
  response.end(body);
}

// ---- the demo shop ---------------------------------------------------------------------------

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

async function sendDemo(ctx: ServerContext, url: URL, response: ServerResponse): Promise<void> {
  const requested = url.searchParams.get('group');
  const groupId =
    requested ??
    (
      await ctx.db
        .selectFrom('groups')
        .select('id')
        .where('archived', '=', false)
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst()
    )?.id;
  const language = url.searchParams.has('lang') ? languageOf(url.searchParams.get('lang')) : 'de';
  const cookieless = url.searchParams.get('cookieless') === '1';
  response.writeHead(200, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    // As strict as a careful shop would be: the embed needs no inline script and no eval.
    'Content-Security-Policy':
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; base-uri 'none'",
  });
  response.end(demoHtml(groupId, language, cookieless));
}

const products = [
  ['Gipfelstürmer 35', 'Trekkingrucksack, 35 l, Regenhülle inklusive', '149,00 €'],
  ['Tagestour 22', 'Leichter Tagesrucksack mit Trinksystem-Fach', '89,00 €'],
  ['Alpin Pro 45', 'Hochtourenrucksack, Eispickelhalter, 1.350 g', '219,00 €'],
  ['Stadt & Steig 18', 'Pendlerrucksack mit Laptopfach, wasserabweisend', '74,90 €'],
];

function demoHtml(groupId: string | undefined, language: VisitorLanguage, cookieless: boolean): string {
  const embed = groupId
    ? `<script src="${visitorPaths.loader}" data-group="${escapeHtml(groupId)}" data-lang="${language}"${
        cookieless ? ' data-cookieless="true"' : ''
      } async></script>`
    : '<p class="missing">Dieser Demo-Shop hat noch keine Chat-Gruppe: Legen Sie in Parley eine Gruppe an und laden Sie die Seite neu. (There is no chat group yet: create one in Parley, then reload this page.)</p>';
  const cards = products
    .map(
      ([name, text, price], index) => `<article class="card">
        <div class="photo photo-${index}"></div>
        <h2>${name}</h2><p>${text}</p><p class="price">${price}</p>
        <button type="button">In den Warenkorb</button>
      </article>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Rucksäcke – Bergmann Outdoor</title>
<style>
  body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: #1d2428; background: #f6f4ef; }
  header { display: flex; align-items: baseline; gap: 32px; padding: 18px 40px; background: #23352d; color: #fff; }
  header strong { font-size: 20px; letter-spacing: 0.02em; }
  nav a { color: #d9e4dc; margin-right: 18px; text-decoration: none; }
  main { max-width: 1000px; margin: 0 auto; padding: 28px 40px 80px; }
  h1 { margin: 0 0 4px; font-size: 26px; }
  .lead { margin: 0 0 24px; color: #56615c; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 20px; }
  .card { background: #fff; border-radius: 10px; padding: 14px; box-shadow: 0 1px 3px rgb(0 0 0 / 0.08); }
  .card h2 { font-size: 16px; margin: 10px 0 2px; }
  .card p { margin: 0; color: #56615c; font-size: 14px; }
  .card .price { margin: 8px 0 10px; color: #1d2428; font-weight: 600; }
  .card button { font: inherit; padding: 7px 12px; border: 0; border-radius: 6px; background: #c8612a; color: #fff; }
  .photo { height: 150px; border-radius: 8px; }
  .photo-0 { background: linear-gradient(160deg, #48705c, #23352d); }
  .photo-1 { background: linear-gradient(160deg, #d08a4a, #8c4a21); }
  .photo-2 { background: linear-gradient(160deg, #5f7896, #2b3a4d); }
  .photo-3 { background: linear-gradient(160deg, #9aa36b, #57603a); }
  .missing { padding: 12px 16px; background: #fff3cd; border-radius: 8px; }
  footer { padding: 24px 40px; color: #56615c; font-size: 13px; }
</style>
</head>
<body>
<header><strong>Bergmann Outdoor</strong><nav><a href="#">Rucksäcke</a><a href="#">Zelte</a><a href="#">Bekleidung</a><a href="#">Service</a></nav></header>
<main>
<h1>Rucksäcke</h1>
<p class="lead">Für Tagestouren, Hüttenwochen und den Weg zur Arbeit. Fragen zur Passform? Unser Team hilft im Chat.</p>
${embed}
<div class="grid">
${cards}
</div>
</main>
<footer>Demo-Shop für Parley · Bergmann Outdoor gibt es nicht.</footer>
</body>
</html>
`;
}
