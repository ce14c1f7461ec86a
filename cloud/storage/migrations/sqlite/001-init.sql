-- Accounts, devices, refresh tokens and encrypted records (SQLite).
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE accounts (
  id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, salt TEXT NOT NULL, kdf TEXT NOT NULL,
  auth_hash TEXT NOT NULL, recovery_hash TEXT NOT NULL, wrapped_keys TEXT NOT NULL, seq INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL
);
CREATE TABLE devices (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  name TEXT NOT NULL, created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL, revoked_at INTEGER
);
CREATE INDEX devices_by_account ON devices (account_id);
CREATE TABLE refresh_tokens (
  hash TEXT PRIMARY KEY, device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL, used_at INTEGER
);
CREATE INDEX refresh_by_device ON refresh_tokens (device_id);
CREATE TABLE records (
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, id TEXT NOT NULL,
  version INTEGER NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, id)
);
CREATE INDEX records_by_seq ON records (account_id, seq);
