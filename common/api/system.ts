/** The `core.*` part of the API map: identity, health and a test hook for streams. */
import { z } from "zod";
import { method, stream } from "./define.ts";

/** Who is answering: lets a client tell "the same core came back" from "a new core started". */
export interface CoreInfo {
  /** Random per process start; a restarted core under a supervisor keeps its token but not this. */
  instanceId: string;
  /** Random per launch session; survives supervised restarts (same token, same session). */
  sessionId: string;
  version: string;
  /** Node version core runs on. */
  node: string;
  pid: number;
  dataDir: string;
  /** UTC ms when this process started. */
  startedAt: number;
}

/** Periodic health of core, streamed to the status bar. */
export interface CoreStatus {
  /** UTC ms of the sample. */
  time: number;
  uptimeMs: number;
  rssBytes: number;
  clients: number;
  workers: { alive: number; restarts: number };
}

/** Requests and streams served by core itself. */
export const systemApi = {
  "core.info": method(z.object({})).returns<CoreInfo>(),
  "core.ping": method(z.object({ echo: z.string().max(1024).optional() })).returns<{ echo: string | null; time: number }>(),
  "core.status": stream(z.object({ intervalMs: z.number().int().min(50).max(60_000).default(1000) }), "latest").emits<CoreStatus>(),
  "workers.echo": method(z.object({ value: z.unknown() })).returns<{ value: unknown; workerPid: number }>(),
};
