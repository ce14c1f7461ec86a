-- Accounts, devices, refresh tokens and encrypted records (PostgreSQL).
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE accounts (
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, salt TEXT NOT NULL, kdf TEXT NOT NULL,
  auth_hash TEXT NOT NULL, recovery_hash TEXT NOT NULL, wrapped_keys TEXT NOT NULL, seq BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL
);
CREATE TABLE devices (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name TEXT NOT NULL, created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, revoked_at BIGINT
);
CREATE INDEX devices_by_account ON devices (account_id);
CREATE TABLE refresh_tokens (
  hash TEXT PRIMARY KEY, device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  expires_at BIGINT NOT NULL, used_at BIGINT
);
CREATE INDEX refresh_by_device ON refresh_tokens (device_id);
CREATE TABLE records (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, id TEXT NOT NULL,
  version INTEGER NOT NULL, seq BIGINT NOT NULL, body TEXT NOT NULL, updated_at BIGINT NOT NULL,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX records_by_seq ON records (account_id, seq);
