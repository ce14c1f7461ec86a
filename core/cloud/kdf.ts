/**
 * Password → keys, on the desktop only: Argon2id (Node's built-in `crypto.argon2`) of the password
 * with the account's salt and parameters gives a master key; HKDF splits it into the login secret
 * (sent to the service, which stores only its Argon2id hash) and the key-encryption key (never sent)
 * that wraps the data key.
 */
import crypto from "node:crypto";
import { promisify } from "node:util";
import { fromBase64Url, toHex } from "../../common/cloud/bytes.ts";
import { hkdf } from "../../common/cloud/crypto.ts";
import type { KdfParams } from "../../common/cloud/protocol.ts";

const argon2 = promisify(crypto.argon2);

/** What a password derives. */
export interface DerivedKeys {
  /** Hex, for the service. */
  loginSecret: string;
  /** Wraps the data key. */
  kek: Uint8Array<ArrayBuffer>;
}

/** Derives the login secret and key-encryption key from a password. */
export async function deriveKeys(password: string, salt: string, kdf: KdfParams): Promise<DerivedKeys> {
  const master = await argon2("argon2id", { message: password.normalize("NFC"), nonce: fromBase64Url(salt), memory: kdf.memory, passes: kdf.passes, parallelism: kdf.parallelism, tagLength: 32 });
  const ikm = new Uint8Array(master);
  return { loginSecret: toHex(await hkdf(ikm, "login")), kek: await hkdf(ikm, "kek") };
}

/** The label a password wrap of the data key is bound to. */
export const PASSWORD_WRAP = "data-key/password";
/** The label a recovery-key wrap of the data key is bound to. */
export const RECOVERY_WRAP = "data-key/recovery";
