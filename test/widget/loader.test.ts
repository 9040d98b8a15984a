import { screen } from '@testing-library/dom';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** Runs the loader as a site's <script src=… data-…> would. */
async function embed(attributes: Record<string, string>) {
  const script = document.createElement('script');
  script.src = 'https://chat.parley.test/widget/parley.js';
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  document.body.append(script);
  Object.defineProperty(document, 'currentScript', { value: script, configurable: true });
  vi.resetModules();
  await import('../../widget/src/loader');
  Object.defineProperty(document, 'currentScript', { value: null, configurable: true });
  const frame = document.querySelector('iframe');
  if (!frame?.contentWindow) throw new Error('the loader added no iframe');
  const posted = vi.spyOn(frame.contentWindow, 'postMessage').mockImplementation(() => undefined);
  const fromFrame = (data: unknown, origin = 'https://chat.parley.test', source = frame.contentWindow) =>
    window.dispatchEvent(new MessageEvent('message', { data, origin, source }));
  return { frame, posted, fromFrame };
}

beforeEach(() => {
  document.body.replaceChildren();
});

describe('the loader', () => {
  it('points the iframe at the frame page on its own origin, with the group and language', async () => {
    const { frame } = await embed({ 'data-group': 'g1', 'data-lang': 'de', 'data-cookieless': 'true' });
    const url = new URL(frame.src);
    expect(url.origin + url.pathname).toBe('https://chat.parley.test/widget/frame');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      group: 'g1',
      lang: 'de',
      cookieless: '1',
      host: location.origin,
    });
    expect(frame.title).toBe('Chat mit uns');
    expect(frame.hidden).toBe(true);
  });

  it('shows the launcher once the frame is ready, and only for messages from the frame', async () => {
    const { fromFrame } = await embed({ 'data-group': 'g1', 'data-lang': 'en' });
    const hidden = () => document.querySelector('button')?.hidden;
    expect(hidden()).toBe(true);
    fromFrame({ type: 'parley:ready', color: '#2f6f5e' }, 'https://evil.test');
    fromFrame({ type: 'parley:ready', color: '#2f6f5e' }, 'https://chat.parley.test', window);
    expect(hidden()).toBe(true);
    fromFrame({ type: 'parley:ready', color: '#2f6f5e' });
    expect(hidden()).toBe(false);
  });

  it('opens on click, telling the frame the page URL, and closes when the frame asks', async () => {
    const { frame, posted, fromFrame } = await embed({ 'data-group': 'g1', 'data-lang': 'en' });
    fromFrame({ type: 'parley:ready', color: '#ffd400' });
    const launcher = screen.getByRole('button', { name: 'Chat with us' });
    launcher.click();
    expect(frame.hidden).toBe(false);
    expect(launcher.getAttribute('aria-expanded')).toBe('true');
    expect(posted).toHaveBeenCalledWith(
      { type: 'parley:open', pageUrl: location.href },
      'https://chat.parley.test',
    );

    fromFrame({ type: 'parley:close' });
    expect(frame.hidden).toBe(true);
    expect(document.activeElement).toBe(launcher);

    fromFrame({ type: 'parley:attention' });
    expect(screen.getByRole('button', { name: 'Chat with us (new message)' })).toBe(launcher);
  });

  it('refuses to start without a group', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(embed({})).rejects.toThrow('the loader added no iframe');
    expect(error).toHaveBeenCalledWith(expect.stringContaining('data-group'));
    error.mockRestore();
  });
});
