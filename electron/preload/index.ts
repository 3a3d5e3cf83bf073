// The preload: exposes exactly window.mydata = { invoke, on }; never ipcRenderer, never the event object.
// Bundled as one CommonJS file, since a sandboxed preload can require only 'electron'.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { MyDataApi } from '../contract/index.ts';

const IPC_INVOKE = 'mydata:invoke';
const IPC_EVENT = 'mydata:event';

const api: MyDataApi = {
  invoke(channel, payload) {
    return ipcRenderer.invoke(IPC_INVOKE, channel, payload);
  },
  on(event, listener) {
    const wrapped = (_event: IpcRendererEvent, name: unknown, data: unknown) => {
      if (name === event) listener(data as never);
    };
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('mydata', Object.freeze(api));
