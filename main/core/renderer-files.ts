import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

/**
 * Serving the built renderer, shared by the Electron app:// protocol and the browser host.
 * The CSP is sent as a header by both; 'self' covers the browser host's same-origin websocket.
 */
export const rendererCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
};

export function contentTypeFor(path: string): string {
  return contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Maps a URL path to a file under root; undefined when the path tries to leave root. */
export function resolveRendererPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const file = normalize(join(root, relative));
  return file.startsWith(normalize(root) + sep) ? file : undefined;
}

export interface RendererFile {
  status: 200 | 404;
  body: Buffer;
  headers: Record<string, string>;
}

const securityHeaders = {
  'Content-Security-Policy': rendererCsp,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export async function readRendererFile(root: string, urlPath: string): Promise<RendererFile> {
  const file = resolveRendererPath(root, urlPath);
  if (file !== undefined) {
    try {
      const body = await readFile(file);
      return { status: 200, body, headers: { ...securityHeaders, 'Content-Type': contentTypeFor(file) } };
    } catch {
      // fall through to 404: a missing asset is not an error worth more than that
    }
  }
  return {
    status: 404,
    body: Buffer.from('Not found'),
    headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' },
  };
}
