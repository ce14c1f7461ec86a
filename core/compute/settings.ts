/**
 * Core's Compute settings: run sweeps, walk-forwards and strategy screens on the local worker pool
 * (the default) or through a Redis queue, with the chunk server's listen address and advertised
 * URL. Kept in `DATA_DIR/compute/settings.json` (owner-only; machine-specific, so not synced). A
 * queue URL carrying credentials (`rediss://user:pass@…`) is a secret: it lives in the OS keychain
 * (entry `compute:queue`) and only its redacted form is ever returned; a URL without credentials is
 * kept in the file.
 */
import fs from "node:fs";
import path from "node:path";
import { ApiError } from "../../common/api/index.ts";
import type { ComputeMode, ComputeSettingsView } from "../../common/api/compute.ts";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../platform/private-files.ts";
import { explainKeychainError, type KeychainBackend } from "../secrets/keychain.ts";
import { parseListenAddress, type ChunkServerOptions } from "./chunk-server.ts";
import { redactUrl, redisOptions } from "./redis.ts";

/** The keychain account of a queue URL with credentials. */
export const QUEUE_URL_ACCOUNT = "compute:queue";

interface StoredSettings {
  mode: ComputeMode;
  /** The URL when it has no credentials; its redacted form when they are in the keychain. */
  url: string | null;
  urlInKeychain: boolean;
  serveData: string | null;
  advertise: string | null;
  chunksDir: string | null;
}

/** A change of the settings (`url` omitted keeps the saved one; null clears serveData/advertise). */
export interface ComputeSettingsPatch {
  mode: ComputeMode;
  url?: string | undefined;
  serveData?: string | null | undefined;
  advertise?: string | null | undefined;
  chunksDir?: string | null | undefined;
}

/** The queue to coordinate through: the full URL (a secret) and the chunk server's options. */
export interface QueueTargetConfig {
  url: string;
  serve: ChunkServerOptions;
  /** The shared chunk folder, when set. */
  chunksDir?: string;
}

const DEFAULTS: StoredSettings = { mode: "local", url: null, urlInKeychain: false, serveData: null, advertise: null, chunksDir: null };

/** Whether a queue URL carries a user name or password. */
const hasCredentials = (url: string): boolean => {
  const u = new URL(url);
  return u.username !== "" || u.password !== "";
};

/** A checked queue target (bad input is `bad_request`, naming the field). */
export function queueTargetOf(url: string, serveData: string | null | undefined, advertise: string | null | undefined): QueueTargetConfig {
  try {
    redisOptions(url);
    const serve = serveData ? parseListenAddress(serveData) : { host: "127.0.0.1", port: 0 };
    if (advertise && !/^https?:\/\/[^\s/]+/.test(advertise)) throw new Error(`the advertised URL must be an http(s) URL (got "${advertise}")`);
    return { url, serve: { ...serve, ...(advertise ? { advertise } : {}) } };
  } catch (err) {
    throw new ApiError("bad_request", (err as Error).message);
  }
}

/** Reads and writes the Compute settings of one data directory. */
export class ComputeSettingsStore {
  private readonly file: string;
  private readonly keychain: KeychainBackend;

  constructor(dataDir: string, keychain: KeychainBackend) {
    this.file = path.join(dataDir, "compute", "settings.json");
    this.keychain = keychain;
  }

  /** What clients may see (the URL redacted). */
  view(): ComputeSettingsView {
    const s = this.read();
    return { mode: s.mode, url: s.url === null ? null : redactUrl(s.url), credentials: s.urlInKeychain, serveData: s.serveData, advertise: s.advertise, chunksDir: s.chunksDir };
  }

  /** The full saved URL (from the keychain when it has credentials), or null. */
  async url(): Promise<string | null> {
    const s = this.read();
    if (!s.urlInKeychain) return s.url;
    try {
      return await this.keychain.get(QUEUE_URL_ACCOUNT);
    } catch (err) {
      throw new ApiError("unavailable", `the queue URL is kept in the OS keychain, which cannot be read: ${explainKeychainError(err)}`);
    }
  }

  /** The queue core coordinates through, or null when compute is local. */
  async target(): Promise<QueueTargetConfig | null> {
    const s = this.read();
    if (s.mode !== "queue") return null;
    const url = await this.url();
    if (url === null) throw new ApiError("unavailable", "Compute is set to a queue but no queue URL is saved (Settings → Compute)");
    return { ...queueTargetOf(url, s.serveData, s.advertise), ...(s.chunksDir ? { chunksDir: s.chunksDir } : {}) };
  }

  /** Checks and saves a change; a URL with credentials goes to the keychain. */
  async update(patch: ComputeSettingsPatch): Promise<ComputeSettingsView> {
    const current = this.read();
    const serveData = patch.serveData === undefined ? current.serveData : patch.serveData;
    const advertise = patch.advertise === undefined ? current.advertise : patch.advertise;
    const chunksDir = patch.chunksDir === undefined ? current.chunksDir : patch.chunksDir;
    const next: StoredSettings = { ...current, mode: patch.mode, serveData, advertise, chunksDir };
    if (patch.url !== undefined) {
      queueTargetOf(patch.url, serveData, advertise);
      const secret = hasCredentials(patch.url);
      try {
        if (secret) await this.keychain.set(QUEUE_URL_ACCOUNT, patch.url);
        else if (current.urlInKeychain) await this.keychain.delete(QUEUE_URL_ACCOUNT);
      } catch (err) {
        throw new ApiError("unavailable", `a queue URL with a password is kept in the OS keychain, which cannot be used: ${explainKeychainError(err)}`);
      }
      next.url = secret ? redactUrl(patch.url) : patch.url;
      next.urlInKeychain = secret;
    } else if (next.url !== null) queueTargetOf("redis://127.0.0.1", serveData, advertise);
    if (next.mode === "queue" && next.url === null) throw new ApiError("bad_request", "a queue URL is needed to run on a queue");
    this.write(next);
    return this.view();
  }

  private read(): StoredSettings {
    try {
      const raw = JSON.parse(fs.readFileSync(this.file, "utf8")) as Partial<StoredSettings>;
      return {
        mode: raw.mode === "queue" ? "queue" : "local",
        url: typeof raw.url === "string" ? raw.url : null,
        urlInKeychain: raw.urlInKeychain === true,
        serveData: typeof raw.serveData === "string" ? raw.serveData : null,
        advertise: typeof raw.advertise === "string" ? raw.advertise : null,
        chunksDir: typeof raw.chunksDir === "string" ? raw.chunksDir : null,
      };
    } catch {
      return { ...DEFAULTS };
    }
  }

  private write(s: StoredSettings): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: PRIVATE_DIR_MODE });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(s), { mode: PRIVATE_FILE_MODE });
    fs.renameSync(tmp, this.file);
  }
}
