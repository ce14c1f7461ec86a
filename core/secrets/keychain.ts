/**
 * API keys in the OS keychain (macOS Keychain, Windows Credential Manager, the Secret Service on
 * Linux) through @napi-rs/keyring. Core writes and deletes keys and reads them only for its own
 * venue connections: no API returns a saved key. Each venue's credentials are one JSON entry
 * (key, secret, optional passphrase) under the service name, account = venue id.
 *
 * Where no keychain is reachable (a Linux session without a Secret Service, a headless box) every
 * operation fails with {@link KeychainUnavailableError} carrying a message a user can act on.
 */
import { AsyncEntry, findCredentialsAsync } from "@napi-rs/keyring";
import type { SavedKeyInfo } from "../../common/api/ui.ts";

/** The keychain service name the workstation's entries live under. */
export const KEYCHAIN_SERVICE = "workstation";

/** A venue's API credentials. */
export interface VenueCredentials {
  apiKey: string;
  apiSecret: string;
  passphrase?: string;
}


/** No usable keychain on this machine or session. */
export class KeychainUnavailableError extends Error {
  override name = "KeychainUnavailableError";
}

/** Where keys are kept; the default is the OS keychain, tests may pass another. */
export interface KeychainBackend {
  set(account: string, value: string): Promise<void>;
  get(account: string): Promise<string | null>;
  delete(account: string): Promise<boolean>;
  accounts(): Promise<string[]>;
}

/** A user-facing explanation of why the keychain could not be used. */
export function explainKeychainError(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  if (process.platform === "linux" && /dbus|zbus|secret service|org\.freedesktop|no result found|prompt|platform storage/i.test(raw)) {
    return (
      "No OS keychain is available in this session (the Secret Service could not be reached or unlocked). " +
      "Start a keyring such as GNOME Keyring or KWallet in your desktop session to save API keys. " +
      `Detail: ${raw}`
    );
  }
  return `The OS keychain could not be used: ${raw}`;
}

/** The OS keychain as a {@link KeychainBackend}. */
export function osKeychain(service = KEYCHAIN_SERVICE): KeychainBackend {
  const entry = (account: string): AsyncEntry => new AsyncEntry(service, account, { linux: { store: "secret-service" } });
  return {
    set: (account, value) => entry(account).setPassword(value),
    get: (account) => entry(account).getPassword(),
    delete: (account) => entry(account).deleteCredential(),
    accounts: async () => (await findCredentialsAsync(service)).map((c) => c.account),
  };
}

const VENUE = /^[a-z0-9][a-z0-9_-]{0,31}$/;

function checkVenue(venue: string): string {
  if (!VENUE.test(venue)) throw new RangeError(`venue id must be 1-32 lowercase letters, digits, "-" or "_" (got ${JSON.stringify(venue)})`);
  return venue;
}

interface StoredEntry extends VenueCredentials {
  savedAt: number;
}

/** Saved venue credentials; every call may reject with {@link KeychainUnavailableError}. */
export class SecretStore {
  private readonly backend: KeychainBackend;

  constructor(backend: KeychainBackend = osKeychain()) {
    this.backend = backend;
  }

  /** Saves (or replaces) a venue's credentials; returns what the UI may show about them. */
  async save(venue: string, creds: VenueCredentials): Promise<SavedKeyInfo> {
    const value: StoredEntry = { ...creds, savedAt: Date.now() };
    const account = checkVenue(venue);
    await this.guard(() => this.backend.set(account, JSON.stringify(value)));
    return { venue, keyHint: hint(creds.apiKey), savedAt: value.savedAt };
  }

  /** The venues with saved keys, without the keys. */
  async list(): Promise<SavedKeyInfo[]> {
    const venues = [...new Set(await this.guard(() => this.backend.accounts()))].filter((a) => VENUE.test(a)).sort();
    const out: SavedKeyInfo[] = [];
    for (const venue of venues) {
      const entry = await this.read(venue);
      if (entry) out.push({ venue, keyHint: hint(entry.apiKey), savedAt: entry.savedAt });
    }
    return out;
  }

  /** Deletes a venue's credentials; false when none were saved. */
  async delete(venue: string): Promise<boolean> {
    const account = checkVenue(venue);
    return this.guard(() => this.backend.delete(account));
  }

  /** The credentials themselves, for core's own venue connections only (never sent to a client). */
  async credentials(venue: string): Promise<VenueCredentials | null> {
    const entry = await this.read(checkVenue(venue));
    if (!entry) return null;
    return entry.passphrase ? { apiKey: entry.apiKey, apiSecret: entry.apiSecret, passphrase: entry.passphrase } : { apiKey: entry.apiKey, apiSecret: entry.apiSecret };
  }

  /** Checks that the keychain answers; returns null when it does, else the reason it does not. */
  async probe(): Promise<string | null> {
    try {
      await this.backend.accounts();
      return null;
    } catch (err) {
      return explainKeychainError(err);
    }
  }

  private async read(venue: string): Promise<StoredEntry | null> {
    const raw = await this.guard(() => this.backend.get(venue));
    if (raw === null) return null;
    try {
      const v = JSON.parse(raw) as Partial<StoredEntry>;
      if (typeof v.apiKey !== "string" || typeof v.apiSecret !== "string") return null;
      return { apiKey: v.apiKey, apiSecret: v.apiSecret, savedAt: typeof v.savedAt === "number" ? v.savedAt : 0, ...(typeof v.passphrase === "string" ? { passphrase: v.passphrase } : {}) };
    } catch {
      return null;
    }
  }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof RangeError) throw err;
      throw new KeychainUnavailableError(explainKeychainError(err));
    }
  }
}

function hint(apiKey: string): string {
  return apiKey.length <= 8 ? "…" : `…${apiKey.slice(-4)}`;
}
