/**
 * The wire contract between the desktop and the cloud account service: request and response
 * bodies, the key-derivation parameters, and the size limits both sides enforce. The service only
 * ever sees opaque record ids, versions, sizes, times and ciphertext.
 */

/** Argon2id parameters the desktop derives the login secret and key-encryption key with. */
export interface KdfParams {
  algorithm: "argon2id";
  /** Memory in KiB. */
  memory: number;
  passes: number;
  parallelism: number;
}

/** The parameters new accounts get (OWASP's minimum recommendation for Argon2id). */
export const DEFAULT_KDF: KdfParams = { algorithm: "argon2id", memory: 19_456, passes: 2, parallelism: 1 };

/** The data key wrapped twice: by the password-derived key and by the recovery key. */
export interface WrappedKeys {
  /** Id of the data key (bound into every record's associated data). */
  keyId: string;
  /** Base64url AES-GCM wrap of the data key under the password-derived key-encryption key. */
  byPassword: string;
  /** Base64url AES-GCM wrap of the data key under the recovery key. */
  byRecovery: string;
}

/** POST /v1/signup. */
export interface SignupRequest {
  email: string;
  /** Base64url salt the desktop chose for Argon2id. */
  salt: string;
  kdf: KdfParams;
  /** Hex login secret derived from the password (never the password). */
  loginSecret: string;
  /** Hex secret derived from the recovery key (the service keeps only its Argon2id hash). */
  recoverySecret: string;
  wrappedKeys: WrappedKeys;
  deviceName: string;
}

/** POST /v1/recover/keys: the recovery wrap of the data key, for the holder of the recovery key. */
export interface RecoverKeysRequest {
  email: string;
  recoverySecret: string;
}

/** POST /v1/recover: a new password set with the recovery key; every other device is signed out. */
export interface RecoverRequest extends RecoverKeysRequest {
  newSalt: string;
  kdf: KdfParams;
  newLoginSecret: string;
  byPassword: string;
  deviceName: string;
}

/** POST /v1/prelogin: the same shape whether or not the account exists. */
export interface PreloginResponse {
  salt: string;
  kdf: KdfParams;
}

/** POST /v1/login. */
export interface LoginRequest {
  email: string;
  loginSecret: string;
  deviceName: string;
}

/** Tokens handed out by signup, login and refresh. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token stays valid. */
  expiresIn: number;
}

/** The answer to signup and login. */
export interface SessionResponse extends TokenPair {
  accountId: string;
  deviceId: string;
  wrappedKeys: WrappedKeys;
}

/** POST /v1/password: re-wraps the data key under the new password only. */
export interface PasswordChangeRequest {
  loginSecret: string;
  newLoginSecret: string;
  newSalt: string;
  kdf: KdfParams;
  byPassword: string;
}

/** One device signed in to an account. */
export interface DeviceInfo {
  id: string;
  name: string;
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}

/** An encrypted record as it travels: opaque id, per-record version, ciphertext envelope. */
export interface WireRecord {
  id: string;
  version: number;
  body: string;
}

/** A record the service stored, with its place in the account's change feed. */
export interface StoredRecord extends WireRecord {
  seq: number;
}

/** POST /v1/records. */
export interface PushRequest {
  records: WireRecord[];
}

/** The answer to a push: what was stored, and what lost to a newer version on the service. */
export interface PushResponse {
  accepted: { id: string; version: number; seq: number }[];
  conflicts: { id: string; version: number }[];
}

/** GET /v1/records?since=CURSOR&limit=N. */
export interface PullResponse {
  records: StoredRecord[];
  /** Pass as `since` next time; equals the last record's seq, or the request's when none. */
  cursor: number;
  more: boolean;
}

/** A JSON error body: `{ error }`, one line. */
export interface ErrorBody {
  error: string;
}

/** Largest record body the service stores (bytes of its envelope text). */
export const MAX_RECORD_BYTES = 256 * 1024;
/** Largest request body the service reads. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Most records in one push. */
export const MAX_PUSH_RECORDS = 500;
/** Most records in one pull page. */
export const MAX_PULL_RECORDS = 500;
/** Shortest password an account accepts. */
export const MIN_PASSWORD_LENGTH = 12;
