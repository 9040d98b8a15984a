import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels } from '../protocol/ipc';
import { buildParleyApi } from '../protocol/ipc-api';

// Only the contract-shaped API crosses into the page; ipcRenderer itself never does.
const api = buildParleyApi({
  invoke: (request) => ipcRenderer.invoke(ipcChannels.invoke, request),
  subscribe(listener) {
    const forward = (_event: IpcRendererEvent, envelope: unknown) => listener(envelope);
    ipcRenderer.on(ipcChannels.event, forward);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, forward);
    };
  },
});

contextBridge.exposeInMainWorld('parley', api);
