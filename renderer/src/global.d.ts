// Declares the bridge the preload exposes (ARCHITECTURE §4): the renderer's only way to reach main.
import type { MyDataApi } from '../../electron/contract/index.ts';

declare global {
  interface Window {
    readonly mydata: MyDataApi;
  }
}

export {};
