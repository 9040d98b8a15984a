import { readLoaderMessage, type FrameMessage } from '../bridge';
import { paths } from '../contract';
import { startWidget } from './app';
import './styles.css';

/*
 * The frame page's entry: wires the widget to the real browser. The loader passes the embedding
 * page's origin as `host`; messages are posted only to it and accepted only from it, and only
 * from the parent window.
 */

const params = new URLSearchParams(location.search);
const host = params.get('host');
const embedded = window.parent !== window && host !== null && /^https?:\/\/[^/]+$/.test(host);
const root = document.getElementById('app');

if (root) {
  const widget = startWidget({
    root,
    params,
    browserLanguage: navigator.language,
    fetch: (input, init) => fetch(input, init),
    socketUrl: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${paths.socket}`,
    openSocket: (url) => new WebSocket(url),
    ...(embedded && host
      ? { toLoader: (message: FrameMessage) => window.parent.postMessage(message, host) }
      : {}),
    // randomUUID needs a secure context, which a frame on an http:// page is not.
    newId: () =>
      Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
        byte.toString(16).padStart(2, '0'),
      ).join(''),
    now: () => new Date(),
  });
  window.addEventListener('message', (event) => {
    if (!embedded || event.source !== window.parent || event.origin !== host) return;
    const message = readLoaderMessage(event.data);
    if (message) widget.receive(message);
  });
}
