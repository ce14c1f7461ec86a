/**
 * Versioned schema of the SQLite app database. Each migration moves the schema from version
 * `index` to `index + 1`; the version lives in `PRAGMA user_version`. Migrations are append-only:
 * never edit one that has shipped, add the next.
 */

/** One schema step. */
export interface Migration {
  /** Short description, for logs. */
  name: string;
  /** SQL run inside a transaction. */
  sql: string;
}

/** Every migration, oldest first; the schema version is the count applied. */
export const APP_MIGRATIONS: readonly Migration[] = [
  {
    name: "settings, strategies, watchlists, alerts, conversations",
    sql: `
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE strategies (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
      );
      CREATE TABLE strategy_versions (
        id INTEGER PRIMARY KEY, strategy_id INTEGER NOT NULL REFERENCES strategies(id) ON DELETE CASCADE,
        version INTEGER NOT NULL, source TEXT NOT NULL, note TEXT, created_at INTEGER NOT NULL,
        UNIQUE (strategy_id, version)
      );
      CREATE TABLE watchlists (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL);
      CREATE TABLE watchlist_items (
        watchlist_id INTEGER NOT NULL REFERENCES watchlists(id) ON DELETE CASCADE,
        venue TEXT NOT NULL, symbol TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (watchlist_id, venue, symbol)
      );
      CREATE TABLE alerts (
        id INTEGER PRIMARY KEY, venue TEXT NOT NULL, symbol TEXT NOT NULL, condition TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL, triggered_at INTEGER
      );
      CREATE TABLE conversations (id INTEGER PRIMARY KEY, title TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE messages (
        id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        role TEXT NOT NULL, content TEXT NOT NULL, created_at INTEGER NOT NULL
      );
      CREATE INDEX messages_by_conversation ON messages (conversation_id, id);
    `,
  },
  {
    name: "backtest runs, orders, fills, audit log",
    sql: `
      CREATE TABLE backtest_runs (
        id INTEGER PRIMARY KEY, strategy_version_id INTEGER REFERENCES strategy_versions(id) ON DELETE SET NULL,
        params TEXT NOT NULL, data_source TEXT NOT NULL, status TEXT NOT NULL,
        started_at INTEGER NOT NULL, finished_at INTEGER, summary TEXT, error TEXT
      );
      CREATE TABLE backtest_results (
        run_id INTEGER PRIMARY KEY REFERENCES backtest_runs(id) ON DELETE CASCADE,
        format TEXT NOT NULL, body BLOB NOT NULL
      );
      CREATE TABLE orders (
        id TEXT PRIMARY KEY, venue TEXT NOT NULL, symbol TEXT NOT NULL, side TEXT NOT NULL, type TEXT NOT NULL,
        price TEXT, size TEXT NOT NULL, status TEXT NOT NULL, source TEXT NOT NULL,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
      );
      CREATE TABLE fills (
        id INTEGER PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(id), price TEXT NOT NULL, size TEXT NOT NULL,
        fee TEXT, time INTEGER NOT NULL
      );
      CREATE TABLE audit_log (id INTEGER PRIMARY KEY, time INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, detail TEXT);
      CREATE INDEX audit_by_time ON audit_log (time);
    `,
  },
  {
    name: "holdout looks",
    sql: `
      CREATE TABLE holdout_looks (
        id INTEGER PRIMARY KEY, strategy_hash TEXT NOT NULL, data_key TEXT NOT NULL,
        holdout_from INTEGER NOT NULL, holdout_to INTEGER NOT NULL, looked_at INTEGER NOT NULL
      );
      CREATE INDEX holdout_looks_by_strategy ON holdout_looks (strategy_hash, data_key);
    `,
  },
  {
    name: "alert rules, fires (idempotency key = rule id + bar time) and deliveries",
    sql: `
      CREATE TABLE alert_rules (
        id TEXT PRIMARY KEY, rule TEXT NOT NULL, paused TEXT, fired_once INTEGER NOT NULL DEFAULT 0,
        evaluated_from INTEGER, evaluated_until INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
      );
      CREATE TABLE alert_fires (
        key TEXT PRIMARY KEY, rule_id TEXT NOT NULL, time INTEGER NOT NULL, bar_time INTEGER NOT NULL,
        value TEXT NOT NULL, message TEXT NOT NULL, late_ms INTEGER, recorded_at INTEGER NOT NULL
      );
      CREATE INDEX alert_fires_by_time ON alert_fires (time);
      CREATE TABLE alert_deliveries (
        fire_key TEXT NOT NULL REFERENCES alert_fires(key) ON DELETE CASCADE, channel TEXT NOT NULL,
        status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,
        last_error TEXT, updated_at INTEGER NOT NULL, PRIMARY KEY (fire_key, channel)
      );
      CREATE INDEX alert_deliveries_pending ON alert_deliveries (status, next_at);
    `,
  },
  {
    name: "screener universes",
    sql: `
      CREATE TABLE universes (
        id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, source TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
      );
      CREATE TABLE universe_members (
        universe_id INTEGER NOT NULL REFERENCES universes(id) ON DELETE CASCADE,
        venue TEXT NOT NULL, symbol TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (universe_id, venue, symbol)
      );
    `,
  },
  {
    name: "trading: orders and fills of the order layer, paper accounts, sub-ledgers, kill switch, sessions",
    sql: `
      DROP TABLE fills;
      DROP TABLE orders;
      CREATE TABLE orders (
        id TEXT PRIMARY KEY, account TEXT NOT NULL, ledger TEXT NOT NULL, venue TEXT NOT NULL, symbol TEXT NOT NULL,
        status TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
      );
      CREATE INDEX orders_by_status ON orders (status);
      CREATE TABLE fills (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, order_id TEXT NOT NULL REFERENCES orders(id),
        account TEXT NOT NULL, ledger TEXT NOT NULL, symbol TEXT NOT NULL, side TEXT NOT NULL,
        price REAL NOT NULL, size REAL NOT NULL, fee REAL NOT NULL, liquidity TEXT NOT NULL,
        venue_time INTEGER NOT NULL, receive_time INTEGER NOT NULL
      );
      CREATE TABLE trading_accounts (id TEXT PRIMARY KEY, venue TEXT NOT NULL, starting TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE trading_ledgers (
        account TEXT NOT NULL, ledger TEXT NOT NULL, symbol TEXT NOT NULL, start_cash REAL NOT NULL,
        PRIMARY KEY (account, ledger, symbol)
      );
      CREATE TABLE trading_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at INTEGER NOT NULL);
      CREATE TABLE trading_sessions (
        id TEXT PRIMARY KEY, status TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    name: "cloud account and end-to-end encrypted sync state",
    sql: `
      CREATE TABLE cloud_account (
        id INTEGER PRIMARY KEY CHECK (id = 1), server TEXT NOT NULL, email TEXT NOT NULL, account_id TEXT NOT NULL,
        device_id TEXT NOT NULL, salt TEXT NOT NULL, kdf TEXT NOT NULL, key_id TEXT NOT NULL, wrapped_key TEXT NOT NULL,
        keychain INTEGER NOT NULL, refresh_token TEXT, cursor INTEGER NOT NULL DEFAULT 0, clock TEXT NOT NULL DEFAULT '',
        sync_enabled INTEGER NOT NULL DEFAULT 0, last_sync_at INTEGER, last_conflicts INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE sync_records (
        record_id TEXT PRIMARY KEY, collection TEXT NOT NULL, natural_key TEXT NOT NULL, version INTEGER NOT NULL,
        fields TEXT NOT NULL, UNIQUE (collection, natural_key)
      );
      CREATE TABLE sync_deferred (record_id TEXT PRIMARY KEY, version INTEGER NOT NULL, schema INTEGER NOT NULL, body TEXT NOT NULL);
      ALTER TABLE strategy_versions ADD COLUMN content_hash TEXT;
      ALTER TABLE strategy_versions ADD COLUMN parent_hash TEXT;
      CREATE UNIQUE INDEX strategy_versions_by_hash ON strategy_versions (content_hash);
      CREATE TABLE sync_strategy_deletes (name TEXT PRIMARY KEY);
      CREATE TRIGGER strategy_deleted AFTER DELETE ON strategies BEGIN
        INSERT OR IGNORE INTO sync_strategy_deletes (name) VALUES (old.name);
      END;
      CREATE TRIGGER strategy_created AFTER INSERT ON strategies BEGIN
        DELETE FROM sync_strategy_deletes WHERE name = new.name;
      END;
      CREATE TRIGGER strategy_renamed AFTER UPDATE OF name ON strategies WHEN old.name <> new.name BEGIN
        INSERT OR IGNORE INTO sync_strategy_deletes (name) VALUES (old.name);
        DELETE FROM sync_strategy_deletes WHERE name = new.name;
      END;
    `,
  },
  {
    name: "trading: fills' price, size and fee and ledgers' start cash as exact decimal strings",
    sql: `
      CREATE TABLE fills_decimal (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, order_id TEXT NOT NULL REFERENCES orders(id),
        account TEXT NOT NULL, ledger TEXT NOT NULL, symbol TEXT NOT NULL, side TEXT NOT NULL,
        price TEXT NOT NULL, size TEXT NOT NULL, fee TEXT NOT NULL, liquidity TEXT NOT NULL,
        venue_time INTEGER NOT NULL, receive_time INTEGER NOT NULL
      );
      INSERT INTO fills_decimal
        SELECT seq, id, order_id, account, ledger, symbol, side, decimal_text(price), decimal_text(size), decimal_text(fee),
               liquidity, venue_time, receive_time FROM fills;
      DROP TABLE fills;
      ALTER TABLE fills_decimal RENAME TO fills;
      CREATE TABLE trading_ledgers_decimal (
        account TEXT NOT NULL, ledger TEXT NOT NULL, symbol TEXT NOT NULL, start_cash TEXT NOT NULL,
        PRIMARY KEY (account, ledger, symbol)
      );
      INSERT INTO trading_ledgers_decimal SELECT account, ledger, symbol, decimal_text(start_cash) FROM trading_ledgers ORDER BY rowid;
      DROP TABLE trading_ledgers;
      ALTER TABLE trading_ledgers_decimal RENAME TO trading_ledgers;
    `,
  },
  {
    name: "cloud sync: pulled alert rules that do not validate on this device, kept aside with why",
    sql: `
      CREATE TABLE alert_rules_deferred (id TEXT PRIMARY KEY, fields TEXT NOT NULL, note TEXT NOT NULL, deferred_at INTEGER NOT NULL);
    `,
  },
  {
    name: "alerts: screen rules' last top N per rule (the bar it was ranked at), so a restart neither repeats nor misses an entry",
    sql: `
      CREATE TABLE alert_screen_state (rule_id TEXT PRIMARY KEY, bar_time INTEGER NOT NULL, top TEXT NOT NULL, updated_at INTEGER NOT NULL);
    `,
  },
  {
    name: "alerts: fires stored in the order they are recorded (a rowid id; the idempotency key unique with its bar time, deliveries by fire id), so a burst of fires dirties the last pages of each index, not one page per fire",
    sql: `
      ALTER TABLE alert_deliveries RENAME TO alert_deliveries_old;
      ALTER TABLE alert_fires RENAME TO alert_fires_old;
      DROP INDEX alert_fires_by_time;
      DROP INDEX alert_deliveries_pending;
      CREATE TABLE alert_fires (
        id INTEGER PRIMARY KEY, key TEXT NOT NULL, rule_id TEXT NOT NULL, time INTEGER NOT NULL, bar_time INTEGER NOT NULL,
        value TEXT NOT NULL, message TEXT NOT NULL, late_ms INTEGER, recorded_at INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX alert_fires_by_bar_key ON alert_fires (bar_time, key);
      CREATE INDEX alert_fires_by_time ON alert_fires (time);
      INSERT INTO alert_fires (key, rule_id, time, bar_time, value, message, late_ms, recorded_at)
        SELECT key, rule_id, time, bar_time, value, message, late_ms, recorded_at FROM alert_fires_old ORDER BY recorded_at, time, key;
      CREATE TABLE alert_deliveries (
        fire_id INTEGER NOT NULL REFERENCES alert_fires(id) ON DELETE CASCADE, channel TEXT NOT NULL,
        status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,
        last_error TEXT, updated_at INTEGER NOT NULL, PRIMARY KEY (fire_id, channel)
      );
      CREATE INDEX alert_deliveries_pending ON alert_deliveries (status, next_at);
      INSERT INTO alert_deliveries (fire_id, channel, status, attempts, next_at, last_error, updated_at)
        SELECT f.id, d.channel, d.status, d.attempts, d.next_at, d.last_error, d.updated_at
        FROM alert_deliveries_old d JOIN alert_fires_old o ON o.key = d.fire_key JOIN alert_fires f ON f.bar_time = o.bar_time AND f.key = o.key
        ORDER BY f.id, d.channel;
      DROP TABLE alert_deliveries_old;
      DROP TABLE alert_fires_old;
    `,
  },
  {
    name: "alerts: a fire's desktop delivery (delivered, or pending when no window listened) kept in the fire's row, not in a deliveries row: a burst of fires writes half the rows and index entries; deliveries keep the webhook ones",
    sql: `
      ALTER TABLE alert_fires ADD COLUMN desktop TEXT;
      UPDATE alert_fires SET desktop = (SELECT d.status FROM alert_deliveries d WHERE d.fire_id = alert_fires.id AND d.channel = 'desktop');
      DELETE FROM alert_deliveries WHERE channel = 'desktop';
    `,
  },
];
