import { readFrameMessage, type LoaderMessage } from './bridge';
import { inkOn } from './colour';
import { paths } from './contract';

/*
 * The embed script: a launcher button and the chat iframe, on the site's page. Styles are set
 * through the CSSOM (element.style), which a site's CSP does not block the way it blocks a <style>
 * element or style attributes. The chat itself runs in the iframe, on the server's origin, so the
 * site never reads it.
 */

const labels = {
  en: { open: 'Chat with us', unread: 'Chat with us (new message)' },
  de: { open: 'Chat mit uns', unread: 'Chat mit uns (neue Nachricht)' },
};

function languageOf(script: HTMLScriptElement): 'en' | 'de' {
  const wanted = (script.dataset['lang'] || navigator.language || 'en').toLowerCase();
  return wanted.startsWith('de') ? 'de' : 'en';
}

function frameUrl(script: HTMLScriptElement, origin: string, group: string): string {
  const url = new URL(paths.frame, origin);
  url.searchParams.set('group', group);
  if (script.dataset['lang']) url.searchParams.set('lang', script.dataset['lang']);
  if (script.dataset['cookieless'] === 'true') url.searchParams.set('cookieless', '1');
  // The frame answers only this origin, and accepts messages only from it.
  url.searchParams.set('host', location.origin);
  return url.href;
}

const bubble =
  'M4 5.5A2.5 2.5 0 0 1 6.5 3h11A2.5 2.5 0 0 1 20 5.5v8a2.5 2.5 0 0 1-2.5 2.5H10l-4.5 4v-4A2.5 2.5 0 0 1 4 13.5z';
const chevron =
  'M5.3 8.3a1 1 0 0 1 1.4 0L12 13.6l5.3-5.3a1 1 0 1 1 1.4 1.4l-6 6a1 1 0 0 1-1.4 0l-6-6a1 1 0 0 1 0-1.4z';

/** A speech bubble while closed, a chevron pointing down at the widget while open. */
function launcherIcon(): { svg: SVGSVGElement; path: SVGPathElement } {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '26');
  svg.setAttribute('height', '26');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', bubble);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return { svg, path };
}

function mount(script: HTMLScriptElement): void {
  const group = script.dataset['group'];
  if (!group) {
    console.error('Parley: the script tag needs data-group="<group id>".');
    return;
  }
  const origin = new URL(script.src).origin;
  const text = labels[languageOf(script)];

  const frame = document.createElement('iframe');
  frame.src = frameUrl(script, origin, group);
  frame.title = text.open;
  frame.hidden = true;
  Object.assign(frame.style, {
    position: 'fixed',
    right: '20px',
    bottom: '88px',
    width: '370px',
    height: '580px',
    maxWidth: 'calc(100vw - 40px)',
    maxHeight: 'calc(100vh - 108px)',
    border: '0',
    borderRadius: '12px',
    boxShadow: '0 8px 32px rgba(20, 30, 40, 0.22)',
    background: '#fff',
    colorScheme: 'normal',
    zIndex: '2147483000',
  });

  const launcher = document.createElement('button');
  launcher.type = 'button';
  launcher.setAttribute('aria-label', text.open);
  launcher.setAttribute('aria-expanded', 'false');
  const icon = launcherIcon();
  launcher.append(icon.svg);
  launcher.hidden = true;
  Object.assign(launcher.style, {
    position: 'fixed',
    right: '20px',
    bottom: '20px',
    width: '56px',
    height: '56px',
    padding: '0',
    border: '0',
    borderRadius: '50%',
    cursor: 'pointer',
    boxShadow: '0 4px 14px rgba(20, 30, 40, 0.28)',
    zIndex: '2147483000',
  });
  // The launcher stays hidden until the frame has its configuration: a broken setup shows nothing.
  const dot = document.createElement('span');
  Object.assign(dot.style, {
    position: 'absolute',
    top: '4px',
    right: '4px',
    width: '12px',
    height: '12px',
    borderRadius: '50%',
    background: '#d93f3f',
    border: '2px solid #fff',
    display: 'none',
  });
  launcher.append(dot);

  const post = (message: LoaderMessage) => frame.contentWindow?.postMessage(message, origin);
  const setOpen = (open: boolean) => {
    frame.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    icon.path.setAttribute('d', open ? chevron : bubble);
    if (open) {
      dot.style.display = 'none';
      launcher.setAttribute('aria-label', text.open);
      post({ type: 'parley:open', pageUrl: location.href });
      frame.focus();
    } else {
      post({ type: 'parley:closed' });
    }
  };

  launcher.addEventListener('click', () => setOpen(frame.hidden));
  window.addEventListener('message', (event) => {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    const message = readFrameMessage(event.data);
    if (message?.type === 'parley:ready') {
      launcher.style.background = message.color;
      launcher.style.color = inkOn(message.color);
      launcher.hidden = false;
    } else if (message?.type === 'parley:close') {
      setOpen(false);
      launcher.focus();
    } else if (message?.type === 'parley:attention' && frame.hidden) {
      dot.style.display = 'block';
      launcher.setAttribute('aria-label', text.unread);
    }
  });

  document.body.append(frame, launcher);
}

const script = document.currentScript;
if (script instanceof HTMLScriptElement && script.src) {
  // An async script in <head> may run before <body> exists.
  if (document.body) mount(script);
  else document.addEventListener('DOMContentLoaded', () => mount(script), { once: true });
} else {
  console.error('Parley: load parley.js with a plain <script src="…"> tag.');
}
