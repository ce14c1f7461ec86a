/**
 * The preload bridge (context isolation and sandbox on): exposes to the renderer only the core
 * URL and token and a few allow-listed shell calls, as `window.workstation`.
 */
import { contextBridge, ipcRenderer } from "electron";

contextBridge.exposeInMainWorld("workstation", {
  platform: "desktop",
  core: (): Promise<{ url: string; token: string }> => ipcRenderer.invoke("workstation:core"),
  openExternal: (url: string): Promise<void> => ipcRenderer.invoke("workstation:open-external", String(url)),
  newWindow: (): Promise<void> => ipcRenderer.invoke("workstation:new-window"),
});
