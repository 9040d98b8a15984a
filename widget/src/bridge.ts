/*
 * The messages between the loader (on the site's page) and the frame (on the server's origin).
 * Each side names the other's exact origin when posting and checks it, and the sending window,
 * when receiving; nothing personal crosses: the page URL goes in, layout requests come out.
 */

export type LoaderMessage =
  /** The visitor opened the widget; pageUrl is where they are now (it changes in single-page sites). */
  { type: 'parley:open'; pageUrl: string } | { type: 'parley:closed' };

export type FrameMessage =
  /** The configuration loaded: the launcher may show, in the group's colour. */
  | { type: 'parley:ready'; color: string }
  /** The visitor minimised the widget from inside. */
  | { type: 'parley:close' }
  /** A message arrived while the widget was closed. */
  | { type: 'parley:attention' };

function typeOf(data: unknown): unknown {
  return typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
}

export function readLoaderMessage(data: unknown): LoaderMessage | null {
  const type = typeOf(data);
  if (type === 'parley:closed') return { type };
  if (type === 'parley:open') {
    const pageUrl = (data as { pageUrl?: unknown }).pageUrl;
    return { type, pageUrl: typeof pageUrl === 'string' ? pageUrl.slice(0, 2000) : '' };
  }
  return null;
}

export function readFrameMessage(data: unknown): FrameMessage | null {
  const type = typeOf(data);
  if (type === 'parley:close' || type === 'parley:attention') return { type };
  if (type === 'parley:ready') {
    const color = (data as { color?: unknown }).color;
    return { type, color: typeof color === 'string' && /^#[0-9a-f]{6}$/i.test(color) ? color : '#2f6f5e' };
  }
  return null;
}
