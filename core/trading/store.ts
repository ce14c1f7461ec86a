/**
 * Durable state of the order layer: orders (written before they leave), fills (each once: a fill
 * id is unique, so an event applied twice after a restart is ignored), paper accounts, sub-ledgers,
 * the kill switch and running sessions. Two implementations: the SQLite app database (core, the
 * CLI's `orders`/`fills`) and memory (a `paper --replay`, which is self-contained).
 */
import type Database from "better-sqlite3";
import type { LedgerId, TradingFill, TradingOrder } from "../../common/trading/orders.ts";

/** A fill with the ledger it belongs to. */
export interface StoredFill extends TradingFill {
  account: string;
  ledger: LedgerId;
  symbol: string;
}

/** A stored paper account. */
export interface StoredAccount {
  id: string;
  venue: string;
  starting: Record<string, number>;
}

/** A stored sub-ledger. */
export interface StoredLedger {
  account: string;
  ledger: LedgerId;
  symbol: string;
  startCash: number;
}

/** A stored strategy session (what a restart needs to start it again). */
export interface StoredSession {
  id: string;
  status: "running" | "stopped" | "failed";
  body: unknown;
}

/** Everything a restart reads, in write order. */
export interface TradingSnapshot {
  accounts: StoredAccount[];
  ledgers: StoredLedger[];
  orders: TradingOrder[];
  fills: StoredFill[];
  sessions: StoredSession[];
}

/** Where the order layer writes, before it acts. */
export interface TradingStore {
  saveAccount(a: StoredAccount): void;
  saveLedger(l: StoredLedger): void;
  saveOrder(o: TradingOrder): void;
  /** Writes the fill and its order's new state together; false when the fill id is already stored. */
  saveFill(fill: StoredFill, order: TradingOrder): boolean;
  getState<T>(key: string): T | undefined;
  setState(key: string, value: unknown): void;
  saveSession(s: StoredSession): void;
  load(): TradingSnapshot;
}

/** A store in memory (replays, tests). */
export class MemoryTradingStore implements TradingStore {
  private readonly accounts = new Map<string, StoredAccount>();
  private readonly ledgers = new Map<string, StoredLedger>();
  private readonly orders = new Map<string, TradingOrder>();
  private readonly fills = new Map<string, StoredFill>();
  private readonly state = new Map<string, unknown>();
  private readonly sessions = new Map<string, StoredSession>();

  saveAccount(a: StoredAccount): void {
    this.accounts.set(a.id, structuredClone(a));
  }
  saveLedger(l: StoredLedger): void {
    this.ledgers.set(`${l.account}\u0000${l.ledger}\u0000${l.symbol}`, { ...l });
  }
  saveOrder(o: TradingOrder): void {
    this.orders.set(o.id, { ...o });
  }
  saveFill(fill: StoredFill, order: TradingOrder): boolean {
    if (this.fills.has(fill.id)) return false;
    this.fills.set(fill.id, { ...fill });
    this.saveOrder(order);
    return true;
  }
  getState<T>(key: string): T | undefined {
    return this.state.get(key) as T | undefined;
  }
  setState(key: string, value: unknown): void {
    this.state.set(key, structuredClone(value));
  }
  saveSession(s: StoredSession): void {
    this.sessions.set(s.id, structuredClone(s));
  }
  load(): TradingSnapshot {
    return {
      accounts: [...this.accounts.values()].map((a) => structuredClone(a)),
      ledgers: [...this.ledgers.values()].map((l) => ({ ...l })),
      orders: [...this.orders.values()].map((o) => ({ ...o })),
      fills: [...this.fills.values()].map((f) => ({ ...f })),
      sessions: [...this.sessions.values()].map((s) => structuredClone(s)),
    };
  }
}

interface FillRow {
  id: string;
  order_id: string;
  account: string;
  ledger: string;
  symbol: string;
  side: "buy" | "sell";
  price: number;
  size: number;
  fee: number;
  liquidity: "maker" | "taker";
  venue_time: number;
  receive_time: number;
}

/** The order layer's tables in the SQLite app database (migration "trading"). */
export class SqliteTradingStore implements TradingStore {
  private readonly db: Database.Database;
  private readonly upsertOrder: Database.Statement<[string, string, string, string, string, string, string, number, number]>;
  private readonly insertFill: Database.Statement<unknown[]>;

  constructor(db: Database.Database) {
    this.db = db;
    this.upsertOrder = db.prepare(
      `INSERT INTO orders (id, account, ledger, venue, symbol, status, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, body = excluded.body, updated_at = excluded.updated_at`,
    );
    this.insertFill = db.prepare(
      `INSERT OR IGNORE INTO fills (id, order_id, account, ledger, symbol, side, price, size, fee, liquidity, venue_time, receive_time)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  saveAccount(a: StoredAccount): void {
    this.db
      .prepare("INSERT INTO trading_accounts (id, venue, starting, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET starting = excluded.starting")
      .run(a.id, a.venue, JSON.stringify(a.starting), Date.now());
  }

  saveLedger(l: StoredLedger): void {
    this.db.prepare("INSERT OR IGNORE INTO trading_ledgers (account, ledger, symbol, start_cash) VALUES (?, ?, ?, ?)").run(l.account, l.ledger, l.symbol, l.startCash);
  }

  saveOrder(o: TradingOrder): void {
    this.upsertOrder.run(o.id, o.account, o.ledger, o.venue, o.symbol, o.status, JSON.stringify(o), o.createdTime, o.updatedTime);
  }

  saveFill(fill: StoredFill, order: TradingOrder): boolean {
    return this.db.transaction(() => {
      const f = fill;
      const r = this.insertFill.run(f.id, f.orderId, f.account, f.ledger, f.symbol, f.side, f.price, f.size, f.fee, f.liquidity, f.venueTime, f.receiveTime);
      if (r.changes === 0) return false;
      this.saveOrder(order);
      return true;
    })();
  }

  getState<T>(key: string): T | undefined {
    const row = this.db.prepare<[string], { value: string }>("SELECT value FROM trading_state WHERE key = ?").get(key);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  setState(key: string, value: unknown): void {
    this.db
      .prepare("INSERT INTO trading_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
      .run(key, JSON.stringify(value), Date.now());
  }

  saveSession(s: StoredSession): void {
    const now = Date.now();
    this.db
      .prepare("INSERT INTO trading_sessions (id, status, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET status = excluded.status, body = excluded.body, updated_at = excluded.updated_at")
      .run(s.id, s.status, JSON.stringify(s.body), now, now);
  }

  load(): TradingSnapshot {
    const accounts = this.db.prepare<[], { id: string; venue: string; starting: string }>("SELECT id, venue, starting FROM trading_accounts ORDER BY rowid").all();
    const ledgers = this.db.prepare<[], { account: string; ledger: string; symbol: string; start_cash: number }>("SELECT * FROM trading_ledgers ORDER BY rowid").all();
    const orders = this.db.prepare<[], { body: string }>("SELECT body FROM orders ORDER BY rowid").all();
    const fills = this.db.prepare<[], FillRow>("SELECT * FROM fills ORDER BY seq").all();
    const sessions = this.db.prepare<[], { id: string; status: StoredSession["status"]; body: string }>("SELECT id, status, body FROM trading_sessions ORDER BY rowid").all();
    return {
      accounts: accounts.map((a) => ({ id: a.id, venue: a.venue, starting: JSON.parse(a.starting) as Record<string, number> })),
      ledgers: ledgers.map((l) => ({ account: l.account, ledger: l.ledger, symbol: l.symbol, startCash: l.start_cash })),
      orders: orders.map((o) => JSON.parse(o.body) as TradingOrder),
      fills: fills.map((f) => ({
        id: f.id,
        orderId: f.order_id,
        account: f.account,
        ledger: f.ledger,
        symbol: f.symbol,
        side: f.side,
        price: f.price,
        size: f.size,
        fee: f.fee,
        liquidity: f.liquidity,
        venueTime: f.venue_time,
        receiveTime: f.receive_time,
      })),
      sessions: sessions.map((s) => ({ id: s.id, status: s.status, body: JSON.parse(s.body) as unknown })),
    };
  }
}
