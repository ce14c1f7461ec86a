/**
 * The preload bridge (context isolation and sandbox on): exposes to the renderer only the core
 * URL and token and a few allow-listed shell calls, as `window.workstation` (see bridge.ts).
 */
import { contextBridge, ipcRenderer } from "electron";
import { createBridge } from "./bridge.ts";

contextBridge.exposeInMainWorld("workstation", createBridge(ipcRenderer));
