/**
 * The assistant's provider API keys in the OS keychain (service "workstation.assistant", one
 * entry per provider kind). Keys are written and deleted through the API and read only by core
 * for its own requests; no API returns them. Without a keychain the environment variable
 * WORKSTATION_AI_API_KEY still works.
 */
import type { AssistantProviderKind } from "../../common/api/assistant.ts";
import { type KeychainBackend, explainKeychainError, osKeychain } from "../secrets/keychain.ts";

/** Keychain service name of the assistant's keys. */
export const AI_KEYCHAIN_SERVICE = "workstation.assistant";

/** Where provider keys are kept. */
export interface AiKeyStore {
  get(provider: AssistantProviderKind): Promise<string | null>;
  set(provider: AssistantProviderKind, key: string): Promise<void>;
  delete(provider: AssistantProviderKind): Promise<boolean>;
  /** Null when the keychain works, else why it does not. */
  probe(): Promise<string | null>;
}

/** Keys in a keychain backend (the OS keychain by default). */
export function keychainAiKeys(backend: KeychainBackend = osKeychain(AI_KEYCHAIN_SERVICE)): AiKeyStore {
  return {
    get: async (provider) => {
      try {
        return await backend.get(provider);
      } catch {
        return null;
      }
    },
    set: async (provider, key) => {
      try {
        await backend.set(provider, key);
      } catch (err) {
        throw new Error(explainKeychainError(err), { cause: err });
      }
    },
    delete: async (provider) => {
      try {
        return await backend.delete(provider);
      } catch (err) {
        throw new Error(explainKeychainError(err), { cause: err });
      }
    },
    probe: async () => {
      try {
        await backend.accounts();
        return null;
      } catch (err) {
        return explainKeychainError(err);
      }
    },
  };
}

/** Keys in memory (tests, and machines without a keychain). */
export function memoryAiKeys(): AiKeyStore {
  const keys = new Map<string, string>();
  return {
    get: async (p) => keys.get(p) ?? null,
    set: async (p, k) => void keys.set(p, k),
    delete: async (p) => keys.delete(p),
    probe: async () => null,
  };
}
