import type { ParleyApi } from '../../protocol/ipc';

declare global {
  interface Window {
    /** Provided by preload/ (Electron) or the browser host's bridge; the renderer's only way out. */
    readonly parley: ParleyApi;
  }
}
