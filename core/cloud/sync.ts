/**
 * One sync round: stamp local edits with the hybrid logical clock, pull the change feed from the
 * cursor (each page decrypted and checked, then applied with the new cursor in one local
 * transaction — a cut mid-sync loses nothing and repeats nothing), merge per field, append
 * strategy versions, and push what changed with per-record versions (a lost race is pulled and
 * merged in the next pass). A rolled-back, swapped or tampered record stops the round with an
 * integrity error and leaves the local copy as it was; a record from a newer schema (or of a
 * collection this build does not know) is kept aside, and applied by the first build that reads
 * it. Pulled alert rules pass the given validation; the rules a round changed are reported.
 */
import type Database from "better-sqlite3";
import type { AlertRule } from "../../common/alerts/types.ts";
import { decryptRecord, encryptRecord, hkdf, IntegrityError, recordId, type OpenedRecord } from "../../common/cloud/crypto.ts";
import { formatHlc, HybridClock } from "../../common/cloud/hlc.ts";
import { conflictingFields, DELETED, fieldValues, isDeleted, mergeFields, type FieldMap } from "../../common/cloud/merge.ts";
import { MAX_BODY_BYTES, MAX_PULL_RECORDS, MAX_PUSH_RECORDS, MAX_RECORD_BYTES, type PullResponse, type PushResponse, type StoredRecord, type WireRecord } from "../../common/cloud/protocol.ts";
import { offlineRuleCheck } from "./alert-collection.ts";
import { counted, FIELD_COLLECTIONS, type ApplyContext } from "./collections.ts";
import { updateAccount } from "./local-account.ts";
import type { CloudSession } from "./session.ts";
import { applyVersion, stampStrategyVersions, STRATEGY_COLLECTION, unsyncedVersions, verifiedVersion } from "./strategy-sync.ts";

/** The record schema this build reads and writes. */
export const RECORD_SCHEMA = 1;

/** What one round did (the `workstation sync --json` contract). */
export interface SyncResult {
  pushed: number;
  pulled: number;
  conflicts: number;
}

interface Base {
  collection: string;
  key: string;
  version: number;
  fields: FieldMap;
}

interface Pending extends Base {
  id: string;
}

class Round {
  readonly result: SyncResult = { pushed: 0, pulled: 0, conflicts: 0 };
  readonly pending = new Map<string, Pending>();
  private readonly baseStmt;
  private readonly db: Database.Database;
  private readonly session: CloudSession;
  private readonly dataKey: Uint8Array<ArrayBuffer>;
  private readonly idKey: Uint8Array<ArrayBuffer>;
  private readonly clock: HybridClock;
  private readonly warn: (line: string) => void;
  private readonly pageSize: number;
  private readonly initialNode: string | null;
  readonly ctx: ApplyContext;

  constructor(db: Database.Database, session: CloudSession, keys: { dataKey: Uint8Array<ArrayBuffer>; idKey: Uint8Array<ArrayBuffer> }, clock: HybridClock, options: RoundOptions) {
    this.warn = options.warn;
    this.ctx = { validateAlertRule: options.validateAlertRule, changedAlertRules: new Set(), alertNotes: new Map(), warn: options.warn };
    this.pageSize = options.pageSize;
    this.initialNode = options.initialNode;
    this.db = db;
    this.session = session;
    this.dataKey = keys.dataKey;
    this.idKey = keys.idKey;
    this.clock = clock;
    this.baseStmt = db.prepare<[string], { collection: string; natural_key: string; version: number; fields: string }>("SELECT collection, natural_key, version, fields FROM sync_records WHERE record_id = ?");
  }

  base(id: string): Base | null {
    const r = this.baseStmt.get(id);
    return r ? { collection: r.collection, key: r.natural_key, version: r.version, fields: JSON.parse(r.fields) as FieldMap } : null;
  }

  /** Stamps local edits since the last sync with fresh clock times; fills `pending`. */
  async stampLocal(): Promise<void> {
    this.pending.clear();
    for (const collection of FIELD_COLLECTIONS.values()) {
      const items = collection.read(this.db);
      const known = this.db.prepare<[string], { record_id: string; natural_key: string }>("SELECT record_id, natural_key FROM sync_records WHERE collection = ?").all(collection.name);
      const ids = new Map(known.map((k) => [k.natural_key, k.record_id]));
      for (const key of new Set([...items.keys(), ...ids.keys()])) {
        if (collection.ignores?.(key)) continue;
        const id = ids.get(key) ?? (await recordId(this.idKey, `${collection.name}\0${key}`));
        const base = this.base(id) ?? { collection: collection.name, key, version: 0, fields: {} };
        const fields = this.stamp(base.fields, items.get(key) ?? null);
        if (JSON.stringify(fields) !== JSON.stringify(base.fields)) this.pending.set(id, { ...base, id, fields });
      }
    }
  }

  /**
   * The time of a local edit. Before this device's first completed round (a fresh login) what it
   * holds is older than anything on the account, so it gets the earliest time: the account wins.
   */
  private time(): string {
    return this.initialNode === null ? this.clock.tick() : formatHlc({ wall: 0, counter: 0, node: this.initialNode });
  }

  private stamp(base: FieldMap, values: Record<string, unknown> | null): FieldMap {
    const out: FieldMap = { ...base };
    const dead = isDeleted(base);
    if (values === null) {
      if (!dead && Object.keys(base).length > 0) out[DELETED] = { hlc: this.time(), value: true };
      return out;
    }
    for (const [name, value] of Object.entries(values)) {
      if (dead || !base[name] || JSON.stringify(base[name].value) !== JSON.stringify(value)) out[name] = { hlc: this.time(), value };
    }
    for (const name of Object.keys(base)) if (name !== DELETED && !(name in values) && base[name]!.value !== null) out[name] = { hlc: this.time(), value: null };
    return out;
  }

  /** Pulls every page after the cursor. */
  async pullAll(cursor: number): Promise<number> {
    for (;;) {
      const page = await this.session.request<PullResponse>("GET", `/v1/records?since=${cursor}&limit=${this.pageSize}`);
      const opened = await this.openPage(page.records);
      this.db.transaction(() => {
        for (const [record, value] of opened) this.apply(record, value);
        updateAccount(this.db, { cursor: page.cursor, clock: this.clock.current() });
      })();
      cursor = page.cursor;
      if (!page.more) break;
    }
    this.db.transaction(() => {
      for (const c of FIELD_COLLECTIONS.values()) c.settle?.(this.db, this.ctx);
    })();
    return cursor;
  }

  /**
   * Applies records kept aside by an earlier build that this one now reads (a collection it did not
   * know, or a schema it now has); a version older than what this device holds is dropped.
   */
  async replayDeferred(): Promise<void> {
    const rows = this.db.prepare<[number], { id: string; version: number; body: string }>("SELECT record_id AS id, version, body FROM sync_deferred WHERE schema <= ? ORDER BY rowid").all(RECORD_SCHEMA);
    const opened: [StoredRecord, OpenedRecord | null][] = [];
    for (const r of rows) {
      const base = this.base(r.id);
      const record = { ...r, seq: 0 };
      opened.push(base && base.version >= r.version ? [record, null] : (await this.openPage([record]))[0]!);
    }
    this.db.transaction(() => {
      for (const [record, value] of opened) {
        this.db.prepare("DELETE FROM sync_deferred WHERE record_id = ?").run(record.id);
        this.apply(record, value, false);
      }
    })();
  }

  /** Decrypts and checks a page before anything of it is applied. */
  private async openPage(records: StoredRecord[]): Promise<[StoredRecord, OpenedRecord | null][]> {
    const out: [StoredRecord, OpenedRecord | null][] = [];
    for (const r of records) {
      const base = this.base(r.id);
      if (base && r.version < base.version) throw new IntegrityError(`record ${r.id} was rolled back (version ${r.version} after ${base.version}); the local copy is kept`);
      if (base && r.version === base.version) {
        out.push([r, null]);
        continue;
      }
      const opened = await decryptRecord(this.dataKey, this.session.account.keyId, r.id, r.version, r.body);
      if (opened.collection === STRATEGY_COLLECTION && opened.schema <= RECORD_SCHEMA) await verifiedVersion(opened.value);
      out.push([r, opened]);
    }
    return out;
  }

  private apply(record: StoredRecord, opened: OpenedRecord | null, count = true): void {
    if (!opened) return;
    if (count && counted(opened.collection)) this.result.pulled++;
    if (opened.schema > RECORD_SCHEMA || (opened.collection !== STRATEGY_COLLECTION && !FIELD_COLLECTIONS.has(opened.collection))) {
      this.db.prepare("INSERT OR REPLACE INTO sync_deferred (record_id, version, schema, body) VALUES (?, ?, ?, ?)").run(record.id, record.version, opened.schema, record.body);
      return;
    }
    if (opened.collection === STRATEGY_COLLECTION) this.applyStrategy(record, opened.value);
    else this.applyFields(record, opened.collection, opened.value as { key: string; fields: FieldMap });
  }

  private applyStrategy(record: StoredRecord, value: unknown): void {
    const v = value as Parameters<typeof applyVersion>[1];
    const { fork } = applyVersion(this.db, v);
    if (fork) this.result.conflicts++;
    this.saveBase(record.id, STRATEGY_COLLECTION, v.hash, record.version, {});
  }

  private applyFields(record: StoredRecord, collection: string, value: { key: string; fields: FieldMap }): void {
    const base = this.base(record.id);
    const mine = this.pending.get(record.id);
    const local = mine?.fields ?? base?.fields ?? {};
    const merged = mergeFields(local, value.fields);
    if (mine && conflictingFields(base?.fields ?? {}, mine.fields, value.fields).length > 0) this.result.conflicts++;
    for (const f of Object.values(value.fields)) this.clock.receive(f.hlc);
    FIELD_COLLECTIONS.get(collection)!.write(this.db, value.key, isDeleted(merged) ? null : fieldValues(merged), this.ctx);
    this.saveBase(record.id, collection, value.key, record.version, value.fields);
    if (JSON.stringify(merged) !== JSON.stringify(value.fields)) this.pending.set(record.id, { id: record.id, collection, key: value.key, version: record.version, fields: merged });
    else this.pending.delete(record.id);
  }

  private saveBase(id: string, collection: string, key: string, version: number, fields: FieldMap): void {
    this.db
      .prepare("INSERT INTO sync_records (record_id, collection, natural_key, version, fields) VALUES (?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET version = excluded.version, fields = excluded.fields")
      .run(id, collection, key, version, JSON.stringify(fields));
  }

  /** Pushes pending field records and unsynced strategy versions; returns how many lost a race. */
  async push(): Promise<number> {
    const out: { wire: WireRecord; collection: string; key: string; fields: FieldMap }[] = [];
    for (const p of this.pending.values()) {
      const version = p.version + 1;
      const body = await encryptRecord(this.dataKey, { id: p.id, collection: p.collection, version, keyId: this.session.account.keyId, schema: RECORD_SCHEMA }, { key: p.key, fields: p.fields });
      out.push({ wire: { id: p.id, version, body }, collection: p.collection, key: p.key, fields: p.fields });
    }
    for (const v of unsyncedVersions(this.db)) {
      const id = await recordId(this.idKey, `${STRATEGY_COLLECTION}\0${v.hash}`);
      const body = await encryptRecord(this.dataKey, { id, collection: STRATEGY_COLLECTION, version: 1, keyId: this.session.account.keyId, schema: RECORD_SCHEMA }, v);
      out.push({ wire: { id, version: 1, body }, collection: STRATEGY_COLLECTION, key: v.hash, fields: {} });
    }
    return this.send(out.filter((o) => {
      const fits = o.wire.body.length <= MAX_RECORD_BYTES;
      if (!fits) this.warn(`a ${o.collection} record is larger than ${MAX_RECORD_BYTES} bytes encrypted and stays on this device only`);
      return fits;
    }));
  }

  private async send(out: { wire: WireRecord; collection: string; key: string; fields: FieldMap }[]): Promise<number> {
    let lost = 0;
    for (const batch of batches(out)) {
      const res = await this.session.request<PushResponse>("POST", "/v1/records", { records: batch.map((b) => b.wire) });
      const byId = new Map(batch.map((b) => [b.wire.id, b]));
      this.db.transaction(() => {
        for (const a of res.accepted) {
          const b = byId.get(a.id)!;
          this.saveBase(a.id, b.collection, b.key, a.version, b.fields);
          this.pending.delete(a.id);
        }
        // An immutable version already there is the same content (its id is its hash): nothing lost.
        for (const c of res.conflicts) if (byId.get(c.id)!.collection === STRATEGY_COLLECTION) this.saveBase(c.id, STRATEGY_COLLECTION, byId.get(c.id)!.key, c.version, {});
      })();
      this.result.pushed += res.accepted.filter((a) => counted(byId.get(a.id)!.collection)).length;
      lost += res.conflicts.filter((c) => byId.get(c.id)!.collection !== STRATEGY_COLLECTION).length;
    }
    return lost;
  }
}

/** Splits records into pushes under the service's record-count and body-size limits. */
function batches<T extends { wire: WireRecord }>(records: T[]): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = r.wire.body.length + r.wire.id.length + 32;
    if (current.length > 0 && (current.length >= MAX_PUSH_RECORDS || bytes + size > MAX_BODY_BYTES / 2)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(r);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Options of {@link syncOnce}. */
export interface SyncOptions {
  /** Where notes for the trader go (records kept local, …). */
  warn?: (line: string) => void;
  /** Records per pulled page (the service's maximum by default). */
  pageSize?: number;
  /** Validates a pulled alert rule (the running alerts service's check; by default the offline one of `alerts add`). */
  validateAlertRule?: (raw: unknown) => AlertRule;
  /** Told which alert rules the round saved or deleted, once it ends (even when it fails part way). */
  alertRulesChanged?: (ids: string[]) => void;
}

type RoundOptions = Required<Pick<SyncOptions, "warn" | "pageSize" | "validateAlertRule">> & { initialNode: string | null };

/** Runs one sync round (up to three pull–push passes when another device pushes in between). */
export async function syncOnce(db: Database.Database, session: CloudSession, options: SyncOptions = {}): Promise<SyncResult> {
  const dataKey = await session.dataKey();
  const idKey = await hkdf(dataKey, "record-ids");
  const account = session.account;
  const node = account.deviceId.replace(/[^A-Za-z0-9_-]/g, "");
  const clock = new HybridClock(node, account.clock);
  const initialNode = account.lastSyncAt === null ? node : null;
  const validateAlertRule = options.validateAlertRule ?? offlineRuleCheck(db);
  const round = new Round(db, session, { dataKey, idKey }, clock, { warn: options.warn ?? (() => undefined), pageSize: options.pageSize ?? MAX_PULL_RECORDS, validateAlertRule, initialNode });
  await stampStrategyVersions(db);
  let cursor = account.cursor;
  try {
    for (let pass = 0; pass < 3; pass++) {
      await round.stampLocal();
      if (pass === 0) await round.replayDeferred();
      cursor = await round.pullAll(cursor);
      if ((await round.push()) === 0) break;
    }
  } finally {
    if (round.ctx.changedAlertRules.size > 0) options.alertRulesChanged?.([...round.ctx.changedAlertRules]);
  }
  updateAccount(db, { clock: clock.current(), lastSyncAt: Date.now(), lastConflicts: round.result.conflicts });
  return round.result;
}
