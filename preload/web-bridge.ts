import { bridgePath, bridgeServerFrameSchema, type BridgeCall } from '../protocol/ipc';
import { buildParleyApi } from '../protocol/ipc-api';

/**
 * The browser host's counterpart of preload/index.ts: defines window.parley over the loopback
 * websocket. The host admits this socket only from its own origin with its session cookie.
 */
const socket = new WebSocket(
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${bridgePath}`,
);
const opened = new Promise<void>((resolve) =>
  socket.addEventListener('open', () => resolve(), { once: true }),
);
const pending = new Map<number, (response: unknown) => void>();
const listeners = new Set<(envelope: unknown) => void>();
let nextId = 1;
const connectionLost = {
  ok: false,
  error: { code: 'internal', message: 'The connection to the Parley host was lost. Reload the page.' },
};

socket.addEventListener('message', (message: MessageEvent<unknown>) => {
  if (typeof message.data !== 'string') return;
  let raw: unknown;
  try {
    raw = JSON.parse(message.data);
  } catch {
    return;
  }
  const frame = bridgeServerFrameSchema.safeParse(raw);
  if (!frame.success) return;
  if ('response' in frame.data) {
    const { id, response } = frame.data;
    if (id === null) return;
    pending.get(id)?.(response);
    pending.delete(id);
  } else {
    for (const listener of listeners) listener(frame.data);
  }
});

socket.addEventListener('close', () => {
  for (const resolve of pending.values()) resolve(connectionLost);
  pending.clear();
});

const api = buildParleyApi({
  async invoke(request) {
    if (socket.readyState > WebSocket.OPEN) return connectionLost;
    await opened;
    const id = nextId++;
    const call: BridgeCall = { id, request };
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify(call));
    });
  },
  subscribe(listener) {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
});

Object.defineProperty(window, 'parley', { value: Object.freeze(api), writable: false, configurable: false });
