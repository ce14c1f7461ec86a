/**
 * Where this device keeps its refresh token and data key. With an OS keychain (see
 * core/secrets/keychain.ts) both are one keychain entry per signed-in device. Without one (a
 * headless server, CI, or `WORKSTATION_CLOUD_KEYCHAIN=off`) the refresh token goes in the app
 * database and the data key is not kept at all: it is unwrapped from the password each time.
 */
import { osKeychain, type KeychainBackend } from "../secrets/keychain.ts";

/** The keychain service name of cloud sessions. */
export const CLOUD_KEYCHAIN_SERVICE = "workstation.cloud";

/** What the keychain entry holds. */
export interface KeychainSession {
  refreshToken: string;
  /** Base64url data key. */
  dataKey: string;
}

/** The keychain to use, or null when there is none (or it is turned off). */
export async function cloudKeychain(env: NodeJS.ProcessEnv, backend?: KeychainBackend): Promise<KeychainBackend | null> {
  if (/^(off|0|false|no)$/i.test(env.WORKSTATION_CLOUD_KEYCHAIN ?? "")) return null;
  const kc = backend ?? osKeychain(CLOUD_KEYCHAIN_SERVICE);
  try {
    await kc.accounts();
    return kc;
  } catch {
    return null;
  }
}

/** The keychain account name of one device's session. */
export function sessionAccount(accountId: string, deviceId: string): string {
  return `session-${accountId}-${deviceId}`;
}

/** Reads a session entry; null when missing or unreadable. */
export async function readKeychainSession(kc: KeychainBackend, account: string): Promise<KeychainSession | null> {
  const raw = await kc.get(account).catch(() => null);
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Partial<KeychainSession>;
    return typeof v.refreshToken === "string" && typeof v.dataKey === "string" ? { refreshToken: v.refreshToken, dataKey: v.dataKey } : null;
  } catch {
    return null;
  }
}
